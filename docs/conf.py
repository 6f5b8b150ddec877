"""Sphinx configuration of the skembed documentation.

Build it (warnings are errors, every gallery example is executed)::

    pip install -e ".[docs]"
    sphinx-build -W --keep-going -b html docs docs/_build/html
    python docs/check_offline.py docs/_build/html   # loads nothing from the network

The site works offline: MathJax is copied into it (docs/sphinxext/offline_mathjax.py).
Links to the scikit-learn, numpy, pandas, matplotlib and Python docs
(intersphinx) need the network at build time: set ``SKEMBED_DOCS_INTERSPHINX=1``
to turn them on.
"""

import os
import sys
import warnings
from datetime import date

import skembed

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sphinxext"))


def _write_command_help():
    """What ``skembed demo --help`` and ``skembed embed --help`` print, into
    ``generated/cli/`` for ``cli.rst`` to include: the page shows the
    installed command's own words, so it cannot drift from them."""
    import contextlib
    import io

    from skembed.__main__ import main

    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated", "cli")
    os.makedirs(folder, exist_ok=True)
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # argparse wraps its help to the terminal's width
    try:
        for command in ("demo", "embed"):
            text = io.StringIO()
            with contextlib.redirect_stdout(text), contextlib.suppress(SystemExit):
                main([command, "--help"])
            with open(os.path.join(folder, f"{command}.txt"), "w", encoding="utf-8") as out:
                out.write(text.getvalue())
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns


_write_command_help()

# -- Project -------------------------------------------------------------------
project = "skembed"
author = "The skembed developers"
copyright = f"{date.today().year}, {author}"
release = skembed.__version__
version = ".".join(release.split(".")[:2])

# -- General -------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "offline_mathjax",  # sphinx.ext.mathjax, with MathJax served from _static
    "sphinx.ext.viewcode",
    "numpydoc",
    "own_docstrings",  # skembed's words for inherited set_*_request, set_output, ...
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",  # CHANGELOG.md
]
if os.environ.get("SKEMBED_DOCS_INTERSPHINX"):
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable/", None),
        "pandas": ("https://pandas.pydata.org/docs/", None),
        "sklearn": ("https://scikit-learn.org/stable/", None),
        "matplotlib": ("https://matplotlib.org/stable/", None),
    }

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
default_role = "literal"  # `x` renders as code, never as a dangling reference

# -- autodoc / autosummary / numpydoc ----------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# the class template lists the methods itself
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- matplotlib plot directive (the user guide's figures) -----------------------------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_pre_code = ""
# Figures are shown scaled down to the width of the text column: larger type
# keeps their labels legible there.
plot_rcparams = {"savefig.bbox": "tight", "font.size": 12}

# -- sphinx-gallery (the examples) -------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",  # execute every example
    "abort_on_example_error": True,
    "within_subsection_order": "gallery_order.ExampleOrder",
    "doc_module": ("skembed",),
    "reference_url": {"skembed": None},
    "backreferences_dir": "generated/backreferences",
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
    # a trailing ax.legend() should not print "<matplotlib.legend.Legend ...>"
    "ignore_repr_types": r"matplotlib[.]|Display'",
    "matplotlib_animations": False,
    # The sg_execution_times pages load jQuery, DataTables and Bootstrap from
    # CDNs; the site must work offline, and the timings are printed by the
    # build anyway.
    "write_computation_times": False,
}
# Examples print their results; the Agg backend keeps plt.show() from blocking.
os.environ.setdefault("MPLBACKEND", "Agg")
# Warnings inside the examples are shown in their output, not raised here.
warnings.filterwarnings("ignore", message="Matplotlib is currently using agg")

# -- HTML ------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skembed {release}"
html_static_path = ["_static"]
html_css_files = ["skembed.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    # the user guide's figures and code need the width more than an in-page
    # table of contents does
    "secondary_sidebar_items": {
        "index": [],
        "user_guide/*": [],
        "auto_examples/*": [],
        "api": ["page-toc"],
        "generated/*": ["page-toc"],
        "install": ["page-toc"],
        "changelog": ["page-toc"],
    },
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {"index": [], "install": [], "changelog": []}
# "On this page" of an API page lists fit(), not EmbeddingMLPRegressor.fit():
# the long entries did not fit the sidebar.
toc_object_entries_show_parents = "hide"
html_show_sourcelink = False


# -- Docstring fixes at build time ---------------------------------------------------
import re  # noqa: E402

# "of shape (n_features_in_,)": a name ending in "_" is a reference in rst;
# escape it so the fitted-attribute name renders as text.
_TRAILING_UNDERSCORE = re.compile(r"\b([A-Za-z][A-Za-z0-9_]*[A-Za-z0-9])_(?=[\s,)\]:.;]|$)")
# scikit-learn's own docstrings (score, set_output, set_*_request, ... that
# the estimators inherit) point at labels of scikit-learn's site: render their
# :ref: and :term: roles as plain text rather than as broken links.
_SKLEARN_ROLE = re.compile(r":(?:ref|term):`([^`<]*?)(?:\s*<([^>]*)>)?`")


def _plain_role(match):
    text, target = match.group(1).strip(), match.group(2)
    return text or target


def _fix_docstring(app, what, name, obj, options, lines):
    module = getattr(obj, "__module__", None) or ""
    inherited_from_sklearn = not module.startswith("skembed")
    for i, line in enumerate(lines):
        if "shape (" in line:
            lines[i] = line = re.sub(
                r"shape \(([^)]*)\)",
                lambda m: "shape (" + _TRAILING_UNDERSCORE.sub(r"\1\\_", m.group(1)) + ")",
                line,
            )
        if inherited_from_sklearn:
            lines[i] = _SKLEARN_ROLE.sub(_plain_role, line)


# The title of an API page is one long dotted name
# (skembed.plotting.NeuronPatternsDisplay), and so are the entries of the API
# section's navigation and the previous/next links at the foot of its pages:
# let them wrap after a dot, never inside a word.
_H1 = re.compile(r"(<h1>)(.*?)(<a class=\"headerlink\"|</h1>)", re.S)
_DOTTED_LINK_TEXT = re.compile(r">(skembed(?:\.\w+)+)<")


def _wbr_after_dots(text):
    return text.replace(".", ".<wbr>")


def _wrap_dotted_names(app, pagename, templatename, context, doctree):
    if pagename.startswith("generated/") and "body" in context:
        context["body"] = _H1.sub(
            lambda m: m.group(1) + _wbr_after_dots(m.group(2)) + m.group(3),
            context["body"], count=1,
        )
    for link in ("prev", "next"):  # the links at the foot of the page
        title = (context.get(link) or {}).get("title", "")
        if re.fullmatch(r"skembed(?:\.\w+)+", title):
            context[link] = {**context[link], "title": _wbr_after_dots(title)}
    generate = context.get("generate_toctree_html")  # pydata theme's sidebar
    if generate is not None:
        def generate_with_wbr(kind, *args, **kwargs):
            nav = generate(kind, *args, **kwargs)
            if kind != "sidebar":  # "raw": a BeautifulSoup object for templates
                return nav
            return _DOTTED_LINK_TEXT.sub(
                lambda m: ">" + _wbr_after_dots(m.group(1)) + "<", str(nav))

        context["generate_toctree_html"] = generate_with_wbr


def setup(app):
    app.connect("autodoc-process-docstring", _fix_docstring)
    # after the theme's own handler, which puts generate_toctree_html in place
    app.connect("html-page-context", _wrap_dotted_names, priority=900)
