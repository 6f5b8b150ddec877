"""Entity embeddings: categorical columns learned as lookup tables."""

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPRegressor
from skembed._categorical import auto_embedding_dim
from skembed.datasets import make_houses

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

NUMERIC = ["size_sqft", "bedrooms", "age_years", "pool"]


def frame(n=200, seed=0):
    rng = np.random.RandomState(seed)
    colour = rng.choice(["red", "green", "blue"], n)
    df = pd.DataFrame({
        "x": rng.normal(size=n),
        "colour": pd.Categorical(colour, categories=["red", "green", "blue"]),
        "city": rng.choice(["paris", "rome", "oslo", "lima"], n).astype(object),
        "flag": rng.rand(n) > 0.5,
    })
    y = df["x"] + (df["colour"] == "red") * 2.0 - (df["city"] == "oslo") + df["flag"]
    return df, y.to_numpy(dtype=float)


def small(**params):
    return EmbeddingMLPRegressor(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=100,
                                 random_state=0, **params)


def test_from_dtype_embeds_category_object_and_bool_columns():
    X, y = frame()
    est = small().fit(X, y)
    assert list(est.categorical_embeddings_) == ["colour", "city", "flag"]
    dims = [auto_embedding_dim(n) for n in (3, 4, 2)]
    # the numeric column "x" enters as itself and 8 learned functions of it
    # (numeric_embedding="piecewise_linear"), then come the categorical embeddings
    assert est.layer_sizes_[0] == 9 + sum(dims)
    colour = est.categorical_embeddings_["colour"]
    assert list(colour.index) == ["red", "green", "blue", "<unknown>", "<missing>"]
    assert list(colour.columns) == [f"colour_{k}" for k in range(dims[0])]
    assert list(est.categorical_embeddings_["city"].index[:4]) == ["lima", "oslo", "paris", "rome"]
    assert est.score(X, y) > 0.9
    assert est.n_features_in_ == 4
    assert list(est.feature_names_in_) == list(X.columns)


@pytest.mark.parametrize("selection", [["colour", "city"], [1, 2], [False, True, True, False],
                                       np.array([False, True, True, False]), np.array([1, 2])])
def test_explicit_selection_by_name_index_or_mask(selection):
    X, y = frame()
    X = X.assign(flag=X["flag"].astype(float))
    est = small(categorical_features=selection).fit(X, y)
    assert list(est.categorical_embeddings_) == ["colour", "city"]


def test_none_means_no_embedding_and_strings_get_a_clear_error():
    X, y = frame()
    with pytest.raises(ValueError, match="city"):
        small(categorical_features=None).fit(X, y)
    numeric_only = X[["x"]].assign(flag=X["flag"].astype(float))
    est = small(categorical_features=None).fit(numeric_only, y)
    assert est.categorical_embeddings_ == {}


@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, EmbeddingMLPClassifier])
def test_a_date_or_duration_column_gets_an_error_that_says_how_to_convert_it(Estimator):
    X, y = frame()
    y = y if Estimator is EmbeddingMLPRegressor else np.where(y > np.median(y), "hi", "lo")
    dates = X.assign(when=pd.date_range("2020-01-01", periods=len(X), freq="D"))
    with pytest.raises(ValueError,
                       match=r"\['when'\] hold dates, periods or durations.*\.dt\.year"):
        Estimator(max_iter=1).fit(dates, y)
    months = X.assign(month=pd.period_range("2020-01", periods=len(X), freq="M"))
    with pytest.raises(ValueError, match=r"\['month'\] hold dates, periods or durations"):
        Estimator(max_iter=1).fit(months, y)
    spans = X.assign(took=pd.to_timedelta(np.arange(len(X)), unit="h"))
    with pytest.raises(ValueError, match=r"\['took'\].*total_seconds"):
        Estimator(max_iter=1).fit(spans, y)
    # converted as the message says, the same frame trains
    converted = dates.assign(when=dates["when"].dt.dayofyear)
    assert Estimator(max_iter=1).fit(converted, y).n_features_in_ == X.shape[1] + 1


