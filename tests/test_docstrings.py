"""numpydoc validation of every public object's docstring."""

import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

import skembed  # noqa: E402
from skembed import datasets, exceptions, inspection, plotting  # noqa: E402

# Checks left out, as scikit-learn leaves them out of its own validation:
# extended summaries, See Also and Examples on every method (the classes and
# functions have them), and "Returns" lines naming the value (``self : object``).
IGNORED = {"ES01", "SA01", "EX01", "RT02", "GL08"}


def public_names():
    names = []
    for module in (skembed, inspection, plotting, datasets, exceptions):
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if name.startswith("__"):
                continue
            qualified = f"{obj.__module__}.{obj.__qualname__}"
            names.append(qualified)
            if inspect.isclass(obj):
                for method, _ in inspect.getmembers(
                        obj, lambda m: inspect.isfunction(m) or inspect.ismethod(m)):
                    defined_here = getattr(obj, method).__module__.startswith("skembed")
                    if not method.startswith("_") and defined_here:
                        names.append(f"{qualified}.{method}")
    return sorted(set(names))


@pytest.mark.parametrize("name", public_names())
def test_docstring(name):
    errors = [
        (code, message) for code, message in numpydoc_validate.validate(name)["errors"]
        if code not in IGNORED
    ]
    assert not errors, errors
