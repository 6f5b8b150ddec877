"""Sparse X: every method, both families, every solver, never densified whole.

Sparse X gives what the same data densified gives where the input layer is
X itself: the twins, and the model for tables without its numeric scaling
and embedding (with them, sparse X is scaled without centring and not
embedded, so that it stays sparse: not what dense X gets, by design).
"""

import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CONTAINERS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=160, n_features=30, n_informative=8, random_state=0)
    X[np.abs(X) < 1.0] = 0.0  # about two thirds of the entries are zeros
    return X, y


TABLE_WITHOUT_INPUT_LAYER = dict(numeric_scaling=None, numeric_embedding=None)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("Estimator, extra", [
    (MLPRegressor, {}), (MLPClassifier, {}),
    (EmbeddingMLPRegressor, TABLE_WITHOUT_INPUT_LAYER),
    (EmbeddingMLPClassifier, TABLE_WITHOUT_INPUT_LAYER),
], ids=["MLPRegressor", "MLPClassifier", "EmbeddingMLPRegressor-unscaled",
        "EmbeddingMLPClassifier-unscaled"])
def test_sparse_gives_what_the_same_data_densified_gives(Estimator, extra, solver, data):
    X, y = data
    y = y if "Classifier" in Estimator.__name__ else X[:, 0] + y
    params = dict(hidden_layer_sizes=(9, 5), solver=solver, max_iter=15, random_state=0,
                  **extra)
    dense = Estimator(**params).fit(X, y)
    for container in CONTAINERS:
        sparse = Estimator(**params).fit(container(X), y)
        for a, b in zip(dense.coefs_, sparse.coefs_):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(dense.transform(X), sparse.transform(container(X)),
                                   rtol=1e-9, atol=1e-12)
        if "Classifier" in Estimator.__name__:
            np.testing.assert_array_equal(dense.predict(X), sparse.predict(container(X)))
        else:
            np.testing.assert_allclose(dense.predict(X), sparse.predict(container(X)),
                                       rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("Estimator", [MLPRegressor, EmbeddingMLPClassifier])
def test_the_input_embedding_of_sparse_x_is_sparse(Estimator, data):
    X, y = data
    est = Estimator(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(sp.csr_matrix(X), y)
    embedded = est.embed(sp.csc_matrix(X), layer="input")
    assert sp.issparse(embedded)
    if est.numeric_scaling is None:  # the twin: X itself
        np.testing.assert_array_equal(embedded.toarray(), X)
    else:  # "robust": each value over its column's median stored magnitude, smooth-clipped
        assert est.numeric_scaling == "robust"
        scale = [np.percentile(np.abs(column[column != 0]), 50, method="inverted_cdf")
                 for column in X.T]
        z = X / np.array(scale)
        np.testing.assert_allclose(embedded.toarray(), z / np.sqrt(1 + (z / 3) ** 2),
                                   rtol=1e-6)
        assert (embedded.toarray()[X == 0] == 0).all()  # zeros stay zeros
    assert isinstance(est.embed(sp.csr_matrix(X), layer=0), np.ndarray)


def test_partial_fit_and_float32_on_sparse_chunks(data):
    X, y = data
    X32 = sp.csr_matrix(X.astype(np.float32))
    est = MLPClassifier(hidden_layer_sizes=(6,), random_state=0)
    for start in range(0, 160, 40):
        est.partial_fit(X32[start:start + 40], y[start:start + 40], classes=[0, 1])
    assert est.coefs_[0].dtype == np.float32
    assert est.predict_proba(X32).dtype == np.float32
    assert len(est.loss_curve_) == 4


def test_categorical_columns_of_a_sparse_matrix_are_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="sparse matrix, which is all numeric"):
        MLPClassifier(categorical_features=[0], max_iter=2).fit(sp.csr_matrix(X), y)


def test_non_finite_sparse_values_are_refused(data):
    X, y = data
    X = sp.csr_matrix(X)
    X.data[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MLPClassifier(max_iter=2).fit(X, y)


def test_a_wide_sparse_matrix_is_never_densified():
    """20,000 x 100,000 with 10 values a row: 16 GB densified."""
    rng = np.random.default_rng(0)
    n, width, per_row = 20_000, 100_000, 10
    X = sp.csr_matrix((rng.random(n * per_row, dtype=np.float32),
                       rng.integers(0, width, n * per_row),
                       np.arange(0, n * per_row + 1, per_row)), shape=(n, width))
    y = rng.normal(size=n)
    est = MLPRegressor(hidden_layer_sizes=(8,), batch_size=256, max_iter=1, random_state=0)
    est.fit(X[:512], y[:512])  # imports and caches, out of the measure
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    params_bytes = est.coefs_[0].nbytes
    # the parameters, the optimizer's moments and the gradient: a few times
    # the first layer's weights, nowhere near a dense copy of X
    assert peak < 8 * params_bytes + X.data.nbytes * 4, peak