@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, MLPRegressor])
def test_a_complex_column_gets_an_error_that_names_it_not_the_whole_frame(Estimator):
    X, y = frame()
    X = X[["x"]].assign(wave=np.exp(1j * np.arange(len(X))))
    with pytest.raises(ValueError, match=r"\['wave'\] hold complex numbers") as caught:
        Estimator(max_iter=1).fit(X, y)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, MLPRegressor])
def test_infinite_or_out_of_range_values_get_an_error_that_names_the_column(Estimator):
    X, y = frame()
    X = X[["x"]].assign(rate=np.where(np.arange(len(X)) % 17 == 0, -np.inf, 1.0))
    with pytest.raises(ValueError, match=r"\['rate'\] hold infinite values"):
        Estimator(max_iter=1).fit(X, y)
    fitted = Estimator(max_iter=1).fit(X.assign(rate=1.0), y)
    with pytest.raises(ValueError, match=r"\['rate'\] hold infinite values"):
        fitted.predict(X)
    huge = X.assign(rate=np.where(np.arange(len(X)) % 17 == 0, 1e300, 1.0))
    with pytest.raises(ValueError, match=r"\['rate'\] hold values beyond float32's range.*float64"):
        Estimator(max_iter=1, dtype="float32").fit(huge, y)


def test_selection_errors_name_the_problem():
    X, y = frame()
    with pytest.raises(ValueError, match="'town'"):
        small(categorical_features=["town"]).fit(X, y)
    with pytest.raises(ValueError, match="boolean mask needs 4 entries"):
        small(categorical_features=[True, False]).fit(X, y)
    with pytest.raises(ValueError, match=r"embedding_dims\['city'\] must be a positive int"):
        small(embedding_dims={"city": 0}).fit(X, y)


def test_embedding_dims_int_and_dict():
    X, y = frame()
    est = small(embedding_dims=2).fit(X, y)
    assert [df.shape[1] for df in est.categorical_embeddings_.values()] == [2, 2, 2]
    est = small(embedding_dims={"city": 5}).fit(X, y)
    assert est.categorical_embeddings_["city"].shape == (4 + 2, 5)
    assert est.categorical_embeddings_["colour"].shape[1] == auto_embedding_dim(3)


def test_unseen_categories_and_missing_values_use_the_reserved_rows():
    X, y = frame()
    est = small().fit(X, y)
    new = X.head(3).copy()
    new["city"] = ["atlantis", None, "rome"]
    new["colour"] = pd.Categorical([None, "red", "red"], categories=["red", "green", "blue"])
    pred = est.predict(new)
    assert np.isfinite(pred).all()
    inputs = est.embed(new, layer="input")
    city = est.categorical_embeddings_["city"]
    colour = est.categorical_embeddings_["colour"]
    # the input embedding: "x" as 9 columns (its robust-scaled value with its
    # tail kept, then 8 learned functions of it), then colour's embedding,
    # then city's
    start = 9 + colour.shape[1]
    np.testing.assert_allclose(inputs[0, start : start + city.shape[1]], city.loc["<unknown>"])
    np.testing.assert_allclose(inputs[1, start : start + city.shape[1]], city.loc["<missing>"])
    np.testing.assert_allclose(inputs[2, start : start + city.shape[1]], city.loc["rome"])
    np.testing.assert_allclose(inputs[0, 9:start], colour.loc["<missing>"])
    low, median, high = np.percentile(X["x"], [25, 50, 75], method="inverted_cdf")
    z = (new["x"] - median) / (high - low)
    top = np.percentile(np.abs(X["x"] - median) / (high - low), 99, method="inverted_cdf")
    bound = 3 * max(1.0, top)
    np.testing.assert_allclose(inputs[:, 0], z / np.sqrt(1 + (z / bound) ** 2), rtol=1e-6)


def test_reserved_labels_never_clash_with_a_real_category():
    X, y = frame()
    X["city"] = X["city"].replace("lima", "<unknown>")
    est = small().fit(X, y)
    index = list(est.categorical_embeddings_["city"].index)
    assert index.count("<unknown>") == 1
    assert "_<unknown>" in index


