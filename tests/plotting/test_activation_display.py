"""ActivationDisplay: one layer's activations as a heatmap."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skembed.plotting import ActivationDisplay  # noqa: E402


def test_activation_display(fitted):
    estimator, X, _, network = fitted
    display = ActivationDisplay.from_estimator(estimator, X)
    X_net = X if estimator is network else estimator[:-1].transform(X)
    embedding = network.embed(X_net)  # embedding_layer
    assert display.im_ in display.ax_.images
    assert display.im_.get_array().shape == embedding.T.shape
    assert display.sparsity_ == pytest.approx(np.mean(embedding <= 0))
    assert display.ax_.get_xlabel() == f"Sample ({len(X)})"
    assert display.ax_.get_ylabel() == "Neuron"
    assert f"{display.sparsity_:.0%} of activations ≤ 0" in display.ax_.get_title()
    assert display.colorbar_.ax in display.figure_.axes
    # ReLU zeros are masked: drawn in their own colour
    np.testing.assert_array_equal(np.ma.getmaskarray(display.im_.get_array()), embedding.T <= 0)


def test_activation_display_default_layer_is_embedding_layer(houses, regressor):
    X, _ = houses
    display = ActivationDisplay.from_estimator(regressor, X)
    assert display.ax_.get_title().startswith("Hidden layer 2 (5 neurons)")
    names = [t.get_text().split()[0] for t in display.ax_.get_yticklabels()]
    assert names == [f"hidden2_{j}" for j in range(5)]
    display = ActivationDisplay.from_estimator(regressor, X, layer=0)
    assert display.ax_.get_title().startswith("Hidden layer 1 (8 neurons)")


def test_activation_display_marks_dead_neurons():
    activations = np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 0.0]])
    display = ActivationDisplay(activations, neuron_names=["hidden1_0", "hidden1_1"]).plot()
    labels = [t.get_text() for t in display.ax_.get_yticklabels()]
    assert labels == ["hidden1_0 (dead)", "hidden1_1"]
    assert display.sparsity_ == pytest.approx(4 / 6)


def test_activation_display_pre_activation_is_diverging(blobs, classifier):
    X, _ = blobs
    display = ActivationDisplay.from_estimator(classifier, X, output="pre_activation")
    vmin, vmax = display.im_.get_clim()
    assert vmin == -vmax
    assert display.im_.get_cmap().name == "RdBu_r"
    assert "pre-activation" in display.ax_.get_title()


def test_activation_display_own_axes(blobs, classifier):
    X, _ = blobs
    fig, ax = plt.subplots()
    display = ActivationDisplay.from_estimator(classifier, X, ax=ax)
    assert display.ax_ is ax and display.figure_ is fig


def test_activation_display_bad_arguments(blobs, classifier):
    X, _ = blobs
    with pytest.raises(ValueError, match="no activations"):
        ActivationDisplay.from_estimator(classifier, X, layer="input")
    with pytest.raises(ValueError, match="out of range"):
        ActivationDisplay.from_estimator(classifier, X, layer=3)
    _, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="one matplotlib Axes"):
        ActivationDisplay.from_estimator(classifier, X, ax=axes)
    with pytest.raises(ValueError, match="2-D"):
        ActivationDisplay(np.zeros(3)).plot()
