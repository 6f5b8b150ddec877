"""Serve MathJax from the built site itself, so that maths renders offline.

Sphinx's ``mathjax`` extension loads MathJax from a CDN: a reader without a
network (a laptop on a train, a copy of the built site) sees raw TeX. This
extension takes MathJax 3 from the ``sphinx-mathjax-offline`` package (a
pip-installable copy of MathJax's ``es5`` directory, in the ``docs`` extra),
copies it into ``_static/mathjax`` of the HTML output and points
``mathjax_path`` at it.

It uses the ``tex-svg`` bundle: TeX input, SVG output, the glyphs drawn as
SVG paths inside the script. No font files are fetched, which matters when
the site is opened from disk (``file://``), where browsers may refuse to
load web fonts. The component directories are copied too: MathJax loads
from them on demand (TeX extensions that ``\\require`` or autoload pulls in,
the accessibility tools of its right-click menu).
"""

import os
from importlib.metadata import PackageNotFoundError, distribution

from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import MATHJAX_URL
from sphinx.util.fileutil import copy_asset

# MathJax's combined bundle that pages load: TeX in, SVG out, fonts included.
BUNDLE = "tex-svg.js"
# What the bundle may load later, on demand: TeX extensions (input/), the
# other renderer the menu can switch to (output/), the menu's accessibility
# tools (a11y/, sre/, ui/) and the DOM adaptors.
COMPONENT_DIRS = ("a11y", "adaptors", "input", "output", "sre", "ui")


def mathjax_source_dir():
    """The directory of MathJax's es5 build that ``sphinx-mathjax-offline`` ships."""
    try:
        dist = distribution("sphinx-mathjax-offline")
    except PackageNotFoundError:
        raise ExtensionError(
            "offline_mathjax: the 'sphinx-mathjax-offline' package (MathJax 3, "
            'served with the site) is missing: pip install -e ".[docs]"'
        ) from None
    source = os.fspath(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not os.path.isfile(os.path.join(source, BUNDLE)):
        raise ExtensionError(f"offline_mathjax: no {BUNDLE} in {source}")
    return source


def _copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source_dir()
    target = os.path.join(app.outdir, "_static", "mathjax")
    os.makedirs(target, exist_ok=True)
    copy_asset(os.path.join(source, BUNDLE), target)
    for name in COMPONENT_DIRS:
        copy_asset(os.path.join(source, name), os.path.join(target, name))


def _use_local_mathjax(app):
    mathjax_source_dir()  # a missing package fails the build now, not at its end
    if app.config.mathjax_path == MATHJAX_URL:  # not set in conf.py: the CDN
        app.config.mathjax_path = "mathjax/" + BUNDLE  # relative to _static


def setup(app):
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("builder-inited", _use_local_mathjax)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
