"""The input layer of both families: numeric_scaling, missing values,
numeric_embedding, and what inspection and plotting show of them."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPRegressor
from skembed._input_layer import fit_preprocessing, weighted_quantiles
from skembed.inspection import layer_summary

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

QUICK = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0)


def smooth_clip(z):
    return z / np.sqrt(1 + (z / 3) ** 2)


@pytest.fixture
def table():
    """Numbers on very different scales, an outlier, and a price."""
    rng = np.random.default_rng(0)
    n = 400
    X = pd.DataFrame({
        "size": rng.uniform(600, 4000, n),
        "rooms": rng.integers(1, 7, n).astype(float),
        "income": rng.lognormal(11, 1, n),
    })
    X.loc[7, "income"] = 1e9  # an outlier
    y = 0.3 * X["size"] + 20 * X["rooms"] + rng.normal(0, 10, n)
    return X, y


# --------------------------------------------------------------------------
# scaling
# --------------------------------------------------------------------------
def test_robust_scaling_is_median_iqr_then_the_smooth_clip(table):
    X, y = table
    est = MLPRegressor(numeric_scaling="robust", **QUICK).fit(X, y)
    low, median, high = np.percentile(X, [25, 50, 75], axis=0, method="inverted_cdf")
    expected = smooth_clip((X.to_numpy() - median) / (high - low))
    np.testing.assert_allclose(est.embed(X, layer="input"), expected, rtol=1e-6)
    # the outlier stays finite, below 3, and above every other value
    income = est.embed(X, layer="input")[:, 2]
    assert income[7] < 3 and income[7] == income.max()


def test_standard_scaling_is_mean_and_std(table):
    X, y = table
    est = MLPRegressor(numeric_scaling="standard", **QUICK).fit(X, y)
    expected = (X - X.mean()) / X.std(ddof=0)
    np.testing.assert_allclose(est.embed(X, layer="input"), expected, rtol=1e-6)


def test_a_change_of_units_changes_no_prediction(table):
    X, y = table
    est = EmbeddingMLPRegressor(**QUICK).fit(X, y)
    rescaled = EmbeddingMLPRegressor(**QUICK).fit(X * [0.0929, 1.0, 1e-3], y)
    np.testing.assert_allclose(rescaled.predict(X * [0.0929, 1.0, 1e-3]), est.predict(X),
                               rtol=1e-4, atol=1e-3)


def test_statistics_are_learned_once_and_kept_by_partial_fit_and_warm_start(table):
    X, y = table
    chunked = MLPRegressor(numeric_scaling="robust", **QUICK).partial_fit(X, y)
    warm = MLPRegressor(numeric_scaling="robust", warm_start=True, **QUICK).fit(X, y)
    for est, refit in ((chunked, chunked.partial_fit), (warm, warm.fit)):
        before = est.embed(X, layer="input")
        refit(X * 3, y)  # data on another scale: the statistics stay those of the first call
        np.testing.assert_allclose(est.embed(X, layer="input"), before)


def test_weighted_statistics_equal_repeated_rows():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    X[::6, 1] = np.nan
    weights = rng.integers(0, 4, 40).astype(float)
    repeated = np.repeat(X, weights.astype(int), axis=0)
    for scaling in ("robust", "standard"):
        weighted = fit_preprocessing(X, scaling, 16, weights)
        plain = fit_preprocessing(repeated, scaling, 16)
        np.testing.assert_allclose(weighted.center, plain.center, rtol=1e-12)
        np.testing.assert_allclose(weighted.scale, plain.scale, rtol=1e-12)
        np.testing.assert_allclose(weighted.edges, plain.edges, rtol=1e-12, atol=1e-14)


def test_weighted_quantiles_are_values_of_the_column():
    values = np.array([4.0, 1.0, 3.0, 2.0])
    quantiles = weighted_quantiles(values, np.ones(4), [0.0, 0.25, 0.5, 0.75, 1.0])
    assert quantiles.tolist() == [1.0, 1.0, 2.0, 3.0, 4.0]
    heavy = weighted_quantiles(values, np.array([1.0, 1.0, 1.0, 10.0]), [0.5])
    assert heavy.tolist() == [2.0]  # the value of weight 10 holds the median
    assert np.isnan(weighted_quantiles(np.array([]), np.array([]), [0.5])).all()


def test_zero_weight_rows_count_as_no_rows():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 2))
    X[3, 0] = np.nan  # missing only in a row of weight 0: no indicator
    weights = np.ones(50)
    weights[:10] = 0.0
    weighted = fit_preprocessing(X, "robust", 8, weights)
    dropped = fit_preprocessing(X[10:], "robust", 8)
    np.testing.assert_array_equal(weighted.center, dropped.center)
    np.testing.assert_array_equal(weighted.edges, dropped.edges)
    assert weighted.n_missing == 0


def test_huge_values_are_clipped_to_the_top_of_the_scale():
    X = np.vstack([np.random.default_rng(5).normal(size=(100, 2)), [[1e30, -1e200]]])
    est = MLPRegressor(numeric_scaling="robust", **QUICK).fit(X, X[:, 0] * 0)
    huge = est.embed(X[-1:], layer="input")[0]
    assert 2.99 < huge[0] < 3.0 + 1e-12 and -3.0 - 1e-12 < huge[1] < -2.99


# --------------------------------------------------------------------------
# missing values
# --------------------------------------------------------------------------
def test_nan_is_the_median_plus_an_indicator_at_fit_and_at_predict(table):
    X, y = table
    X = X.copy()
    X.loc[[3, 10, 50], "rooms"] = np.nan
    est = MLPRegressor(numeric_scaling="robust", **QUICK).fit(X, y)
    inputs = est.embed(X, layer="input")
    assert inputs.shape == (len(X), 4)  # 3 columns + one indicator for "rooms"
    assert (inputs[[3, 10, 50], 1] == 0).all()
    assert inputs[:, 3].tolist() == X["rooms"].isna().astype(float).tolist()
    # at predict, NaN in a column that had none at fit is its median, no indicator
    new = X.head(3).copy()
    new["size"] = np.nan
    assert np.isfinite(est.predict(new)).all()
    assert (est.embed(new, layer="input")[:, 0] == 0).all()
    # the same with the numeric embedding, and in a later partial_fit
    table = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    table.fit(X.drop(columns="rooms"), y)
    assert np.isfinite(table.predict(new.drop(columns="rooms"))).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DivergenceWarning
        table.partial_fit(new.drop(columns="rooms"), y[:3])


@pytest.mark.parametrize("params", [
    dict(numeric_scaling="robust", numeric_embedding="piecewise_linear", early_stopping=True),
    dict(numeric_scaling="robust", numeric_embedding="periodic", solver="lbfgs"),
    dict(numeric_scaling="standard", numeric_embedding=None, solver="sgd"),
    dict(numeric_scaling="robust", numeric_embedding=None, linear_start=True,
         skip_connection=True),
])
def test_training_on_columns_scaled_once_equals_scaling_each_batch(table, params,
                                                                   monkeypatch):
    # a fit scales its numeric columns once (missing-value indicators and the
    # value channel included); past the memory budget, batch by batch: the
    # two train the very same parameters
    X, y = table
    X = X.copy()
    X.loc[[3, 10, 50], "rooms"] = np.nan
    X["shop"] = pd.Categorical(np.where(np.arange(len(X)) % 3 == 0, "a", "b"))
    def fit():
        return EmbeddingMLPRegressor(hidden_layer_sizes=(8,), max_iter=4, random_state=0,
                                     **params).fit(X, y)
    once = fit()
    monkeypatch.setattr("skembed._network.SCALED_ONCE_BYTES", 0)
    each_batch = fit()
    assert once.n_iter_ == each_batch.n_iter_
    for a, b in zip(once.coefs_, each_batch.coefs_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(once.predict(X), each_batch.predict(X))


def test_nan_without_scaling_is_an_error_naming_it(table):
    X, y = table
    X = X.copy()
    X.loc[3, "rooms"] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MLPRegressor(**QUICK).fit(X, y)


def test_a_classifier_learns_from_a_table_with_missing_values():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600) * 1e4})
    y = (X["a"] + X["b"] / 1e4 > 0).map({True: "yes", False: "no"})
    X.loc[X.index[::10], "a"] = np.nan
    clf = EmbeddingMLPClassifier(random_state=0).fit(X, y)
    assert clf.score(X, y) > 0.85


# --------------------------------------------------------------------------
# numeric embeddings
# --------------------------------------------------------------------------
def tail_kept(X):
    """The value channel of robust-scaled, embedded columns, from scratch:
    (x - median) / IQR, smooth-clipped at 3 times its 99th percentile
    magnitude (at least 3)."""
    X = np.asarray(X, dtype=float)
    low, median, high = np.percentile(X, [25, 50, 75], axis=0, method="inverted_cdf")
    z = (X - median) / (high - low)
    top = np.percentile(np.abs(z), 99, axis=0, method="inverted_cdf")
    bound = 3 * np.maximum(1.0, top)
    return z / np.sqrt(1 + (z / bound) ** 2), z, bound


@pytest.mark.parametrize("kind", ["periodic", "piecewise_linear"])
def test_each_numeric_column_becomes_its_value_and_8_learned_functions(table, kind):
    X, y = table
    est = MLPRegressor(numeric_scaling="robust", numeric_embedding=kind, **QUICK).fit(X, y)
    inputs = est.embed(X, layer="input")
    assert inputs.shape == (len(X), 3 * 9)
    assert est.layer_sizes_[0] == 27
    # the value comes first: after robust scaling, with its tail kept
    np.testing.assert_allclose(inputs[:, ::9], tail_kept(X)[0], rtol=1e-6)
    # after standard scaling, the scaled column itself
    est = MLPRegressor(numeric_scaling="standard", numeric_embedding=kind, **QUICK).fit(X, y)
    scaled = MLPRegressor(numeric_scaling="standard", **QUICK).fit(X, y).embed(X, layer="input")
    np.testing.assert_allclose(est.embed(X, layer="input")[:, ::9], scaled, rtol=1e-6)


def test_the_value_keeps_the_tail_nearly_linear_and_the_outlier_bounded(table):
    X, y = table
    est = EmbeddingMLPRegressor(**QUICK).fit(X, y)
    value = est.embed(X, layer="input")[:, ::9]
    _, z, bound = tail_kept(X)
    # the outlier (1e9, one row of 400) does not stretch the bound: it comes
    # out just below it, finite, above every other value
    income = value[:, 2]
    assert bound[2] < 100 and income[7] == income.max()
    np.testing.assert_allclose(income[7], bound[2], rtol=1e-4)
    # the values within a third of the bound are shrunk by at most 1 - 1/sqrt(10/9), 5%
    inside = np.abs(z) <= bound / 3
    assert np.all(np.abs(value[inside]) >= 0.948 * np.abs(z[inside]) - 1e-6)  # float32
    # the learned functions read the value clipped at 3: the bins stay inside
    assert np.abs(est._network.preprocessing.edges).max() < 3


def test_a_trend_along_a_long_tail_is_learned():
    """Counts and money have long tails that carry the target: a college's
    applications rise with its acceptances up to the largest college. Clipped
    at 3 interquartile ranges, that tail reached the network flattened
    (held-out R2 0.967 here); with the value's tail kept, 0.997."""
    rng = np.random.default_rng(0)
    n = 1000
    X = pd.DataFrame({"accepted": rng.lognormal(7, 1, n), "share": rng.uniform(0, 1, n)})
    y = 3 * X["accepted"] * (0.5 + X["share"]) + rng.normal(0, 50, n)
    train, test = np.arange(750), np.arange(750, n)
    est = EmbeddingMLPRegressor(random_state=0).fit(X.iloc[train], y.iloc[train])
    assert est.score(X.iloc[test], y.iloc[test]) > 0.985


