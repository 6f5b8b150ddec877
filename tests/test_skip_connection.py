"""The skip connection: a linear map from the input embedding to the output,
trained by every solver, on dense and sparse input, in every inference path."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from skembed import EmbeddingMLPClassifier, MLPRegressor
from skembed._inference import CHUNK_ROWS, chunk_rows, infer

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    y = X @ [1.0, -2.0, 0.5, 0.0, 3.0] + 0.3 * np.maximum(X[:, 0], 0) + 0.1 * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_every_solver_trains_the_skip_weights(solver):
    X, y = _data()
    reg = MLPRegressor(hidden_layer_sizes=(8,), solver=solver, max_iter=100,
                       learning_rate_init=0.01, skip_connection=True, random_state=0).fit(X, y)
    assert reg.skip_coef_.shape == (5, 1)
    assert np.isfinite(reg.skip_coef_).all() and np.abs(reg.skip_coef_).max() > 0.1
    assert reg.score(X, y) > 0.9


def test_partial_fit_trains_the_skip_weights():
    X, y = _data()
    reg = MLPRegressor(hidden_layer_sizes=(8,), skip_connection=True, random_state=0)
    reg.partial_fit(X, y)
    first = reg.skip_coef_.copy()
    reg.partial_fit(X, y)
    assert not np.array_equal(first, reg.skip_coef_)


def test_off_by_default_on_the_twins_and_the_same_numbers_as_before():
    X, y = _data()
    plain = MLPRegressor(hidden_layer_sizes=(8,), max_iter=20, random_state=0).fit(X, y)
    assert plain.skip_coef_ is None
    # the skip weights start at zero and draw nothing: the initial hidden
    # weights are those of the network without them
    skip = MLPRegressor(hidden_layer_sizes=(8,), max_iter=1, solver="sgd",
                        learning_rate_init=1e-12, skip_connection=True,
                        random_state=0).fit(X, y)
    start = MLPRegressor(hidden_layer_sizes=(8,), max_iter=1, solver="sgd",
                         learning_rate_init=1e-12, random_state=0).fit(X, y)
    np.testing.assert_allclose(skip.coefs_[0], start.coefs_[0], atol=1e-9)


def test_sparse_input_gives_the_dense_results():
    X, y = _data()
    X[np.abs(X) < 0.7] = 0.0
    dense = MLPRegressor(hidden_layer_sizes=(8,), max_iter=20, skip_connection=True,
                         random_state=0).fit(X, y)
    sparse = MLPRegressor(hidden_layer_sizes=(8,), max_iter=20, skip_connection=True,
                          random_state=0).fit(sp.csr_matrix(X), y)
    np.testing.assert_allclose(sparse.skip_coef_, dense.skip_coef_, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sparse.predict(sp.csr_matrix(X)), dense.predict(X),
                               rtol=1e-6, atol=1e-9)


def test_chunked_inference_matches_one_block():
    X, y = _data(n=CHUNK_ROWS + 300)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), max_iter=3, skip_connection=True,
                                 random_state=0).fit(X, y > 0)
    assert len(X) > chunk_rows(clf._network)  # the whole X goes through in chunks
    np.testing.assert_allclose(clf.predict_proba(X)[:100], clf.predict_proba(X[:100]),
                               rtol=1e-5, atol=1e-6)
    inputs = clf._validate_X(X)[0]
    without = clf._network.copy()
    without.views.skip[...] = 0.0
    assert not np.allclose(infer(without, inputs), infer(clf._network, inputs))


def test_divergence_leaves_no_nan_in_the_skip_weights():
    X, y = _data()
    reg = MLPRegressor(hidden_layer_sizes=(8,), solver="sgd", learning_rate_init=1e3,
                       max_iter=5, skip_connection=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y * 1e6)
    assert np.isfinite(reg.skip_coef_).all()
