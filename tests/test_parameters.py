"""The parameter table: generated ``__init__``, constraints and documentation."""

import inspect

import pytest

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor
from skembed._parameters import PARAMETERS, Signature, make_init, parameters_doc

ESTIMATORS = [EmbeddingMLPRegressor, EmbeddingMLPClassifier]


def test_make_init_builds_a_real_signature_that_stores_each_argument():
    signature = Signature(("loss", "alpha", "dtype"), 1, {"alpha": 0.5})

    class Model:
        __init__ = make_init(signature)

    parameters = inspect.signature(Model).parameters
    assert list(parameters) == ["loss", "alpha", "dtype"]
    assert parameters["loss"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert parameters["alpha"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["alpha"].default == 0.5
    assert parameters["dtype"].default is None
    model = Model("poisson", dtype="float32")
    assert vars(model) == {"loss": "poisson", "alpha": 0.5, "dtype": "float32"}
    with pytest.raises(TypeError):
        Model("poisson", 0.1)  # alpha is keyword-only


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_every_parameter_is_constrained_documented_and_stored(Estimator):
    names = list(inspect.signature(Estimator).parameters)
    assert list(Estimator._parameter_constraints) == names
    est = Estimator()
    assert set(vars(est)) == set(names)
    doc = Estimator.__doc__
    for name in names:
        default = inspect.signature(Estimator).parameters[name].default
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        assert f"    {name} : {PARAMETERS[name].kind}, default={shown}\n" in doc, name


def test_parameters_doc_follows_the_signature_order():
    signature = Signature(("alpha", "tol"), 0, {"tol": 0.5})
    doc = parameters_doc(signature)
    assert doc.index("alpha : float, default=0.0001") < doc.index("tol : float, default=0.5")