@pytest.mark.parametrize("solver", ["lbfgs", "adam", "sgd"])
def test_every_solver_trains_the_numeric_embedding(table, solver):
    X, y = table
    est = MLPRegressor(numeric_scaling="robust", numeric_embedding="piecewise_linear",
                       solver=solver, learning_rate_init=0.001, **QUICK)
    est.fit(X, y)
    start = MLPRegressor(numeric_scaling="robust", numeric_embedding="piecewise_linear",
                         solver=solver, **{**QUICK, "max_iter": 1}).fit(X, y)
    # the same initial draw, then training: the learned functions moved
    assert not np.allclose(est.embed(X, layer="input")[:, 1:9],
                           start.embed(X, layer="input")[:, 1:9])


def test_partial_fit_trains_the_numeric_embedding(table):
    X, y = table
    est = EmbeddingMLPRegressor(**QUICK).partial_fit(X, y)
    before = est.embed(X, layer="input")
    est.partial_fit(X, y)
    assert not np.allclose(est.embed(X, layer="input"), before)


def test_sparse_input_is_scaled_without_centring_and_not_embedded():
    X = sp.random(300, 20, density=0.1, format="csr", random_state=0) * 100
    y = np.asarray(X.sum(axis=1)).ravel()
    est = EmbeddingMLPRegressor(**QUICK).fit(X, y)
    assert est.layer_sizes_[0] == 20  # no embedding: X stays sparse
    inputs = est.embed(X, layer="input")
    assert sp.issparse(inputs) or (inputs[X.toarray() == 0] == 0).all()


