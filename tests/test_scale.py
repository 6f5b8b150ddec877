"""Data larger than memory (SPEC §7): fit copies nothing per epoch, partial_fit streams.

Peak memory is measured with ``tracemalloc``, which sees every numpy array
allocation, so the bounds are about skembed's own copies and not the noise of
the process (the benchmark ``benchmarks/bench_memory.py`` measures the whole
process on 2,000,000 rows).

The twins use the array as it is. The model for tables learns its scaling
statistics (median, quartiles, bin edges) on the first fit from a sample of
at most 100,000 rows, documented in ``numeric_scaling``: its bounds allow one
float64 copy of that sample on top of the twins'; the scaling and embeddings
themselves are computed one mini-batch at a time and add no copy of the data
(docs/user_guide/scaling.rst).
"""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def peak_allocation(function):
    """Bytes allocated at the peak of ``function()``, above what was live before."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def wide_float32():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100_000, 50), dtype=np.float32)  # 20 MB
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]
    return X, y


STATISTICS_ROWS = 100_000  # the sample the model for tables learns its scaling from


def statistics_sample_nbytes(est, n_rows, n_numeric):
    """One float64 copy of the sample the scaling statistics are learned on
    (none for the twins, which scale nothing)."""
    if est.numeric_scaling is None:
        return 0
    return min(n_rows, STATISTICS_ROWS) * n_numeric * 8


@pytest.mark.parametrize("Estimator, solver", [
    (MLPRegressor, "adam"), (MLPRegressor, "lbfgs"),
    (MLPClassifier, "adam"), (MLPClassifier, "lbfgs"),
    # the model for tables computes lbfgs in float64 (dtype="auto"): one
    # conversion of float32 data; its mini-batches are float32, as the data
    (EmbeddingMLPRegressor, "adam"), (EmbeddingMLPClassifier, "adam"),
])
def test_fit_never_copies_the_data(Estimator, solver, wide_float32):
    X, y = wide_float32
    y = y if Estimator in (MLPRegressor, EmbeddingMLPRegressor) else y > 0
    est = Estimator(hidden_layer_sizes=(16,), max_iter=2, early_stopping=True, solver=solver,
                    n_iter_no_change=100, random_state=0)
    est.fit(X[:500], y[:500])  # imports and first-call caches, out of the measure
    peak = peak_allocation(lambda: est.fit(X, y))
    assert est.n_iter_ == 2 and est._network.params.dtype == np.float32
    # Index arrays (8 bytes a row: the validation split, each epoch's shuffle)
    # and the encoded target are all that grows with the data; one copy of X
    # (200 bytes a row) would be 20 MB by itself.
    bound = 0.5 * X.nbytes + 2_000_000 + statistics_sample_nbytes(est, *X.shape)
    assert peak < bound, f"fit allocated {peak / X.nbytes:.2f} x X"


@pytest.mark.parametrize("Estimator", [MLPRegressor, EmbeddingMLPRegressor])
def test_fit_on_a_frame_copies_the_numeric_block_once(Estimator, wide_float32):
    X, y = wide_float32
    frame = pd.DataFrame(X[:, :20], columns=[f"x{i}" for i in range(20)])
    frame["zone"] = pd.Categorical(np.where(X[:, 20] > 0, "north", "south"))
    est = Estimator(hidden_layer_sizes=(16,), max_iter=2, early_stopping=True,
                    n_iter_no_change=100, categorical_features="from_dtype", random_state=0)
    est.fit(frame.head(500), y[:500])
    numeric_nbytes = len(frame) * 20 * 4
    peak = peak_allocation(lambda: est.fit(frame, y))
    bound = 1.5 * numeric_nbytes + 2_000_000 + statistics_sample_nbytes(est, len(frame), 20)
    assert peak < bound, f"{peak / numeric_nbytes:.2f} x"


@pytest.fixture(scope="module")
def house_csv(tmp_path_factory):
    """100,000 rows written to a CSV, and the dtype of its text column."""
    rng = np.random.default_rng(0)
    n = 100_000
    X = rng.standard_normal((n, 10))
    zone = rng.choice(["east", "north", "south", "west"], n)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)]).assign(zone=zone)
    frame["price"] = np.sin(X[:, 0]) + X[:, 1] * X[:, 2] + (zone == "east")
    path = tmp_path_factory.mktemp("csv") / "houses.csv"
    frame.to_csv(path, index=False, float_format="%.6g")
    # every chunk must know every category, or the first chunk decides them
    return path, {"zone": pd.CategoricalDtype(["east", "north", "south", "west"])}


def stream(est, path, dtype, epochs, chunksize):
    for _ in range(epochs):
        for chunk in pd.read_csv(path, chunksize=chunksize, dtype=dtype):
            est.partial_fit(chunk.drop(columns="price"), chunk["price"])
    return est


def test_partial_fit_learns_a_csv_chunk_by_chunk(house_csv):
    path, dtype = house_csv
    params = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0)
    streamed = stream(EmbeddingMLPRegressor(**params), path, dtype, epochs=2, chunksize=5000)
    assert len(streamed.loss_curve_) == 2 * 20  # one epoch per chunk
    assert list(streamed.categorical_embeddings_["zone"].index[:4]) == [
        "east", "north", "south", "west"]
    whole = pd.read_csv(path, dtype=dtype)
    X, y = whole.drop(columns="price"), whole["price"]
    in_memory = EmbeddingMLPRegressor(**params, max_iter=2).fit(X, y)
    assert streamed.score(X, y) > in_memory.score(X, y) - 0.05
    assert streamed.score(X, y) > 0.9


def test_partial_fit_memory_is_bounded_by_the_chunk(house_csv):
    path, dtype = house_csv
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(16,), random_state=0)
    first = next(iter(pd.read_csv(path, chunksize=2000, dtype=dtype)))
    est.partial_fit(first.drop(columns="price"), first["price"])
    peak = peak_allocation(lambda: stream(est, path, dtype, epochs=1, chunksize=2000))
    file_data = 100_000 * 12 * 8
    assert peak < file_data / 4, f"peak {peak / 1e6:.1f} MB for {file_data / 1e6:.1f} MB of data"


def test_partial_fit_classifier_needs_all_classes_up_front(house_csv):
    path, dtype = house_csv
    est = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for chunk in pd.read_csv(path, chunksize=20_000, dtype=dtype):
            est.partial_fit(chunk.drop(columns=["price", "zone"]), chunk["zone"],
                            classes=dtype["zone"].categories)
    assert list(est.classes_) == ["east", "north", "south", "west"]
