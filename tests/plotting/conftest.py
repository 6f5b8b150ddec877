"""Fixtures of the display tests, on matplotlib's Agg backend.

``regressor`` and ``classifier`` are the model for tables; ``twin_regressor``
and ``twin_classifier`` the twins, whose first layer reads the input columns
themselves (what NeuronPatternsDisplay draws as images).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skembed import (  # noqa: E402
    EmbeddingMLPClassifier,
    EmbeddingMLPRegressor,
    MLPClassifier,
    MLPRegressor,
)
from skembed.datasets import make_houses  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def houses():
    X, y = make_houses(200, random_state=0)
    return X[["size_sqft", "bedrooms", "age_years", "pool"]], y


def _scaled_regressor(Regressor, houses):
    """A scaler Pipeline around a two-hidden-layer ``Regressor``, early stopping on."""
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_pipeline(
            StandardScaler(),
            Regressor(hidden_layer_sizes=(8, 5), early_stopping=True,
                      learning_rate_init=0.01, max_iter=60, random_state=0),
        ).fit(X, y)


@pytest.fixture(scope="module")
def regressor(houses):
    """A scaler Pipeline around a two-hidden-layer regressor, early stopping on."""
    return _scaled_regressor(EmbeddingMLPRegressor, houses)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(150, n_features=16, centers=3, random_state=0)
    return X, np.array(["a", "b", "c"])[y]


@pytest.fixture(scope="module")
def classifier(blobs):
    """A one-hidden-layer classifier on 16 (= 4x4) features, string classes."""
    X, y = blobs
    return EmbeddingMLPClassifier(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=300,
                                  random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def twin_regressor(houses):
    """The twin of ``regressor``: the same Pipeline with MLPRegressor."""
    return _scaled_regressor(MLPRegressor, houses)


@pytest.fixture(scope="module")
def twin_classifier(blobs):
    """The twin of ``classifier``: MLPClassifier on the 16 (= 4x4) features."""
    X, y = blobs
    return MLPClassifier(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=300,
                         random_state=0).fit(X, y)


def _fitted(request, houses, blobs):
    estimator = request.getfixturevalue(request.param)
    is_regressor = request.param.endswith("regressor")
    X, y = houses if is_regressor else blobs
    network = estimator[-1] if is_regressor else estimator
    return estimator, X, y, network


@pytest.fixture(params=["regressor", "classifier"])
def fitted(request, houses, blobs):
    """(estimator, X, y, the network itself) for each kind of estimator."""
    return _fitted(request, houses, blobs)


@pytest.fixture(params=["twin_regressor", "twin_classifier"])
def twin_fitted(request, houses, blobs):
    """(estimator, X, y, the network itself) for each kind of twin."""
    return _fitted(request, houses, blobs)
