"""Small house-price and XOR datasets for trying out skembed.

The loaders and generators follow scikit-learn's conventions:

- :func:`load_houses` returns the bundled five-house table as a
  :class:`~sklearn.utils.Bunch` (or ``(X, y)`` with ``return_X_y=True``).
- :func:`make_houses` generates a synthetic house-price table whose price has
  non-linear structure a linear model cannot fit (depreciation only past 30
  years of age, diminishing returns per bedroom, a pool that only pays off in a
  hot climate on a large house) plus two categorical columns (climate zone and
  neighbourhood) stored as pandas ``category``.
- :func:`make_xor` generates the XOR problem, the classic data set that no
  linear classifier can separate but a network with one hidden layer can.

All prices are in thousands of US dollars ($K).
"""

import numbers

import numpy as np
import pandas as pd
from sklearn.utils import Bunch, check_random_state

__all__ = ["load_houses", "make_houses", "make_xor"]


# --------------------------------------------------------------------------
# The bundled five-house table
# --------------------------------------------------------------------------

_HOUSE_FEATURES = ["size_sqft", "bedrooms", "age_years"]
_HOUSE_TARGET = "price"

_HOUSES = {
    "size_sqft": [2500, 1800, 1200, 3500, 800],
    "bedrooms": [4, 3, 2, 5, 1],
    "age_years": [2, 25, 5, 40, 1],
    "price": [1300.8, 945.9, 649.6, 1793.5, 450.1],
}

_HOUSES_DESCR = """\
.. _houses_dataset:

Five houses
-----------

A tiny, hand-made house-price table used throughout the skembed
documentation and by ``skembed demo`` to show what each layer of a network
does to an input.

**Data Set Characteristics:**

:Number of Instances: 5
:Number of Attributes: 3 numeric, predictive attributes and the target
:Attribute Information:
    - size_sqft  floor area of the house, in square feet
    - bedrooms   number of bedrooms
    - age_years  age of the house, in years since it was built
:Target:
    - price      sale price of the house, in thousands of US dollars ($K)
:Missing Attribute Values: None

======  =========  ========  =========  =======
house   size_sqft  bedrooms  age_years  price
======  =========  ========  =========  =======
0       2500       4         2          1300.8
1       1800       3         25         945.9
2       1200       2         5          649.6
3       3500       5         40         1793.5
4       800        1         1          450.1
======  =========  ========  =========  =======

For a larger table with the same columns plus a pool, a climate zone and a
neighbourhood, and with price structure that a linear model cannot fit, see
:func:`skembed.datasets.make_houses`.
"""


def load_houses(*, as_frame=True, return_X_y=False):
    """Load the five-house price table (regression).

    Three numeric features describe each house: ``size_sqft`` (floor area in
    square feet), ``bedrooms`` (number of bedrooms) and ``age_years`` (age in
    years). The target ``price`` is the sale price in thousands of US dollars
    ($K).

    =================   ==============
    Samples total                    5
    Dimensionality                   3
    Features            integer counts
    Targets             real, $K
    =================   ==============

    Parameters
    ----------
    as_frame : bool, default=True
        If True, ``data`` is a pandas DataFrame (integer columns), ``target`` a
        pandas Series named ``"price"`` and ``frame`` a DataFrame holding both.
        If False, ``data`` is a float64 ndarray of shape (5, 3), ``target`` a
        float64 ndarray of shape (5,) and ``frame`` is None.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : {ndarray, DataFrame} of shape (5, 3)
            The feature matrix.
        target : {ndarray, Series} of shape (5,)
            The price of each house, in $K.
        frame : DataFrame of shape (5, 4) or None
            ``data`` and ``target`` together; only when ``as_frame=True``.
        feature_names : list of str
            ``["size_sqft", "bedrooms", "age_years"]``.
        target_names : list of str
            ``["price"]``.
        DESCR : str
            A description of the table: what each column means, and its units.

    (data, target) : tuple if ``return_X_y`` is True
        The feature matrix and the target, as described above.

    See Also
    --------
    make_houses : A larger synthetic house-price table with non-linear price
        structure and categorical columns.

    Examples
    --------
    >>> from skembed.datasets import load_houses
    >>> houses = load_houses()
    >>> houses.data.shape
    (5, 3)
    >>> houses.feature_names
    ['size_sqft', 'bedrooms', 'age_years']
    >>> houses.target.tolist()
    [1300.8, 945.9, 649.6, 1793.5, 450.1]
    >>> X, y = load_houses(as_frame=False, return_X_y=True)
    >>> X.dtype, X.shape, y.shape
    (dtype('float64'), (5, 3), (5,))
    >>> X[0].tolist(), float(y[0])
    ([2500.0, 4.0, 2.0], 1300.8)
    """
    frame = pd.DataFrame(
        {name: np.asarray(_HOUSES[name], dtype=np.int64) for name in _HOUSE_FEATURES}
    )
    frame[_HOUSE_TARGET] = np.asarray(_HOUSES[_HOUSE_TARGET], dtype=np.float64)

    if as_frame:
        data = frame[list(_HOUSE_FEATURES)].copy()
        target = frame[_HOUSE_TARGET].copy()
    else:
        data = frame[_HOUSE_FEATURES].to_numpy(dtype=np.float64)
        target = frame[_HOUSE_TARGET].to_numpy(dtype=np.float64)
        frame = None

    if return_X_y:
        return data, target

    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=list(_HOUSE_FEATURES),
        target_names=[_HOUSE_TARGET],
        DESCR=_HOUSES_DESCR,
    )


