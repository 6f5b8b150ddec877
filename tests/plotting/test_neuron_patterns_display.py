"""NeuronPatternsDisplay: first-layer weights as images.

The images are the weights on the input columns: the twins' first layer.
The model for tables' first layer reads an input embedding instead, which
the display refuses with a message that says so.
"""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skembed import EmbeddingMLPRegressor, MLPRegressor  # noqa: E402
from skembed.plotting import NeuronPatternsDisplay  # noqa: E402


def test_neuron_patterns_display(twin_fitted):
    estimator, _, _, network = twin_fitted
    display = NeuronPatternsDisplay.from_estimator(estimator)
    n_inputs, n_neurons = network.coefs_[0].shape
    side = int(np.sqrt(n_inputs))
    assert len(display.ax_) == len(display.images_) == n_neurons
    assert [ax.get_title() for ax in display.ax_] == [f"hidden1_{j}" for j in range(n_neurons)]
    for j, (ax, image) in enumerate(zip(display.ax_, display.images_)):
        assert image in ax.images
        np.testing.assert_allclose(
            image.get_array(), network.coefs_[0][:, j].reshape(side, side)
        )
    # one shared colour scale, centred on zero
    limit = np.abs(network.coefs_[0]).max()
    assert {image.get_clim() for image in display.images_} == {(-limit, limit)}
    assert display.colorbar_.ax.get_ylabel() == "weight (red excites, blue inhibits)"


def test_neuron_patterns_display_image_shape_and_neurons(twin_regressor):
    display = NeuronPatternsDisplay.from_estimator(
        twin_regressor, image_shape=(1, 4), neurons=[2, 0]
    )
    assert [ax.get_title() for ax in display.ax_] == ["hidden1_2", "hidden1_0"]
    assert display.images_[0].get_array().shape == (1, 4)


def test_neuron_patterns_display_own_axes(twin_classifier):
    fig, axes = plt.subplots(2, 3)
    display = NeuronPatternsDisplay.from_estimator(twin_classifier, ax=axes)
    assert list(display.ax_) == list(axes.ravel())
    fig, ax = plt.subplots()
    display = NeuronPatternsDisplay.from_estimator(twin_classifier, ax=ax, n_cols=3)
    assert len(display.ax_) == 6 and display.figure_ is fig


def test_neuron_patterns_display_needs_an_image(houses):
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = MLPRegressor(hidden_layer_sizes=(3,), max_iter=2).fit(X.iloc[:, :3], y)
    with pytest.raises(ValueError, match="3 features, not a perfect square"):
        NeuronPatternsDisplay.from_estimator(reg)


def test_neuron_patterns_display_refuses_an_input_embedding(fitted, houses):
    estimator, X, _, network = fitted
    width = network.layer_sizes_[0]
    assert width == 9 * X.shape[1]  # numeric_embedding="piecewise_linear"
    with pytest.raises(ValueError, match=rf"input embedding \({width} columns.*"
                                         r"numeric_embedding=None"):
        NeuronPatternsDisplay.from_estimator(estimator)
    # without the numeric embedding, the first layer reads the columns: images again
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = EmbeddingMLPRegressor(hidden_layer_sizes=(3,), max_iter=2,
                                    numeric_embedding=None).fit(X, y)
    display = NeuronPatternsDisplay.from_estimator(reg)
    np.testing.assert_allclose(display.images_[0].get_array(), reg.coefs_[0][:, 0].reshape(2, 2))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"image_shape": (3, 5)}, "must equal 16"),
        ({"image_shape": "4x4"}, "pair of ints"),
        ({"neurons": [6]}, "indices in"),
        ({"neurons": []}, "non-empty"),
        ({"n_cols": 0}, "n_cols"),
    ],
)
def test_neuron_patterns_display_bad_arguments(twin_classifier, kwargs, match):
    with pytest.raises(ValueError, match=match):
        NeuronPatternsDisplay.from_estimator(twin_classifier, **kwargs)
