"""What every display shares: finding the network, and matplotlib on demand."""

import importlib
import sys

import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skembed import EmbeddingMLPClassifier
from skembed.plotting import (
    ActivationDisplay,
    EmbeddingDisplay,
    LossCurveDisplay,
    NeuronPatternsDisplay,
)


def test_estimator_checks(blobs):
    X, y = blobs
    with pytest.raises(NotFittedError):
        EmbeddingDisplay.from_estimator(EmbeddingMLPClassifier(), X, y)
    with pytest.raises(TypeError, match="skembed network"):
        EmbeddingDisplay.from_estimator(StandardScaler().fit(X), X, y)
    with pytest.raises(TypeError, match="no skembed network step"):
        LossCurveDisplay.from_estimator(make_pipeline(StandardScaler()).fit(X))


@pytest.fixture
def no_matplotlib(monkeypatch):
    """Make every ``import matplotlib...`` fail, as when it is not installed."""
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)


def test_import_works_without_matplotlib(no_matplotlib, monkeypatch):
    monkeypatch.delitem(sys.modules, "skembed.plotting")
    module = importlib.import_module("skembed.plotting")
    assert hasattr(module, "EmbeddingDisplay")


def test_displays_without_matplotlib_say_how_to_install(no_matplotlib, blobs, classifier):
    X, y = blobs
    calls = [
        lambda: EmbeddingDisplay.from_estimator(classifier, X, y),
        lambda: LossCurveDisplay.from_estimator(classifier),
        lambda: ActivationDisplay.from_estimator(classifier, X),
        lambda: NeuronPatternsDisplay.from_estimator(classifier),
        lambda: LossCurveDisplay([1.0, 0.5]).plot(),
    ]
    for call in calls:
        with pytest.raises(ImportError, match=r'pip install "skembed\[plot\]"'):
            call()