def test_column_order_must_match_training():
    X, y = frame()
    est = small().fit(X, y)
    with pytest.raises(ValueError, match="feature names"):
        est.predict(X[["city", "x", "colour", "flag"]])


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_tables_train_with_every_solver(solver):
    X, y = frame(400)
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), solver=solver, max_iter=40,
                                random_state=0, learning_rate_init=0.01)
    initial = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), solver=solver, max_iter=1,
                                    random_state=0, learning_rate_init=0.01)
    est.fit(X, y)
    initial.fit(X, y)
    moved = est.categorical_embeddings_["colour"].iloc[:3] - \
        initial.categorical_embeddings_["colour"].iloc[:3]
    assert np.abs(moved.to_numpy()).max() > 1e-3
    # reserved rows get no gradient from training data: only the L2 penalty shrinks them
    assert est.score(X, y) > 0.5


def test_partial_fit_maps_categories_first_seen_later_to_unknown():
    X, y = frame(300)
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), random_state=0)
    first = X[X["city"] != "oslo"]
    est.partial_fit(first, y[first.index])
    assert "oslo" not in est.categorical_embeddings_["city"].index
    est.partial_fit(X, y)  # oslo appears: it is learned as the unknown row
    assert list(est.categorical_embeddings_["city"].index) == [
        "lima", "paris", "rome", "<unknown>", "<missing>"]
    # a pandas category dtype declares every category up front
    declared = X.assign(city=pd.Categorical(X["city"], categories=["lima", "oslo", "paris",
                                                                   "rome"]))
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), random_state=0)
    est.partial_fit(declared[declared["city"] != "oslo"], y[first.index])
    assert "oslo" in est.categorical_embeddings_["city"].index


def rare_frame(n=200, seed=0):
    """``frame`` with a fourth city in 2 rows and an id-like column, one
    value per row."""
    X, y = frame(n, seed)
    city = X["city"].to_numpy().copy()
    city[[3, 7]] = "quito"
    return X.assign(city=city, id=[f"row{i}" for i in range(n)]), y


def test_min_frequency_sends_rare_categories_to_the_unknown_row():
    assert EmbeddingMLPRegressor().min_frequency == 5
    assert MLPRegressor().min_frequency is None
    X, y = rare_frame()
    est = small(min_frequency=3).fit(X, y)
    city = est.categorical_embeddings_["city"]
    assert list(city.index) == ["lima", "oslo", "paris", "rome", "<unknown>", "<missing>"]
    # the id column keeps only its reserved rows, and its width follows
    assert list(est.categorical_embeddings_["id"].index) == ["<unknown>", "<missing>"]
    assert est.categorical_embeddings_["id"].shape[1] == auto_embedding_dim(1)
    # a rare category and one never seen are the same input
    new = X.iloc[[3, 3]].assign(city=["quito", "atlantis"], id=["row3", "row999"])
    inputs = est.embed(new, layer="input")
    np.testing.assert_array_equal(inputs[0], inputs[1])
    # and the shared row learned from the rare rows. Without the L2 penalty a
    # row no training row reads stays at its initial value, as it does for
    # the same network trained without those two rows
    learned = small(min_frequency=3, alpha=0.0).fit(X, y)
    untouched = small(min_frequency=3, alpha=0.0).fit(X.drop(index=[3, 7]),
                                                      np.delete(y, [3, 7]))
    moved = (learned.categorical_embeddings_["city"].loc["<unknown>"]
             - untouched.categorical_embeddings_["city"].loc["<unknown>"])
    assert np.abs(moved.to_numpy()).max() > 1e-3
    untouched_missing = untouched.categorical_embeddings_["city"].loc["<missing>"]
    np.testing.assert_array_equal(
        learned.categorical_embeddings_["city"].loc["<missing>"], untouched_missing)


def test_min_frequency_counts_rows_and_drops_declared_categories_absent_from_the_data():
    X, y = rare_frame()
    X["colour"] = X["colour"].cat.add_categories(["purple"])
    counts = X["city"].value_counts()
    for threshold in (2, 3, int(counts.min()) + 1):
        est = small(min_frequency=threshold).fit(X, y)
        kept = est.categorical_embeddings_["city"].index[:-2]
        assert sorted(kept) == sorted(counts.index[counts >= threshold])
        assert "purple" not in est.categorical_embeddings_["colour"].index
    # None keeps every category, the declared ones too
    est = small(min_frequency=None).fit(X, y)
    assert "quito" in est.categorical_embeddings_["city"].index
    assert "purple" in est.categorical_embeddings_["colour"].index
    assert est.categorical_embeddings_["id"].shape[0] == len(X) + 2


