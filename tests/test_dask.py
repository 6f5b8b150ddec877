"""skembed on Dask (SPEC §7): Incremental, ParallelPostFit, GridSearchCV on joblib's dask backend.

Every test runs on one ``distributed.LocalCluster`` of two worker processes
on loopback, so estimators really travel between processes (by pickle).
Run with ``python -m pytest -m dask``; skipped when dask is not installed.

Two dask-ml pitfalls shape these tests, as they shape the user guide:
``classes=`` goes to every ``partial_fit`` call of a classifier (dask-ml passes
the same keyword arguments to every block), and scores are computed with
scikit-learn's metrics on computed arrays: dask-ml's own ``r2_score`` fails on
dask >= 2025.2 (https://github.com/dask/dask-ml/issues/1012), so
``Incremental(scoring="r2")`` does too.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
wrappers = pytest.importorskip("dask_ml.wrappers")
joblib = pytest.importorskip("joblib")

pytestmark = [
    pytest.mark.dask,
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

EPOCHS = 4
N_BLOCKS = 8


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4000, 6)).astype(np.float32)
    y = (np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] + 0.5 * X[:, 3]).astype(np.float32)
    return X, y


def blocks(X, y):
    chunk = len(X) // N_BLOCKS
    return da.from_array(X, chunks=(chunk, X.shape[1])), da.from_array(y, chunks=chunk)


def regressor(**params):
    return EmbeddingMLPRegressor(hidden_layer_sizes=(32,), learning_rate_init=0.01,
                                 random_state=0, **params)


def classifier(**params):
    return EmbeddingMLPClassifier(hidden_layer_sizes=(32,), learning_rate_init=0.01,
                                  random_state=0, **params)


def test_incremental_regressor_learns_as_well_as_fit(client, data):
    X, y = data
    Xd, yd = blocks(X, y)
    inc = wrappers.Incremental(regressor(), shuffle_blocks=True, random_state=0)
    for _ in range(EPOCHS):
        inc.partial_fit(Xd, yd)
    # one epoch per block, recorded as scikit-learn's partial_fit records them:
    # the loss curve grows across calls, n_iter_ counts the last call's epochs
    assert len(inc.estimator_.loss_curve_) == EPOCHS * N_BLOCKS
    assert inc.estimator_.n_iter_ == 1
    assert inc.estimator_.t_ == EPOCHS * len(X)
    streamed = r2_score(y, inc.predict(Xd).compute())
    in_memory = regressor(max_iter=EPOCHS).fit(X, y).score(X, y)
    assert streamed > 0.8
    assert streamed > in_memory - 0.05


def test_incremental_classifier_gets_classes_on_every_call(client, data):
    X, y = data
    labels = np.array(["high", "low", "mid"])[np.argmax(X[:, :3], axis=1)]
    Xd, yd = blocks(X, labels)
    # a seeded block order: unseeded, the order changes from run to run and so
    # does the streamed score (0.94 to 0.98 over 150 orders here)
    inc = wrappers.Incremental(classifier(), shuffle_blocks=True, random_state=0)
    for _ in range(EPOCHS):
        inc.partial_fit(Xd, yd, classes=["high", "low", "mid"])
    assert list(inc.estimator_.classes_) == ["high", "low", "mid"]
    streamed = accuracy_score(labels, inc.predict(Xd).compute())
    in_memory = classifier(max_iter=EPOCHS).fit(X, labels).score(X, labels)
    assert streamed > in_memory - 0.05, (streamed, in_memory)
    assert streamed > 0.85


def test_incremental_over_a_dask_dataframe_with_a_categorical_column(client, data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    # known categories travel with every partition, so the first block sees them all
    frame["zone"] = pd.Categorical(np.where(X[:, 4] > 0, "north", "south"),
                                   categories=["north", "south", "west"])
    y = y + (frame["zone"] == "north").to_numpy()
    ddf = dd.from_pandas(frame, npartitions=N_BLOCKS)
    dy = dd.from_pandas(pd.Series(y, name="y"), npartitions=N_BLOCKS)
    inc = wrappers.Incremental(regressor(), shuffle_blocks=True, random_state=0)
    for _ in range(EPOCHS):
        inc.partial_fit(ddf, dy)
    est = inc.estimator_
    assert list(est.feature_names_in_) == list(frame.columns)
    assert list(est.categorical_embeddings_["zone"].index[:3]) == ["north", "south", "west"]
    # as good as fitting the same epochs in memory (about 0.81 here)
    streamed = r2_score(y, est.predict(frame))
    in_memory = regressor(max_iter=EPOCHS).fit(frame, y).score(frame, y)
    assert streamed > in_memory - 0.05, (streamed, in_memory)
    assert streamed > 0.7


FLOAT32_TOL = 1e-5  # targets and outputs of order 1


def test_parallel_post_fit_equals_in_memory(client, data):
    X, y = data
    Xd, _ = blocks(X, y)
    reg = regressor(max_iter=5).fit(X, y)
    clf = classifier(max_iter=5).fit(X, y > 0)
    parallel_reg = wrappers.ParallelPostFit(reg)
    parallel_clf = wrappers.ParallelPostFit(clf)
    # float32: BLAS blocks the rows of a product, and a row's value can move
    # in its last digit with the rows computed beside it
    np.testing.assert_allclose(parallel_reg.predict(Xd).compute(), reg.predict(X),
                               rtol=FLOAT32_TOL, atol=FLOAT32_TOL)
    np.testing.assert_allclose(parallel_reg.transform(Xd).compute(), reg.transform(X),
                               rtol=FLOAT32_TOL, atol=FLOAT32_TOL)
    np.testing.assert_array_equal(parallel_clf.predict(Xd).compute(), clf.predict(X))
    np.testing.assert_allclose(parallel_clf.predict_proba(Xd).compute(),
                               clf.predict_proba(X), rtol=FLOAT32_TOL, atol=FLOAT32_TOL)


def test_parallel_post_fit_on_a_dask_dataframe(client, data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    reg = regressor(max_iter=5).fit(frame, y)
    ddf = dd.from_pandas(frame, npartitions=N_BLOCKS)
    parallel = wrappers.ParallelPostFit(reg)
    np.testing.assert_allclose(np.asarray(parallel.predict(ddf).compute()),
                               reg.predict(frame), rtol=FLOAT32_TOL, atol=FLOAT32_TOL)


def test_grid_search_on_joblibs_dask_backend(client, data):
    X, y = data
    grid = {"alpha": [1e-4, 1e-1], "hidden_layer_sizes": [(8,), (16,)]}
    search = GridSearchCV(regressor(max_iter=10), grid, cv=3)
    with joblib.parallel_backend("dask"):
        search.fit(X, y)
    local = GridSearchCV(regressor(max_iter=10), grid, cv=3, n_jobs=1).fit(X, y)
    assert search.best_params_ == local.best_params_
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               local.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(search.predict(X), local.predict(X))