# --------------------------------------------------------------------------
# Argument validation
# --------------------------------------------------------------------------


def _check_int(value, name, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name} must be an integer >= {minimum}, got {value!r} "
            f"of type {type(value).__name__}."
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _check_noise(noise):
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, numbers.Real):
        raise ValueError(
            f"noise must be a finite real number >= 0, got {noise!r} "
            f"of type {type(noise).__name__}."
        )
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite real number >= 0, got {noise!r}.")
    return float(noise)


# --------------------------------------------------------------------------
# Synthetic house prices
# --------------------------------------------------------------------------

_CLIMATES = ["cold", "temperate", "hot"]
_CLIMATE_EFFECT = {"cold": -40.0, "temperate": 40.0, "hot": 0.0}
_NEIGHBOURHOOD_LEVELS = np.array([-150.0, -50.0, 50.0, 150.0])
_NEIGHBOURHOOD_JITTER = 10.0
_BASE_PRICE = 300.0
_PRICE_PER_SQFT = 0.40
_BEDROOM_VALUE = 120.0
_DEPRECIATION_START = 30
_DEPRECIATION_RATE = 0.012
_POOL_PREMIUM = 450.0
_LARGE_HOUSE_SQFT = 2000


def _neighbourhood_names(n_neighbourhoods):
    width = max(3, len(str(n_neighbourhoods - 1)))
    return [f"nb_{i:0{width}d}" for i in range(n_neighbourhoods)]


