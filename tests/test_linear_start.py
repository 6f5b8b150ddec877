"""``linear_start``: the network starts as a ridge or logistic regression of
its inputs, in the skip connection, with its output layer at zero."""

import copy

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# a network that barely moves from where it starts
FROZEN = {"learning_rate_init": 1e-9, "max_iter": 1, "early_stopping": False,
          "random_state": 0}


def linear_data(n, seed=0, noise=0.01):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5)) * [1.0, 10.0, 0.1, 100.0, 1.0]
    w = np.array([2.0, -0.3, 15.0, 0.02, 0.0])
    return X, X @ w + 4.0 + noise * rng.normal(size=n)


def weights(est):
    return np.concatenate([c.ravel() for c in est.coefs_ + est.intercepts_]
                          + [est.skip_coef_.ravel()])


@pytest.mark.parametrize("Regressor", [MLPRegressor, EmbeddingMLPRegressor])
def test_the_network_starts_as_the_ridge_regression(Regressor):
    X, y = linear_data(400)
    params = {**FROZEN, "skip_connection": True, "numeric_scaling": "standard"}
    started = Regressor(**params, linear_start=True).fit(X[:300], y[:300])
    assert r2_score(y[300:], started.predict(X[300:])) > 0.999
    # the hidden layers add nothing yet: the output layer starts at zero
    assert np.abs(started.coefs_[-1]).max() < 1e-6
    assert np.abs(started.skip_coef_).max() > 0.1
    plain = Regressor(**params, linear_start=False).fit(X[:300], y[:300])
    assert r2_score(y[300:], plain.predict(X[300:])) < 0.5


def test_it_reads_the_plain_inputs_not_the_numeric_embeddings():
    X, y = linear_data(300)
    est = EmbeddingMLPRegressor(**FROZEN, linear_start=True).fit(X, y)
    width = 1 + 8  # the value and 8 learned functions per column
    skip = est.skip_coef_[: 5 * width].reshape(5, width)
    assert np.abs(skip[:, 0]).max() > 0.1
    assert np.abs(skip[:, 1:]).max() < 1e-6


def test_categories_and_missing_values_enter_the_start():
    import pandas as pd

    rng = np.random.default_rng(1)
    n = 400
    frame = pd.DataFrame({"x": rng.normal(size=n),
                          "colour": pd.Categorical(rng.choice(list("abc"), n))})
    frame.loc[::10, "x"] = np.nan
    x = frame["x"].to_numpy()
    colour = frame["colour"].map({"a": 0.0, "b": 5.0, "c": -5.0}).to_numpy(dtype=float)
    y = colour + np.where(np.isnan(x), 7.0, 3 * x)  # a missing x adds 7
    est = EmbeddingMLPRegressor(**FROZEN, numeric_scaling="standard",
                                linear_start=True).fit(frame, y)
    assert r2_score(y, est.predict(frame)) > 0.99


def test_auto_starts_a_squared_error_regressor_that_stops_early():
    X, y = linear_data(400, noise=1.0)
    default = EmbeddingMLPRegressor(max_iter=3, random_state=0)
    assert default.linear_start == "auto"
    on = copy.deepcopy(default).set_params(linear_start=True)
    off = copy.deepcopy(default).set_params(linear_start=False)
    # 300 rows: early_stopping="auto" holds out a tenth, and so does the start
    np.testing.assert_array_equal(weights(copy.deepcopy(default).fit(X[:300], y[:300])),
                                  weights(on.fit(X[:300], y[:300])))
    assert not np.allclose(weights(on), weights(off.fit(X[:300], y[:300])))
    # 90 rows: no early stopping, no start
    np.testing.assert_array_equal(weights(copy.deepcopy(default).fit(X[:90], y[:90])),
                                  weights(off.fit(X[:90], y[:90])))
    # nor without it, nor with the Poisson loss
    counts = np.random.default_rng(0).poisson(np.exp(X[:300, 0] / 2))
    for changed, target in [({"early_stopping": False}, y[:300]),
                            ({"loss": "poisson"}, counts)]:
        auto = copy.deepcopy(default).set_params(**changed).fit(X[:300], target)
        no = copy.deepcopy(default).set_params(**changed, linear_start=False).fit(X[:300],
                                                                                  target)
        np.testing.assert_array_equal(weights(auto), weights(no))