def test_min_frequency_is_counted_on_fit_not_on_partial_fit_nor_a_warm_start():
    X, y = rare_frame()
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), min_frequency=3, random_state=0)
    est.partial_fit(X.iloc[:20], y[:20])  # quito is in 2 of the first 20 rows
    assert "quito" in est.categorical_embeddings_["city"].index
    warm = small(min_frequency=3, warm_start=True).fit(X, y)
    warm.fit(pd.concat([X, X.iloc[[3] * 5]]), np.concatenate([y, y[[3] * 5]]))
    assert "quito" not in warm.categorical_embeddings_["city"].index


def test_min_frequency_must_be_a_positive_int():
    X, y = frame()
    for bad in (0, 2.5, "5"):
        with pytest.raises(ValueError, match="min_frequency"):
            small(min_frequency=bad).fit(X, y)


def test_classifier_with_categorical_columns():
    X, y = frame(300)
    labels = np.where(y > np.median(y), "high", "low")
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    assert clf.fit(X, labels).score(X, labels) > 0.85
    assert clf.predict_proba(X.head(2)).shape == (2, 2)


def test_numpy_object_array_with_categorical_indices():
    X, y = frame()
    array = X[["x", "city"]].to_numpy(dtype=object)
    est = small(categorical_features=[1]).fit(array, y)
    assert list(est.categorical_embeddings_) == ["1"]
    assert est.predict(array).shape == (200,)