def make_houses(
    n_samples=1000,
    *,
    noise=25.0,
    n_neighbourhoods=20,
    return_effects=False,
    random_state=None,
):
    r"""Generate a synthetic house-price table with non-linear structure.

    Each row is a house with four numeric columns and two categorical columns:

    - ``size_sqft`` (int64): floor area in square feet, uniform on
      [600, 4000], rounded to the nearest 10.
    - ``bedrooms`` (int64): ``clip(round(size_sqft / 800 + N(0, 0.75)), 1, 6)``,
      so larger houses tend to have more bedrooms.
    - ``age_years`` (int64): uniform on the integers 0, ..., 100.
    - ``pool`` (int64): 1 if the house has a pool (probability 0.4), else 0.
    - ``climate`` (``category``: ``"cold"``, ``"temperate"``, ``"hot"``),
      each with probability 1/3.
    - ``neighbourhood`` (``category``: ``"nb_000"``, ``"nb_001"``, ...), each
      of the ``n_neighbourhoods`` equally likely. The categories are all the
      neighbourhoods, even those no house in the sample falls in.

    The price, in thousands of US dollars ($K), is

    .. math::

        \mathrm{price} = 300
            + \bigl(0.40\,\mathrm{size\_sqft}
                    + 120\,\log(1 + \mathrm{bedrooms})\bigr)
              \bigl(1 - 0.012\,\max(0, \mathrm{age\_years} - 30)\bigr)
            + 450\,\mathrm{pool}\,[\mathrm{climate} = \mathrm{hot}]
                  \,[\mathrm{size\_sqft} > 2000]
            + c_{\mathrm{climate}} + e_{\mathrm{neighbourhood}}
            + \mathrm{noise}\cdot\varepsilon

    that is, in plain text::

        price = 300
                + (0.40 * size_sqft + 120 * log1p(bedrooms))
                  * (1 - 0.012 * max(0, age_years - 30))
                + 450 * pool * (climate == "hot") * (size_sqft > 2000)
                + c[climate] + e[neighbourhood]
                + noise * eps

    where

    - the structure is worth $0.40K per square foot plus ``120 * log1p``
      of the bedrooms: each extra bedroom adds less than the one before
      (diminishing returns);
    - the structure's value depreciates only past 30 years of age, by 1.2%
      of its new value per year (a hinge at 30 years: ages 0 to 30 all give
      the same price, all else equal);
    - a pool adds $450K, but only in a hot climate on a large house
      (more than 2000 sq ft); anywhere else it adds nothing (an interaction);
    - ``c`` is the climate effect: ``cold`` -40, ``temperate`` +40,
      ``hot`` 0;
    - ``e`` is the neighbourhood effect, drawn once per neighbourhood as one
      of four well-separated levels -150, -50, +50, +150 (equally likely)
      plus a uniform jitter in [-10, 10]. Neighbourhoods whose effects share
      a level are similar, so learned neighbourhood embeddings should cluster
      by level. The effects depend only on ``random_state`` and
      ``n_neighbourhoods``, not on ``n_samples``;
    - ``eps`` is standard Gaussian noise, drawn independently per house.

    Without noise the price is at least about $150K; typical prices range
    from a few hundred to about three thousand $K.

    With the default noise, a linear model on the numeric columns plus
    one-hot climate explains only about 80-85% of the variance of the price
    on held-out data (2000 houses), while a non-linear model (e.g. gradient
    boosting) on the same columns explains about 93%; most of what is left
    is the neighbourhood effect, which those columns do not include.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of houses (rows), at least 1.

    noise : float, default=25.0
        Standard deviation, in $K, of the Gaussian noise added to the price.
        Must be >= 0; with ``noise=0`` the price is exactly the formula above.

    n_neighbourhoods : int, default=20
        Number of distinct neighbourhoods, at least 1. Use a large value
        (say 1000 or more) for a high-cardinality categorical column.

    return_effects : bool, default=False
        If True, also return the true neighbourhood effects ``e``.

    random_state : int, RandomState instance or None, default=None
        Determines the random draws. Pass an int for reproducible output
        across calls.

    Returns
    -------
    X : DataFrame of shape (n_samples, 6)
        Columns ``size_sqft``, ``bedrooms``, ``age_years``, ``pool`` (int64)
        and ``climate``, ``neighbourhood`` (``category``).

    y : Series of shape (n_samples,)
        The price of each house, in $K, named ``"price"`` (float64).

    effects : Series of shape (n_neighbourhoods,)
        Only when ``return_effects=True``: the neighbourhood effect ``e`` in
        $K, indexed by neighbourhood name (index named ``"neighbourhood"``),
        named ``"neighbourhood_effect"``.

    See Also
    --------
    load_houses : The five-house table.

    Examples
    --------
    >>> from skembed.datasets import make_houses
    >>> X, y = make_houses(n_samples=500, random_state=0)
    >>> X.shape, y.shape, y.name
    ((500, 6), (500,), 'price')
    >>> list(X.columns)
    ['size_sqft', 'bedrooms', 'age_years', 'pool', 'climate', 'neighbourhood']
    >>> list(X["climate"].cat.categories)
    ['cold', 'temperate', 'hot']
    >>> bool((y > 0).all())
    True
    >>> X, y, effects = make_houses(
    ...     n_samples=100, n_neighbourhoods=1000, return_effects=True,
    ...     random_state=0)
    >>> len(effects), effects.index[0]
    (1000, 'nb_000')
    """
    n_samples = _check_int(n_samples, "n_samples", 1)
    noise = _check_noise(noise)
    n_neighbourhoods = _check_int(n_neighbourhoods, "n_neighbourhoods", 1)
    rng = check_random_state(random_state)
    # Neighbourhood effects first, so that they depend on the seed and the
    # number of neighbourhoods only.
    levels = rng.randint(0, len(_NEIGHBOURHOOD_LEVELS), size=n_neighbourhoods)
    jitter = rng.uniform(
        -_NEIGHBOURHOOD_JITTER, _NEIGHBOURHOOD_JITTER, size=n_neighbourhoods
    )
    effect = _NEIGHBOURHOOD_LEVELS[levels] + jitter
    houses = _draw_houses(rng, n_samples, n_neighbourhoods)
    eps = rng.normal(size=n_samples)
    price = _price(houses) + effect[houses["neighbourhood"]] + noise * eps

    names = _neighbourhood_names(n_neighbourhoods)
    X = pd.DataFrame(houses)
    X["climate"] = pd.Categorical.from_codes(houses["climate"], categories=_CLIMATES)
    X["neighbourhood"] = pd.Categorical.from_codes(houses["neighbourhood"], categories=names)
    y = pd.Series(price, name="price", dtype=np.float64)
    if return_effects:
        effects = pd.Series(
            effect,
            index=pd.Index(names, name="neighbourhood"),
            name="neighbourhood_effect",
            dtype=np.float64,
        )
        return X, y, effects
    return X, y


