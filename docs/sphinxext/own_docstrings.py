"""skembed's own words for the methods its estimators inherit from scikit-learn
and whose docstrings speak for scikit-learn.

The metadata-routing methods (``set_fit_request``, ``set_partial_fit_request``,
``set_score_request``, ``get_metadata_routing``) and ``set_output`` come with
scikit-learn's docstrings: "Added in version 1.3" (scikit-learn's version, on
the page of a 0.x package) and "see the User Guide", a guide that is not this
site's. On the API pages they get a short docstring here instead; the methods
themselves, and metadata routing, are scikit-learn's and unchanged.

The docstrings are numpydoc: the handler runs before numpydoc's (priority 400).
"""

import inspect
import re

_REQUEST_METHOD = re.compile(r"^set_(\w+)_request$")
_UNCHANGED = "'$UNCHANGED$'"  # shown as the default in the methods' signatures


def _request_docstring(cls_name, method, parameters):
    lines = [
        f"Say which metadata a meta-estimator should pass to ``{method}``.",
        "",
        "Used only when metadata routing is on",
        "(``sklearn.set_config(enable_metadata_routing=True)``) and this network",
        "is a step of a meta-estimator that routes metadata, such as a",
        "``Pipeline`` inside ``GridSearchCV``. Each parameter takes ``True``",
        f"(pass it to ``{method}`` when it is given), ``False`` (do not pass it),",
        "``None`` (raise an error if it is given) or a string (pass the",
        f"metadata given under that name instead); the default, ``{_UNCHANGED}``,",
        f"keeps the current request. Called directly, ``{method}`` takes its",
        "arguments as usual.",
        "",
        "Parameters",
        "----------",
    ]
    for name in parameters:
        lines += [
            f"{name} : bool, None or str, default={_UNCHANGED}",
            f"    The request for ``{name}``.",
        ]
    lines += [
        "",
        "Returns",
        "-------",
        f"self : {cls_name}",
        "    The estimator, with its requests updated.",
    ]
    return lines


def _routing_docstring():
    return [
        "The metadata this estimator's methods request.",
        "",
        "Set by ``set_fit_request``, ``set_partial_fit_request`` and",
        "``set_score_request``; read by meta-estimators when metadata routing",
        "is on.",
        "",
        "Returns",
        "-------",
        "routing : sklearn.utils.metadata_routing.MetadataRequest",
        "    The request of each method.",
    ]


def _set_output_docstring(cls_name):
    return [
        "Choose the container that ``transform`` and ``fit_transform`` return.",
        "",
        "Parameters",
        "----------",
        'transform : {"default", "pandas", "polars"} or None, default=None',
        '    ``"pandas"`` or ``"polars"``: a DataFrame with one column per',
        '    neuron, named by ``get_feature_names_out``; ``"default"``: a numpy',
        "    array; ``None``: leave the choice as it is.",
        "",
        "Returns",
        "-------",
        f"self : {cls_name}",
        "    The estimator.",
    ]


def own_docstring(name, obj):
    """skembed's docstring for the inherited method ``name`` (dotted), or None."""
    module = getattr(obj, "__module__", None) or ""
    if not name.startswith("skembed.") or module.startswith("skembed"):
        return None
    *_, cls_name, method_name = name.split(".")
    match = _REQUEST_METHOD.match(method_name)
    if match:
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            return None
        parameters = [p.name for p in signature.parameters.values()
                      if p.kind is inspect.Parameter.KEYWORD_ONLY]
        return _request_docstring(cls_name, match.group(1), parameters)
    if method_name == "get_metadata_routing":
        return _routing_docstring()
    if method_name == "set_output":
        return _set_output_docstring(cls_name)
    return None


def _replace_docstring(app, what, name, obj, options, lines):
    if what != "method":
        return
    docstring = own_docstring(name, obj)
    if docstring is not None:
        lines[:] = docstring


def setup(app):
    app.connect("autodoc-process-docstring", _replace_docstring, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
