"""skembed's MLPRegressor and MLPClassifier: scikit-learn's MLPs, twinned.

Each test compares with scikit-learn's MLP in the same test: the same
signature, the same random numbers drawn in the same order (so the same
weights after a few epochs), the same contract for warm starts and errors.
"""

import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn import neural_network
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

TWINS = [(MLPRegressor, neural_network.MLPRegressor),
         (MLPClassifier, neural_network.MLPClassifier)]
EXTRAS = ["embedding_layer", "embedding_output", "categorical_features", "embedding_dims",
          "min_frequency", "numeric_scaling", "numeric_embedding", "skip_connection",
          "linear_start", "dropout", "weight_averaging", "n_networks", "activity_l1",
          "alpha_scaling", "dtype", "scoring"]


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(n_samples=240, n_features=6, noise=2.0, random_state=0)
    return StandardScaler().fit_transform(X), (y - y.mean()) / y.std()


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(n_samples=240, n_features=6, n_informative=4, n_classes=3,
                               random_state=0)
    return X, y


@pytest.mark.parametrize("ours, theirs", TWINS + [
    (EmbeddingMLPRegressor, neural_network.MLPRegressor),
    (EmbeddingMLPClassifier, neural_network.MLPClassifier),
])
def test_signature_starts_with_scikit_learns(ours, theirs):
    ours_params = inspect.signature(ours).parameters
    theirs_params = inspect.signature(theirs).parameters
    assert list(ours_params)[: len(theirs_params)] == list(theirs_params)
    for name, param in theirs_params.items():
        assert ours_params[name].kind == param.kind, name
        if ours in (MLPRegressor, MLPClassifier):
            assert ours_params[name].default == param.default, name
    own = ["target_scaling"] if "loss" in theirs_params else ["class_weight",
                                                              "label_smoothing"]
    extras = list(ours_params)[len(theirs_params):]
    assert extras == [*EXTRAS, *own]
    assert all(ours_params[name].kind is inspect.Parameter.KEYWORD_ONLY for name in extras)


@pytest.mark.parametrize("Twin", [MLPRegressor, MLPClassifier])
def test_extras_default_to_changing_nothing(Twin):
    est = Twin()
    assert est.categorical_features is None and est.dropout == 0 and est.activity_l1 == 0
    assert est.weight_averaging is None and est.alpha_scaling == "batch"
    assert est.skip_connection is False
    assert est.dtype is None
    if Twin is MLPRegressor:
        assert est.target_scaling is False


def max_relative_difference(ours, theirs):
    return max(float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))
               for a, b in zip(ours, theirs))


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("kind", ["regressor", "classifier", "binary"])
def test_three_epochs_give_scikit_learns_weights(kind, solver, early_stopping, regression,
                                                 classification):
    X, y = regression if kind == "regressor" else classification
    if kind == "binary":
        y = y > 0
    ours, theirs = TWINS[0] if kind == "regressor" else TWINS[1]
    params = dict(hidden_layer_sizes=(7, 5), solver=solver, max_iter=3, random_state=0,
                  early_stopping=early_stopping)
    a, b = ours(**params).fit(X, y), theirs(**params).fit(X, y)
    assert max_relative_difference(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_) < 1e-5
    assert a.loss_curve_ == pytest.approx(b.loss_curve_, rel=1e-5)
    if early_stopping:
        assert a.validation_scores_ == pytest.approx(b.validation_scores_, rel=1e-5)


@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_lbfgs_predictions_match_scikit_learns(kind, regression, classification):
    X, y = regression if kind == "regressor" else classification
    ours, theirs = TWINS[0] if kind == "regressor" else TWINS[1]
    params = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=50, random_state=0)
    a, b = ours(**params).fit(X, y), theirs(**params).fit(X, y)
    if kind == "regressor":
        np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-5, atol=1e-8)
    else:
        np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=1e-5,
                                   atol=1e-8)
    assert a.n_iter_ == b.n_iter_


def test_grid_search_keeps_scikit_learns_step_names(classification):
    X, y = classification
    pipe = make_pipeline(StandardScaler(), MLPClassifier(max_iter=20, random_state=0))
    assert pipe.steps[-1][0] == "mlpclassifier"
    grid = GridSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-2],
                               "mlpclassifier__hidden_layer_sizes": [(8,), (16,)]}, cv=2)
    grid.fit(X, y)
    assert set(grid.best_params_) == {"mlpclassifier__alpha",
                                      "mlpclassifier__hidden_layer_sizes"}
    assert grid.predict(X).shape == (len(X),)


@pytest.mark.parametrize("Twin, kind", [(MLPRegressor, "regressor"),
                                        (MLPClassifier, "classifier")])
def test_warm_start_grows_the_curves_as_scikit_learn(Twin, kind, regression, classification):
    X, y = regression if kind == "regressor" else classification
    theirs = dict(TWINS)[Twin]
    params = dict(hidden_layer_sizes=(6,), max_iter=4, warm_start=True, early_stopping=True,
                  random_state=0)
    a, b = Twin(**params), theirs(**params)
    for _ in range(2):
        a.fit(X, y)
        b.fit(X, y)
    assert len(a.loss_curve_) == len(b.loss_curve_) == 8
    assert len(a.validation_scores_) == len(b.validation_scores_) == 8
    assert a.n_iter_ == b.n_iter_ == 4 and a.t_ == b.t_
    assert a.loss_curve_ == pytest.approx(b.loss_curve_, rel=1e-5)


def test_warm_start_refuses_other_classes_as_scikit_learn(classification):
    X, y = classification
    est = MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, warm_start=True).fit(X, y)
    fewer = np.where(y == 2, 1, y)
    message = ("warm_start can only be used where `y` has the same classes as in the "
               "previous call to fit. Previously got [0 1 2], `y` has [0 1]")
    with pytest.raises(ValueError, match=re.escape(message)):
        est.fit(X, fewer)
    with pytest.raises(ValueError, match=re.escape(message)):
        neural_network.MLPClassifier(hidden_layer_sizes=(4,), max_iter=3,
                                     warm_start=True).fit(X, y).fit(X, fewer)


def test_partial_fit_counts_epochs_as_scikit_learn(regression):
    X, y = regression
    a = MLPRegressor(hidden_layer_sizes=(5,), random_state=0)
    b = neural_network.MLPRegressor(hidden_layer_sizes=(5,), random_state=0)
    for _ in range(3):
        a.partial_fit(X, y)
        b.partial_fit(X, y)
    assert a.n_iter_ == b.n_iter_ == 1 and a.t_ == b.t_
    assert a.loss_curve_ == pytest.approx(b.loss_curve_, rel=1e-5)
    assert max_relative_difference(a.coefs_, b.coefs_) < 1e-5


def test_stratified_split_error_keeps_the_wording_and_names_the_labels():
    X = np.arange(8.0).reshape(4, 2)
    y = np.array(["spam", "spam", "spam", "ham"])
    with pytest.raises(ValueError) as theirs:
        neural_network.MLPClassifier(early_stopping=True).fit(X, y)
    with pytest.raises(ValueError) as ours:
        MLPClassifier(early_stopping=True).fit(X, y)
    assert str(ours.value).startswith(str(theirs.value))
    assert "'True' is the class 'spam'" in str(ours.value)


def test_the_differences_page_lists_every_deselected_test():
    from run_sklearn_mlp_tests import DESELECTED

    page = (Path(__file__).parent.parent / "docs" / "differences.rst").read_text()
    for name in DESELECTED:
        assert f"``{name}``" in page, name