def _draw_houses(rng, n_samples, n_neighbourhoods):
    """The columns of ``n_samples`` houses, categories as integer codes."""
    size_sqft = (np.round(rng.uniform(600.0, 4000.0, size=n_samples) / 10.0) * 10.0)
    size_sqft = size_sqft.astype(np.int64)
    bedrooms = np.clip(
        np.round(size_sqft / 800.0 + rng.normal(0.0, 0.75, size=n_samples)), 1, 6
    ).astype(np.int64)
    return {
        "size_sqft": size_sqft,
        "bedrooms": bedrooms,
        "age_years": rng.randint(0, 101, size=n_samples).astype(np.int64),
        "pool": (rng.uniform(size=n_samples) < 0.4).astype(np.int64),
        "climate": rng.randint(0, len(_CLIMATES), size=n_samples),
        "neighbourhood": rng.randint(0, n_neighbourhoods, size=n_samples),
    }


def _price(houses):
    """The noiseless price of ``houses``, without the neighbourhood effect."""
    size_sqft, climate = houses["size_sqft"], houses["climate"]
    climate_effect = np.array([_CLIMATE_EFFECT[c] for c in _CLIMATES])[climate]
    hot = climate == _CLIMATES.index("hot")
    structure = _PRICE_PER_SQFT * size_sqft + _BEDROOM_VALUE * np.log1p(houses["bedrooms"])
    depreciation = 1.0 - _DEPRECIATION_RATE * np.maximum(
        0, houses["age_years"] - _DEPRECIATION_START
    )
    pool_value = _POOL_PREMIUM * houses["pool"] * (hot & (size_sqft > _LARGE_HOUSE_SQFT))
    return _BASE_PRICE + structure * depreciation + pool_value + climate_effect


# --------------------------------------------------------------------------
# XOR
# --------------------------------------------------------------------------


def make_xor(n_samples=200, *, noise=0.0, random_state=None):
    """Generate the XOR classification problem in two dimensions.

    Points are drawn uniformly from the square [-1, 1] x [-1, 1]. A point's
    label is 1 when the signs of its two coordinates differ (second and fourth
    quadrants) and 0 when they agree (first and third quadrants). No straight
    line separates the classes, so a linear classifier does no better than
    chance, while a network with one small hidden layer of ReLUs can fit them.

    Parameters
    ----------
    n_samples : int, default=200
        Number of points, at least 1.

    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to ``X`` *after* the
        labels are computed, so that noisy points can end up on the wrong side
        of an axis. Must be >= 0.

    random_state : int, RandomState instance or None, default=None
        Determines the random draws. Pass an int for reproducible output
        across calls.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), dtype float64
        The points.

    y : ndarray of shape (n_samples,), dtype int64
        The labels: 1 where ``sign(X[:, 0]) != sign(X[:, 1])``, else 0
        (computed before the noise is added).

    Examples
    --------
    >>> from skembed.datasets import make_xor
    >>> X, y = make_xor(n_samples=200, random_state=0)
    >>> X.shape, X.dtype, y.shape
    ((200, 2), dtype('float64'), (200,))
    >>> sorted(set(y.tolist()))
    [0, 1]
    >>> bool(((X[:, 0] * X[:, 1] < 0) == (y == 1)).all())
    True
    """
    n_samples = _check_int(n_samples, "n_samples", 1)
    noise = _check_noise(noise)
    rng = check_random_state(random_state)

    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (np.signbit(X[:, 0]) != np.signbit(X[:, 1])).astype(np.int64)
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y
