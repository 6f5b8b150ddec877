"""Tests for skembed.datasets."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

from skembed.datasets import load_houses, make_houses, make_xor

FIVE_HOUSES_X = [[2500, 4, 2], [1800, 3, 25], [1200, 2, 5], [3500, 5, 40], [800, 1, 1]]
FIVE_HOUSES_Y = [1300.8, 945.9, 649.6, 1793.5, 450.1]
FEATURES = ["size_sqft", "bedrooms", "age_years"]
HOUSE_COLUMNS = ["size_sqft", "bedrooms", "age_years", "pool", "climate", "neighbourhood"]


# --------------------------------------------------------------------------
# load_houses
# --------------------------------------------------------------------------


def test_load_houses_bunch_fields():
    houses = load_houses()
    assert isinstance(houses, Bunch)
    for key in ["data", "target", "frame", "feature_names", "target_names", "DESCR"]:
        assert key in houses
    assert houses.feature_names == FEATURES
    assert houses.target_names == ["price"]
    assert isinstance(houses.DESCR, str)
    for word in [*FEATURES, "price", "square feet", "$K", "years"]:
        assert word in houses.DESCR


def test_load_houses_exact_values_frame():
    houses = load_houses()
    assert isinstance(houses.data, pd.DataFrame)
    assert list(houses.data.columns) == FEATURES
    assert houses.data.to_numpy().tolist() == FIVE_HOUSES_X
    assert isinstance(houses.target, pd.Series)
    assert houses.target.name == "price"
    assert houses.target.dtype == np.float64
    assert houses.target.tolist() == FIVE_HOUSES_Y
    assert isinstance(houses.frame, pd.DataFrame)
    assert list(houses.frame.columns) == [*FEATURES, "price"]
    pd.testing.assert_frame_equal(houses.frame[FEATURES], houses.data)
    pd.testing.assert_series_equal(houses.frame["price"], houses.target)


def test_load_houses_as_frame_false():
    houses = load_houses(as_frame=False)
    assert isinstance(houses.data, np.ndarray)
    assert houses.data.dtype == np.float64
    assert houses.data.shape == (5, 3)
    assert houses.data.tolist() == [[float(v) for v in row] for row in FIVE_HOUSES_X]
    assert isinstance(houses.target, np.ndarray)
    assert houses.target.ndim == 1
    assert houses.target.tolist() == FIVE_HOUSES_Y
    assert houses.frame is None
    assert houses.feature_names == FEATURES


@pytest.mark.parametrize("as_frame", [True, False])
def test_load_houses_return_X_y(as_frame):
    X, y = load_houses(as_frame=as_frame, return_X_y=True)
    bunch = load_houses(as_frame=as_frame)
    assert type(X) is type(bunch.data)
    assert type(y) is type(bunch.target)
    np.testing.assert_array_equal(np.asarray(X), np.asarray(bunch.data))
    np.testing.assert_array_equal(np.asarray(y), FIVE_HOUSES_Y)


def test_load_houses_returns_fresh_copies():
    houses = load_houses()
    houses.data.iloc[0, 0] = -1
    houses.target.iloc[0] = -1.0
    assert load_houses().data.iloc[0, 0] == 2500
    assert load_houses().target.iloc[0] == 1300.8


# --------------------------------------------------------------------------
# make_houses
# --------------------------------------------------------------------------


def test_make_houses_shape_and_dtypes():
    X, y = make_houses(300, random_state=0)
    assert isinstance(X, pd.DataFrame)
    assert isinstance(y, pd.Series)
    assert X.shape == (300, 6)
    assert y.shape == (300,)
    assert y.name == "price"
    assert y.dtype == np.float64
    assert list(X.columns) == HOUSE_COLUMNS
    for col in ["size_sqft", "bedrooms", "age_years", "pool"]:
        assert pd.api.types.is_integer_dtype(X[col]), col
    for col in ["climate", "neighbourhood"]:
        assert isinstance(X[col].dtype, pd.CategoricalDtype), col
    assert list(X["climate"].cat.categories) == ["cold", "temperate", "hot"]
    assert len(X["neighbourhood"].cat.categories) == 20
    assert X["neighbourhood"].cat.categories[0] == "nb_000"
    assert set(X["pool"].unique()) == {0, 1}
    assert X.index.equals(y.index)


def test_make_houses_default_n_samples():
    X, y = make_houses(random_state=0)
    assert X.shape == (1000, 6)
    assert y.shape == (1000,)


def test_make_houses_value_ranges():
    X, y = make_houses(5000, random_state=1)
    assert X["size_sqft"].between(600, 4000).all()
    assert (X["size_sqft"] % 10 == 0).all()
    assert X["bedrooms"].between(1, 6).all()
    assert X["age_years"].between(0, 100).all()
    assert np.isfinite(y).all()
    assert (y > 0).all()
    assert 200 < y.median() < 3000
    assert y.max() < 5000
    # larger houses tend to have more bedrooms
    assert np.corrcoef(X["size_sqft"], X["bedrooms"])[0, 1] > 0.5


def test_make_houses_deterministic_with_seed():
    X1, y1 = make_houses(200, random_state=42)
    X2, y2 = make_houses(200, random_state=42)
    pd.testing.assert_frame_equal(X1, X2)
    pd.testing.assert_series_equal(y1, y2)

    rng_result = make_houses(200, random_state=np.random.RandomState(42))
    pd.testing.assert_frame_equal(rng_result[0], X1)


def test_make_houses_different_seeds_differ():
    X1, y1 = make_houses(200, random_state=0)
    X2, y2 = make_houses(200, random_state=1)
    assert not X1["size_sqft"].equals(X2["size_sqft"])
    assert not np.allclose(y1, y2)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_samples": 0}, "n_samples must be an integer >= 1"),
        ({"n_samples": -5}, "n_samples must be an integer >= 1"),
        ({"n_samples": 10.5}, "n_samples must be an integer >= 1"),
        ({"n_samples": "100"}, "n_samples must be an integer >= 1"),
        ({"n_samples": True}, "n_samples must be an integer >= 1"),
        ({"noise": -1.0}, "noise must be a finite real number >= 0"),
        ({"noise": np.nan}, "noise must be a finite real number >= 0"),
        ({"noise": np.inf}, "noise must be a finite real number >= 0"),
        ({"noise": "loud"}, "noise must be a finite real number >= 0"),
        ({"n_neighbourhoods": 0}, "n_neighbourhoods must be an integer >= 1"),
        ({"n_neighbourhoods": 2.0}, "n_neighbourhoods must be an integer >= 1"),
    ],
)
def test_make_houses_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_houses(**kwargs)


def test_make_houses_accepts_numpy_integers():
    X, y = make_houses(np.int64(7), n_neighbourhoods=np.int32(3), random_state=0)
    assert X.shape == (7, 6)
    assert len(X["neighbourhood"].cat.categories) == 3


def test_make_houses_single_sample_and_neighbourhood():
    X, y, effects = make_houses(1, n_neighbourhoods=1, return_effects=True, random_state=0)
    assert X.shape == (1, 6)
    assert list(effects.index) == ["nb_000"]


def test_make_houses_noise_zero_matches_documented_formula():
    X, y, effects = make_houses(2000, noise=0, return_effects=True, random_state=3)
    climate = X["climate"].astype(str).to_numpy()
    hot = climate == "hot"
    expected = (
        300.0
        + (0.40 * X["size_sqft"] + 120.0 * np.log1p(X["bedrooms"]))
        * (1.0 - 0.012 * np.maximum(0, X["age_years"] - 30))
        + 450.0 * X["pool"] * (hot & (X["size_sqft"] > 2000))
        + pd.Series(climate).map({"cold": -40.0, "temperate": 40.0, "hot": 0.0})
        + effects.loc[X["neighbourhood"].astype(str)].to_numpy()
    )
    np.testing.assert_allclose(y.to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_make_houses_noise_is_additive_gaussian():
    _, y0 = make_houses(4000, noise=0, random_state=5)
    _, y1 = make_houses(4000, noise=25.0, random_state=5)
    residual = y1 - y0
    assert abs(residual.mean()) < 2.0
    assert residual.std() == pytest.approx(25.0, rel=0.05)


def test_make_houses_age_hinge():
    # Black-box: otherwise-identical houses (same size, bedrooms, climate,
    # no pool, a single neighbourhood) cost the same at any age up to 30 and
    # strictly less the older they are past 30.
    X, y = make_houses(60_000, noise=0, n_neighbourhoods=1, random_state=0)
    mask = (X["climate"] == "temperate") & (X["pool"] == 0)
    data = X.loc[mask, ["size_sqft", "bedrooms", "age_years"]].assign(price=y[mask])

    young_groups = checked_old = 0
    for _, group in data.groupby(["size_sqft", "bedrooms"]):
        young = group[group["age_years"] <= 30]
        if len(young) >= 2:
            np.testing.assert_allclose(young["price"], young["price"].iloc[0], rtol=1e-12)
            young_groups += 1
        old = group[group["age_years"] >= 30].drop_duplicates("age_years")
        if len(old) >= 2:
            old = old.sort_values("age_years")
            assert (np.diff(old["price"].to_numpy()) < 0).all()
            checked_old += 1
    assert young_groups > 50
    assert checked_old > 50


def test_make_houses_pool_interaction():
    # Black-box: pairs of houses identical except for the pool. The pool adds
    # the same premium for every hot & large (> 2000 sq ft) house, and nothing
    # anywhere else.
    X, y = make_houses(100_000, noise=0, n_neighbourhoods=1, random_state=0)
    keys = ["size_sqft", "bedrooms", "age_years", "climate"]
    data = X[keys + ["pool"]].assign(price=y)
    data["climate"] = data["climate"].astype(str)
    with_pool = data[data["pool"] == 1].drop_duplicates(keys)
    without = data[data["pool"] == 0].drop_duplicates(keys)
    pairs = with_pool.merge(without, on=keys, suffixes=("_pool", "_nopool"))
    diff = pairs["price_pool"] - pairs["price_nopool"]

    hot_large = (pairs["climate"] == "hot") & (pairs["size_sqft"] > 2000)
    assert hot_large.sum() > 20
    assert (~hot_large).sum() > 50
    np.testing.assert_allclose(diff[~hot_large], 0.0, atol=1e-9)
    assert (diff[hot_large] > 100).all()
    np.testing.assert_allclose(diff[hot_large], diff[hot_large].iloc[0], rtol=1e-9)
    # in particular a pool is worth nothing on a small hot house, or on a
    # large house in another climate
    assert ((pairs["climate"] == "hot") & ~hot_large).sum() > 0
    assert ((pairs["climate"] != "hot") & (pairs["size_sqft"] > 2000)).sum() > 0


def test_make_houses_bedrooms_diminishing_returns():
    # With age <= 30, fixed size, climate, no pool, one neighbourhood, the
    # gain from one more bedroom shrinks as the count grows.
    X, y = make_houses(60_000, noise=0, n_neighbourhoods=1, random_state=1)
    mask = (
        (X["climate"] == "cold")
        & (X["pool"] == 0)
        & (X["age_years"] <= 30)
        & (X["size_sqft"].between(2000, 2400))
    )
    price = y[mask] - 0.40 * X.loc[mask, "size_sqft"]
    by_bedrooms = price.groupby(X.loc[mask, "bedrooms"]).agg(["min", "max"])
    np.testing.assert_allclose(by_bedrooms["min"], by_bedrooms["max"], rtol=1e-12)
    gains = np.diff(by_bedrooms["min"].to_numpy())
    assert len(gains) >= 3
    assert (gains > 0).all()
    assert (np.diff(gains) < 0).all()


def test_make_houses_linear_model_cannot_fit():
    X, y = make_houses(2000, random_state=0)
    X = pd.get_dummies(X.drop(columns="neighbourhood"), columns=["climate"], dtype=float)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    linear = LinearRegression().fit(X_train, y_train).score(X_test, y_test)
    boosted = (
        HistGradientBoostingRegressor(random_state=0)
        .fit(X_train, y_train)
        .score(X_test, y_test)
    )
    assert linear < 0.88
    assert boosted > 0.90
    assert boosted - linear > 0.06


def test_make_houses_return_effects():
    X, y, effects = make_houses(
        500, n_neighbourhoods=50, return_effects=True, random_state=0
    )
    assert isinstance(effects, pd.Series)
    assert effects.name == "neighbourhood_effect"
    assert effects.index.name == "neighbourhood"
    assert len(effects) == 50
    assert list(effects.index) == [f"nb_{i:03d}" for i in range(50)]
    assert list(effects.index) == list(X["neighbourhood"].cat.categories)
    assert set(X["neighbourhood"].astype(str)) <= set(effects.index)

    # effects lie within 10 of one of four levels 100 apart: clusters are
    # easy to recover, and several neighbourhoods share each level
    levels = np.array([-150.0, -50.0, 50.0, 150.0])
    distance = np.abs(effects.to_numpy()[:, None] - levels[None, :])
    assert (distance.min(axis=1) <= 10.0).all()
    counts = np.bincount(distance.argmin(axis=1), minlength=4)
    assert (counts >= 3).all()

    # the same seed gives the same data and effects with or without them
    X2, y2 = make_houses(500, n_neighbourhoods=50, random_state=0)
    pd.testing.assert_frame_equal(X, X2)
    pd.testing.assert_series_equal(y, y2)


def test_make_houses_effects_independent_of_n_samples():
    *_, e1 = make_houses(10, n_neighbourhoods=30, return_effects=True, random_state=7)
    *_, e2 = make_houses(999, n_neighbourhoods=30, return_effects=True, random_state=7)
    pd.testing.assert_series_equal(e1, e2)


def test_make_houses_neighbourhood_effect_shows_in_price():
    X, y, effects = make_houses(
        5000, noise=0, n_neighbourhoods=10, return_effects=True, random_state=2
    )
    nb = X["neighbourhood"].astype(str)
    # price minus its neighbourhood effect no longer depends on neighbourhood
    adjusted = y - effects.loc[nb].to_numpy()
    raw_spread = y.groupby(nb).mean().std()
    adjusted_spread = adjusted.groupby(nb).mean().std()
    assert adjusted_spread < raw_spread / 3


def test_make_houses_high_cardinality():
    X, y, effects = make_houses(
        3000, n_neighbourhoods=1500, return_effects=True, random_state=0
    )
    categories = X["neighbourhood"].cat.categories
    assert len(categories) == 1500
    assert categories[0] == "nb_0000" and categories[-1] == "nb_1499"
    assert len(effects) == 1500
    assert X["neighbourhood"].nunique() > 1000


# --------------------------------------------------------------------------
# make_xor
# --------------------------------------------------------------------------


def test_make_xor_shapes_and_labels():
    X, y = make_xor(random_state=0)
    assert isinstance(X, np.ndarray) and isinstance(y, np.ndarray)
    assert X.shape == (200, 2)
    assert X.dtype == np.float64
    assert y.shape == (200,)
    assert np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) == {0, 1}
    assert (np.abs(X) <= 1.0).all()
    expected = (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int)
    np.testing.assert_array_equal(y, expected)


def test_make_xor_balanced_and_fills_square():
    X, y = make_xor(2000, random_state=1)
    assert 0.45 < y.mean() < 0.55
    quadrant = (X[:, 0] > 0).astype(int) * 2 + (X[:, 1] > 0).astype(int)
    counts = np.bincount(quadrant, minlength=4)
    assert (counts > 400).all()
    assert X.min() < -0.95 and X.max() > 0.95


def test_make_xor_noise_after_labels():
    X0, y0 = make_xor(1000, random_state=3)
    X1, y1 = make_xor(1000, noise=0.2, random_state=3)
    np.testing.assert_array_equal(y0, y1)
    assert (X1 - X0).std() == pytest.approx(0.2, rel=0.1)
    # some noisy points cross an axis, so their label no longer matches signs
    flipped = (np.sign(X1[:, 0]) != np.sign(X1[:, 1])).astype(int) != y1
    assert flipped.any()


def test_make_xor_deterministic_and_seed_dependent():
    Xa, ya = make_xor(100, noise=0.1, random_state=0)
    Xb, yb = make_xor(100, noise=0.1, random_state=0)
    Xc, _ = make_xor(100, noise=0.1, random_state=1)
    np.testing.assert_array_equal(Xa, Xb)
    np.testing.assert_array_equal(ya, yb)
    assert not np.allclose(Xa, Xc)


def test_make_xor_linear_model_near_chance():
    X, y = make_xor(2000, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    accuracy = LogisticRegression().fit(X_train, y_train).score(X_test, y_test)
    assert accuracy < 0.65


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_samples": 0}, "n_samples must be an integer >= 1"),
        ({"n_samples": 3.0}, "n_samples must be an integer >= 1"),
        ({"noise": -0.1}, "noise must be a finite real number >= 0"),
        ({"noise": np.nan}, "noise must be a finite real number >= 0"),
        ({"noise": None}, "noise must be a finite real number >= 0"),
    ],
)
def test_make_xor_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_xor(**kwargs)