def test_the_classifiers_do_not_start_linear_by_default():
    assert EmbeddingMLPClassifier().linear_start is False
    assert MLPClassifier().linear_start is False and MLPRegressor().linear_start is False


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_classifier_starts_as_the_logistic_regression(n_classes):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 4)) * [1.0, 5.0, 0.2, 1.0]
    scores = (X / X.std(axis=0)) @ rng.normal(size=(4, n_classes))
    y = np.array(list("pqr"))[scores.argmax(axis=1)]
    est = EmbeddingMLPClassifier(**FROZEN, numeric_embedding=None, numeric_scaling="standard",
                                 linear_start=True).fit(X, y)
    reference = LogisticRegression(C=1.0, max_iter=1000).fit(StandardScaler().fit_transform(X), y)
    np.testing.assert_allclose(est.predict_proba(X),
                               reference.predict_proba(StandardScaler().fit_transform(X)),
                               atol=1e-5)


def test_a_multilabel_classifier_starts_with_one_logistic_regression_per_label():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] + X[:, 2] > 0.5]).astype(int)
    est = MLPClassifier(**FROZEN, skip_connection=True, numeric_scaling="standard",
                        linear_start=True).fit(X, Y)
    Z = StandardScaler().fit_transform(X)
    for j in range(2):
        reference = LogisticRegression(C=1.0, max_iter=1000).fit(Z, Y[:, j])
        np.testing.assert_allclose(est.predict_proba(X)[:, j],
                                   reference.predict_proba(Z)[:, 1], atol=1e-5)


def test_sparse_input_starts_linear_too():
    X, _ = linear_data(300)
    X[np.abs(X) < 0.5] = 0.0
    y = X @ [2.0, -0.3, 15.0, 0.02, 0.0] + 4.0
    est = MLPRegressor(**FROZEN, skip_connection=True, numeric_scaling="standard",
                       target_scaling=True, linear_start=True)
    est.fit(sparse.csr_matrix(X[:200]), y[:200])
    assert r2_score(y[200:], est.predict(sparse.csr_matrix(X[200:]))) > 0.99


def test_the_penalty_pulls_the_skip_weights_to_the_start():
    X, y = linear_data(300, noise=1.0)
    params = {"skip_connection": True, "numeric_scaling": "standard", "target_scaling": True,
              "alpha": 50.0, "alpha_scaling": "n_samples", "max_iter": 50,
              "early_stopping": False, "random_state": 0}
    started = MLPRegressor(**params, linear_start=True).fit(X, y)
    anchor = started._network.skip_anchor.reshape(started.skip_coef_.shape)
    # a strong penalty keeps the skip weights near the ridge fit, not near zero
    assert np.abs(started.skip_coef_ - anchor).max() < 0.2 * np.abs(anchor).max()
    plain = MLPRegressor(**params).fit(X, y)
    assert plain._network.skip_anchor is None
    assert np.abs(plain.skip_coef_).max() < 0.5 * np.abs(anchor).max()


def test_warm_start_goes_on_from_the_trained_weights_and_the_same_anchor():
    X, y = linear_data(300, noise=1.0)
    est = EmbeddingMLPRegressor(max_iter=5, linear_start=True, warm_start=True,
                                random_state=0).fit(X, y)
    anchor = est._network.skip_anchor.copy()
    before = weights(est)
    est.fit(X, y)
    np.testing.assert_array_equal(est._network.skip_anchor, anchor)
    assert not np.allclose(weights(est), before)
    # what a new start would have set: the output layer is not zeroed again
    assert np.abs(est.coefs_[-1]).max() > 1e-3


def test_partial_fit_ignores_it():
    X, y = linear_data(200)
    params = {"skip_connection": True, "numeric_scaling": "standard", "random_state": 0}
    on = MLPRegressor(**params, linear_start=True).partial_fit(X, y)
    off = MLPRegressor(**params, linear_start=False).partial_fit(X, y)
    np.testing.assert_array_equal(weights(on), weights(off))
    assert on._network.skip_anchor is None


@pytest.mark.parametrize("setting, error, match", [
    ({"linear_start": True, "skip_connection": False}, ValueError,
     "linear_start=True needs skip_connection=True"),
    ({"linear_start": True, "loss": "poisson"}, ValueError, "not loss='poisson'"),
    ({"linear_start": "always"}, InvalidParameterError, "linear_start"),
])
def test_bad_settings_are_refused_and_change_nothing(setting, error, match):
    X, y = linear_data(300, noise=1.0)
    y = np.abs(y)
    est = EmbeddingMLPRegressor(max_iter=3, random_state=0).fit(X, y)
    before = est.predict(X)
    with pytest.raises(error, match=match):
        est.set_params(**setting).fit(X, y)
    np.testing.assert_array_equal(est.predict(X), before)
