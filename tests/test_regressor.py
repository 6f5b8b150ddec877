"""The regressors against scikit-learn's MLPRegressor and their own promises.

Comparisons with scikit-learn's MLP on the same parameters are like for like
with the twin.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn import neural_network
from sklearn.preprocessing import StandardScaler

from skembed import EmbeddingMLPRegressor, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    y_mean, y_std = y_tr.mean(), y_tr.std()
    return (scaler.transform(X_tr), scaler.transform(X_te),
            (y_tr - y_mean) / y_std, (y_te - y_mean) / y_std)


@pytest.mark.parametrize("solver, params", [
    ("adam", dict(max_iter=300, early_stopping=True, n_iter_no_change=20)),
    ("lbfgs", dict(max_iter=200, alpha=10.0)),
    ("sgd", dict(max_iter=300, learning_rate_init=0.01, early_stopping=True)),
])
def test_r2_on_scaled_diabetes_at_least_sklearns(diabetes, solver, params):
    X_tr, X_te, y_tr, y_te = diabetes
    ours, theirs = [], []
    for seed in range(3):  # a small, noisy problem: compare the mean over seeds
        common = dict(hidden_layer_sizes=(32,), solver=solver, random_state=seed, **params)
        ours.append(MLPRegressor(**common).fit(X_tr, y_tr).score(X_te, y_te))
        theirs.append(neural_network.MLPRegressor(**common).fit(X_tr, y_tr).score(X_te, y_te))
    assert np.mean(ours) >= np.mean(theirs) - 0.02, (ours, theirs)
    assert np.mean(ours) > 0.25


def test_target_scaling_trains_raw_targets_and_predicts_in_their_units():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 3))
    y = 1000 + 500 * np.sin(2 * X[:, 0]) + 300 * X[:, 1] * X[:, 2]  # prices in $K
    params = dict(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=300, random_state=0)
    scaled = EmbeddingMLPRegressor(**params).fit(X, y)
    raw = EmbeddingMLPRegressor(**params, target_scaling=False).fit(X, y)
    assert scaled.score(X, y) > 0.95
    assert scaled.score(X, y) > raw.score(X, y)
    assert abs(scaled.predict(X).mean() - y.mean()) < 10


def test_multi_output(diabetes):
    X_tr, X_te, y_tr, y_te = diabetes
    Y_tr = np.column_stack([y_tr, -2 * y_tr + 1])
    est = MLPRegressor(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    est.fit(X_tr, Y_tr)
    assert est.predict(X_te).shape == (len(X_te), 2)
    assert est.n_outputs_ == 2
    pred = est.predict(X_te)
    np.testing.assert_allclose(pred[:, 1], -2 * pred[:, 0] + 1, atol=0.3)


def test_poisson_loss():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(500, 2))
    y = rng.poisson(np.exp(1 + X[:, 0] - X[:, 1]))
    est = EmbeddingMLPRegressor("poisson", hidden_layer_sizes=(8,), solver="lbfgs",
                                random_state=0).fit(X, y)
    assert est.out_activation_ == "exp"
    assert (est.predict(X) > 0).all()
    assert est.score(X, y) > 0.4
    with pytest.raises(ValueError, match="non-negative"):
        est.fit(X, y - 5)


def test_sample_weight_zero_equals_removal():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(60, 3)), rng.normal(size=60)
    sw = np.ones(60)
    sw[:20] = 0
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0, max_iter=50)
    weighted = EmbeddingMLPRegressor(**params).fit(X, y, sample_weight=sw)
    removed = EmbeddingMLPRegressor(**params).fit(X[20:], y[20:])
    np.testing.assert_allclose(weighted.predict(X), removed.predict(X), rtol=1e-5, atol=1e-7)


def test_linear_data_matches_linear_regression():
    from sklearn.linear_model import LinearRegression

    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=300)
    lin = LinearRegression().fit(X, y)
    # converged tightly (lbfgs stops on the gradient's size, tol), the network
    # without hidden layers is the least-squares fit
    net = MLPRegressor(hidden_layer_sizes=(), solver="lbfgs", alpha=0.0, tol=1e-10,
                       random_state=0).fit(X, y)
    np.testing.assert_allclose(net.predict(X), lin.predict(X), atol=1e-5)


def test_model_for_tables_without_hidden_layers_is_linear_with_affine_scalings():
    from sklearn.linear_model import LinearRegression

    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=300)
    lin = LinearRegression().fit(X, y)
    # standard scaling of X and y is affine and there is no numeric embedding:
    # the network is a linear model of X
    net = EmbeddingMLPRegressor(hidden_layer_sizes=(), solver="lbfgs", alpha=0.0, tol=1e-10,
                                numeric_scaling="standard", numeric_embedding=None,
                                random_state=0).fit(X, y)
    pred = net.predict(X)
    np.testing.assert_allclose(LinearRegression().fit(X, pred).predict(X), pred, atol=1e-10)
    # and the least-squares one, in R² to 1e-9. Its coefficients are compared
    # by their fit, not to 1e-5 as above: scipy's L-BFGS-B also stops when the
    # loss changes by less than 2.2e-9 (ftol, absolute for a loss below 1,
    # whatever tol is), which this fit reaches 1e-5 away from the exact
    # coefficients, where the loss differs from the least squares' by ~1e-10
    assert net.score(X, y) == pytest.approx(lin.score(X, y), abs=1e-9)


@pytest.mark.parametrize("Estimator", [MLPRegressor, EmbeddingMLPRegressor])
@pytest.mark.parametrize("as_container", [
    np.asarray,
    lambda values: pd.Series(values, dtype=object),
    lambda values: pd.Series(values, dtype="category"),
])
def test_a_text_target_is_named_as_such_in_y_and_in_y_val(Estimator, as_container):
    X = np.linspace(0.0, 1.0, 12).reshape(6, 2)
    labels = ["1.5", "low", "high", "low", "high", "low"]
    with pytest.raises(ValueError, match=r"numeric for a regressor.* in y \(for example 'low'\)"
                                         r".*use a classifier"):
        Estimator(max_iter=2).fit(X, as_container(labels))
    with pytest.raises(ValueError, match=r"in y_val \(for example 'low'\)"):
        Estimator(max_iter=2).fit(X, np.arange(6.0), X_val=X[:2], y_val=as_container(labels[:2]))