def test_pipeline_scaling_only_numeric_columns_and_grid_search_over_dims():
    X, y = make_houses(600, random_state=0)
    scale_numeric = ColumnTransformer(
        [("numeric", StandardScaler(), NUMERIC)], remainder="passthrough",
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    pipe = make_pipeline(scale_numeric, EmbeddingMLPRegressor(
        hidden_layer_sizes=(16,), solver="lbfgs", max_iter=200, random_state=0))
    grid = GridSearchCV(pipe, {"embeddingmlpregressor__embedding_dims": [1, 3]}, cv=2)
    grid.fit(X, y)
    net = grid.best_estimator_[-1]
    assert set(net.categorical_embeddings_) == {"climate", "neighbourhood"}
    assert net.categorical_embeddings_["climate"].shape[1] == \
        grid.best_params_["embeddingmlpregressor__embedding_dims"]
    assert grid.best_score_ > 0.8


def test_embeddings_carry_the_neighbourhood_structure():
    X, y, effects = make_houses(4000, n_neighbourhoods=20, return_effects=True, random_state=0)
    scale_numeric = ColumnTransformer(
        [("numeric", StandardScaler(), NUMERIC)], remainder="passthrough",
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    net = EmbeddingMLPRegressor(hidden_layer_sizes=(32, 16), solver="lbfgs", max_iter=300,
                                embedding_dims={"neighbourhood": 4}, random_state=0)
    make_pipeline(scale_numeric, net).fit(X, y)
    table = net.categorical_embeddings_["neighbourhood"].iloc[:20]
    effect = effects.loc[table.index].to_numpy()
    # neighbourhoods with similar price effects sit close in embedding space
    assert spearmanr(pdist(table.to_numpy()), pdist(effect[:, None])).correlation > 0.5
    level = np.round((effect + 150) / 100)  # the four levels make_houses draws from
    distance = np.linalg.norm(table.to_numpy()[:, None] - table.to_numpy()[None], axis=2)
    upper = np.triu_indices(20, 1)
    same = (level[:, None] == level[None, :])[upper]
    assert distance[upper][same].mean() < 0.8 * distance[upper][~same].mean()


def test_categorical_embeddings_beat_dropping_the_columns():
    X, y = make_houses(3000, n_neighbourhoods=50, random_state=1)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    scale = ColumnTransformer([("numeric", StandardScaler(), NUMERIC)], remainder="passthrough",
                              verbose_feature_names_out=False).set_output(transform="pandas")
    params = dict(hidden_layer_sizes=(32, 16), solver="lbfgs", max_iter=300, random_state=0)
    with_tables = make_pipeline(scale, EmbeddingMLPRegressor(**params)).fit(X_tr, y_tr)
    numeric = make_pipeline(StandardScaler(), EmbeddingMLPRegressor(**params))
    numeric.fit(X_tr[NUMERIC], y_tr)
    assert with_tables.score(X_te, y_te) > numeric.score(X_te[NUMERIC], y_te) + 0.05


def test_polars_categorical_and_enum_columns():
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")  # polars hands frames to pandas through arrow
    X, y = frame(300)
    polars_frame = pl.from_pandas(X[["x", "city"]]).with_columns(
        pl.col("city").cast(pl.Categorical)
    )
    enum_frame = polars_frame.with_columns(
        pl.col("city").cast(pl.String).cast(pl.Enum(["lima", "oslo", "paris", "rome"]))
    )
    target = X["x"].to_numpy() + (X["city"] == "oslo").to_numpy() * 2.0
    for data in (polars_frame, enum_frame):
        est = small().fit(data, target)
        assert list(est.categorical_embeddings_) == ["city"]
        assert list(est.feature_names_in_) == ["x", "city"]
        assert est.score(data, target) > 0.95


# ---------------------------------------------------------------------------
# categorical_features="auto": codes stored as whole numbers
# ---------------------------------------------------------------------------
def panel(n=1200, seed=0):
    """A state's number (46 states, effects in no order of the number), an
    age whose effect is smooth, a count that says nothing, and a price."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({
        "state": rng.randint(1, 47, n),
        "age": rng.randint(18, 80, n),
        "visits": rng.randint(0, 40, n),
        "price": rng.uniform(1.0, 5.0, n),
    })
    effect = rng.normal(size=47)
    y = (effect[X["state"]] + np.sin(X["age"] / 10.0) - 0.5 * X["price"]
         + rng.normal(0, 0.1, n))
    return X, y.to_numpy()


def quick(Estimator=EmbeddingMLPRegressor, **params):
    return Estimator(hidden_layer_sizes=(32,), solver="lbfgs", max_iter=200,
                     random_state=0, **params)


def test_auto_gives_a_code_stored_as_a_number_a_table_and_leaves_quantities_numeric():
    assert EmbeddingMLPRegressor().categorical_features == "auto"
    assert MLPRegressor().categorical_features is None
    X, y = panel()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    auto = quick().fit(X_tr, y_tr)
    assert list(auto.categorical_embeddings_) == ["state"]
    states = auto.categorical_embeddings_["state"].index[:-2]
    assert list(states) == sorted(X_tr["state"].unique())
    by_dtype = quick(categorical_features="from_dtype").fit(X_tr, y_tr)
    assert by_dtype.categorical_embeddings_ == {}
    # read as a number, 46 states in no order cannot each get their effect
    assert auto.score(X_te, y_te) > by_dtype.score(X_te, y_te) + 0.2
    # and casting the column by hand gives the same network
    cast = quick(categorical_features="from_dtype").fit(
        X_tr.astype({"state": "category"}), y_tr)
    np.testing.assert_allclose(cast.predict(X_te.astype({"state": "category"})),
                               auto.predict(X_te), rtol=1e-5, atol=1e-6)


def test_auto_codes_at_predict_time_unseen_and_missing_values():
    X, y = panel()
    est = quick().fit(X, y)
    new = X.iloc[[0, 0, 0, 0]].assign(state=[99.0, 1000.0, np.nan, X["state"].iloc[0]])
    inputs = est.embed(new, layer="input")
    np.testing.assert_array_equal(inputs[0], inputs[1])  # both unknown
    assert not np.array_equal(inputs[0], inputs[2])  # missing has its own row
    np.testing.assert_allclose(est.predict(new.iloc[[3]]), est.predict(X.iloc[[0]]),
                               rtol=1e-5)
    # the column still takes floats that are whole numbers, as it was given
    np.testing.assert_allclose(est.predict(X.astype({"state": float}).iloc[:5]),
                               est.predict(X.iloc[:5]), rtol=1e-6)


def test_auto_classifier_and_an_array_without_column_names():
    X, y = panel()
    labels = np.where(y > np.median(y), "high", "low")
    clf = quick(EmbeddingMLPClassifier).fit(X, labels)
    assert list(clf.categorical_embeddings_) == ["state"]
    arr = quick().fit(X.to_numpy(), y)
    assert list(arr.categorical_embeddings_) == ["0"]
    assert arr.n_features_in_ == 4


def test_auto_leaves_few_valued_columns_to_their_knots_and_decides_on_fit_only():
    X, y = panel()
    # five regions in no order: the piecewise-linear embedding has a knot for
    # each of them, so the number is enough
    region = np.random.RandomState(1).randint(0, 5, len(X))
    few = X.assign(state=region)
    y_few = np.array([0.0, 2.0, -1.0, 1.0, -2.0])[region] + X["price"].to_numpy()
    assert quick().fit(few, y_few).categorical_embeddings_ == {}
    # partial_fit decides by dtype only; a warm start keeps the first fit's tables
    stream = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), random_state=0)
    stream.partial_fit(X, y)
    assert stream.categorical_embeddings_ == {}
    warm = quick(warm_start=True).fit(X, y)
    warm.fit(X.assign(state=0), y)
    assert list(warm.categorical_embeddings_) == ["state"]


def test_code_columns_weighs_rows_and_skips_what_is_not_a_whole_number():
    from skembed._categorical import code_columns

    X, y = panel()
    target = (y - y.mean()) / y.std()
    assert code_columns(X, target, None, 16, 5) == [0]
    assert code_columns(X, target, np.full(len(X), 3.0), 16, 5) == [0]
    # a state number with a fraction is no code
    assert code_columns(X.assign(state=X["state"] + 0.5 * (X.index % 2)),
                        target, None, 16, 5) == []
    # rows of weight 0 are not read: the states' effects live in them alone
    weights = np.where(X["state"] % 2 == 0, 1.0, 0.0)
    flat = np.where(weights > 0, 0.1 * X["price"], target)
    assert code_columns(X, flat, weights, 16, 5) == []
    assert code_columns(X, flat, None, 16, 5) == [0]


def repeated_measures(n_people=300, visits=4, seed=0):
    """Each person's id (a whole number) seen ``visits`` times, a strong
    effect per person in no order of the id, and a dose with a smooth effect."""
    rng = np.random.RandomState(seed)
    person = np.repeat(rng.permutation(n_people) + 1000, visits)
    dose = rng.uniform(0.0, 2.0, len(person))
    effect = rng.normal(size=n_people + 1000)
    y = effect[person] + np.sin(2.0 * dose) + rng.normal(0, 0.3, len(person))
    return pd.DataFrame({"person": person, "dose": dose}), y


def test_auto_codes_need_three_rows_where_categories_from_the_dtype_need_min_frequency():
    from skembed._categorical import CODE_MIN_FREQUENCY, code_frequency

    assert CODE_MIN_FREQUENCY == 3
    assert code_frequency(5) == 3 and code_frequency(2) == 2 and code_frequency(None) is None
    X, y = repeated_measures(visits=4)
    # every other person loses a visit: three rows or four, too few for
    # min_frequency=5, enough for a code
    kept = np.arange(len(X)) % 8 != 0
    X, y = X[kept].reset_index(drop=True), y[kept]
    visits = X["person"].value_counts()
    assert visits.min() == 3 and visits.max() == 4
    est = quick().fit(X, y)
    assert list(est.categorical_embeddings_) == ["person"]
    people = est.categorical_embeddings_["person"].index[:-2]
    assert list(people) == sorted(visits.index)  # every person has a row
    # the same column cast by hand is held to min_frequency: nobody has a row
    cast = quick(categorical_features="from_dtype").fit(X.astype({"person": "category"}), y)
    assert len(cast.categorical_embeddings_["person"]) == 2  # unknown + missing
    # a lower min_frequency lowers the codes' threshold with it
    two = quick(min_frequency=2).fit(X, y)
    assert len(two.categorical_embeddings_["person"]) == len(visits) + 2


def test_auto_a_person_seen_three_times_is_learned():
    X, y = repeated_measures(visits=4)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
    auto = quick().fit(X_tr, y_tr)
    assert list(auto.categorical_embeddings_) == ["person"]
    by_dtype = quick(categorical_features="from_dtype").fit(X_tr, y_tr)
    # each person's effect, learned from three rows on average, predicts the fourth
    assert auto.score(X_te, y_te) > by_dtype.score(X_te, y_te) + 0.3