# --------------------------------------------------------------------------
# what inspection and plotting show
# --------------------------------------------------------------------------
def test_layer_summary_counts_each_numeric_embedding_and_every_parameter(table):
    X, y = table
    X = X.assign(city=pd.Categorical(np.resize(["a", "b", "c"], len(X))))
    est = EmbeddingMLPRegressor(**QUICK).fit(X, y)
    summary = layer_summary(est).set_index("layer")
    row = summary.loc["embedding[income]"]
    # 400 rows: a bin per 64 rows, 6 bins
    assert (row["inputs"], row["neurons"], row["weights"], row["biases"]) == (6, 8, 48, 8)
    assert summary.loc["embedding[city]", "activation"] == "lookup"
    assert summary.loc["total", "parameters"] == est._network.params.size
    assert summary.loc["total", "inputs"] == 4  # the columns the network reads
    assert not summary.isna().any().any()


def test_input_embedding_names(table):
    from skembed._reading import input_embedding_names

    X, y = table
    X = X.copy()
    X.loc[3, "rooms"] = np.nan
    est = EmbeddingMLPRegressor(**QUICK).fit(X, y)
    names = input_embedding_names(est)
    assert names[:3] == ["size", "size_e0", "size_e1"]
    assert names[-1] == "rooms_missing"
    assert len(names) == est.layer_sizes_[0]


def test_numeric_embedding_display(table):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skembed.plotting import NumericEmbeddingDisplay

    X, y = table
    X = X.assign(city=pd.Categorical(np.resize(["a", "b"], len(X))))
    est = EmbeddingMLPRegressor(**QUICK).fit(X, y)
    display = NumericEmbeddingDisplay.from_estimator(est, X, "rooms", n_points=50)
    assert display.embedding.shape == (50, 9)
    assert display.dimension_names[0] == "rooms"
    assert 1 <= display.values.min() and display.values.max() <= 6
    # the drawn curves are what embed returns for those values
    grid = X.iloc[[0] * 50].reset_index(drop=True).assign(rooms=display.values)
    np.testing.assert_allclose(display.embedding, est.embed(grid, layer="input")[:, 9:18],
                               rtol=1e-6)
    with pytest.raises(ValueError, match="categorical"):
        NumericEmbeddingDisplay.from_estimator(est, X, "city")
    with pytest.raises(ValueError, match="no column 'floor'"):
        NumericEmbeddingDisplay.from_estimator(est, X, "floor")
    plt.close("all")
