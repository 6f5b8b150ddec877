"""EmbeddingDisplay: the samples in each layer's embedding space."""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.random_projection import GaussianRandomProjection  # noqa: E402

from skembed import EmbeddingMLPRegressor, MLPClassifier  # noqa: E402
from skembed.datasets import make_houses  # noqa: E402
from skembed.plotting import EmbeddingDisplay  # noqa: E402


def test_embedding_display_default_layers(fitted):
    estimator, X, y, network = fitted
    display = EmbeddingDisplay.from_estimator(estimator, X, y)
    n_hidden = network.n_layers_ - 2
    assert isinstance(display, EmbeddingDisplay)
    assert len(display.ax_) == n_hidden + 1
    assert display.figure_ is display.ax_[0].figure
    titles = [ax.get_title() for ax in display.ax_]
    # the model for tables: each numeric column is itself and 8 learned functions
    assert titles[0] == f"Input embedding\n({9 * X.shape[1]} dimensions from {X.shape[1]} columns)"
    assert titles[1] == f"Hidden layer 1 ({network.layer_sizes_[1]} neurons)"
    for ax, scatter in zip(display.ax_, display.scatters_):
        assert scatter in ax.collections
        assert scatter.get_offsets().shape == (len(X), 2)
        assert ax.get_xlabel().startswith("PC 1 (")
        assert ax.get_ylabel().startswith("PC 2 (")


def test_embedding_display_projects_with_pca(houses, regressor):
    from sklearn.decomposition import PCA

    X, y = houses
    display = EmbeddingDisplay.from_estimator(regressor, X, y, layers=[-1])
    embedding = regressor[-1].embed(regressor[0].transform(X), layer=-1)
    expected = PCA(n_components=2).fit_transform(embedding)
    # PCA components are defined up to sign
    got = display.scatters_[0].get_offsets()
    np.testing.assert_allclose(np.abs(got), np.abs(expected), rtol=1e-6, atol=1e-8)


def test_embedding_display_regressor_has_colorbar(houses, regressor):
    X, y = houses
    display = EmbeddingDisplay.from_estimator(regressor, X, y)
    assert display.legend_ is None
    assert display.colorbar_ is not None
    assert display.colorbar_.ax.get_ylabel() == "price"
    # one figure: the panels and the colorbar's Axes
    assert len(display.figure_.axes) == len(display.ax_) + 1
    np.testing.assert_allclose(display.scatters_[0].get_array(), y.to_numpy())


def test_embedding_display_classifier_has_legend(blobs, classifier):
    X, y = blobs
    display = EmbeddingDisplay.from_estimator(classifier, X, y)
    assert display.colorbar_ is None
    labels = [text.get_text() for text in display.legend_.get_texts()]
    assert labels == ["a", "b", "c"]
    assert display.legend_.get_title().get_text() == "class"
    # each class keeps its own colour in every panel
    display.figure_.canvas.draw()  # scatter colours are mapped at draw time
    first, last = (s.get_facecolors() for s in display.scatters_)
    np.testing.assert_allclose(first, last)
    assert len({tuple(c) for c in first}) == 3


def test_embedding_display_without_target(fitted):
    estimator, X, _, _ = fitted
    display = EmbeddingDisplay.from_estimator(estimator, X, layers="input")
    assert len(display.ax_) == 1
    assert display.colorbar_ is None and display.legend_ is None


def test_embedding_display_output_layer_of_width_one(houses, regressor):
    X, y = houses
    display = EmbeddingDisplay.from_estimator(regressor, X, y, layers="output")
    assert display.ax_[0].get_title() == "Output layer (1 unit)"
    assert display.ax_[0].get_ylabel() == "(1-D layer)"
    np.testing.assert_array_equal(display.scatters_[0].get_offsets()[:, 1], 0)


def test_embedding_display_draws_two_dimensional_layers_as_they_are():
    from skembed.datasets import make_xor

    X, y = make_xor(60, random_state=0)
    # the twin: its input layer is X itself, two-dimensional
    clf = MLPClassifier(hidden_layer_sizes=(2, 3), solver="lbfgs", max_iter=50,
                        random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    display = EmbeddingDisplay.from_estimator(clf, X, y)
    assert display.ax_[0].get_title() == "Input (2 features)"
    np.testing.assert_allclose(display.scatters_[0].get_offsets(), X)
    np.testing.assert_allclose(display.scatters_[1].get_offsets(), clf.embed(X, layer=0))
    assert [display.ax_[0].get_xlabel(), display.ax_[0].get_ylabel()] == ["x0", "x1"]
    assert display.ax_[1].get_xlabel() == "hidden1_0"
    assert display.ax_[2].get_xlabel().startswith("PC 1")


def test_embedding_display_input_embedding_with_categorical_columns():
    X, y = make_houses(150, n_neighbourhoods=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = EmbeddingMLPRegressor(hidden_layer_sizes=(6,), embedding_dims=2, max_iter=5,
                                    random_state=0).fit(X, y)
    display = EmbeddingDisplay.from_estimator(reg, X, y, layers="input")
    # 4 numeric columns, each itself and 8 learned functions, then a 2-D
    # embedding per categorical column
    assert reg.layer_sizes_[0] == 4 * 9 + 2 * 2
    assert display.ax_[0].get_title() == "Input embedding\n(40 dimensions from 6 columns)"
    expected = reg.embed(X, layer="input")
    assert display.scatters_[0].get_offsets().shape == (len(X), 2)
    assert np.linalg.matrix_rank(expected) >= 2


def test_embedding_display_custom_method(blobs, classifier):
    X, y = blobs
    method = GaussianRandomProjection(n_components=2, random_state=0)
    display = EmbeddingDisplay.from_estimator(classifier, X, y, layers=[0], method=method)
    assert display.ax_[0].get_xlabel() == "GaussianRandomProjection 1"
    assert not hasattr(method, "components_")  # cloned, not fitted in place


def test_embedding_display_own_axes(blobs, classifier):
    X, y = blobs
    fig, axes = plt.subplots(1, 2)
    display = EmbeddingDisplay.from_estimator(classifier, X, y, ax=axes)
    assert list(display.ax_) == list(axes)
    assert display.figure_ is fig


def test_embedding_display_single_axes_is_split(blobs, classifier):
    X, y = blobs
    fig, ax = plt.subplots()
    display = EmbeddingDisplay.from_estimator(classifier, X, y, ax=ax)
    assert len(display.ax_) == 2
    assert not ax.axison
    assert all(panel.figure is fig for panel in display.ax_)


def test_embedding_display_plot_again_on_new_axes(blobs, classifier):
    X, y = blobs
    display = EmbeddingDisplay.from_estimator(classifier, X, y, layers=0)
    fig, ax = plt.subplots()
    assert display.plot(ax=ax, cmap="Set1").ax_[0] is ax


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"layers": 5}, ValueError, "out of range"),
        ({"layers": "hidden"}, ValueError, "not understood"),
        ({"layers": [1.5]}, TypeError, "layer must be an int"),
        ({"layers": []}, ValueError, "empty"),
        ({"method": "tsne"}, ValueError, "method='tsne'"),
        ({"method": 3}, TypeError, "fit_transform"),
        ({"method": GaussianRandomProjection(n_components=3)}, ValueError, "n_components=2"),
    ],
)
def test_embedding_display_bad_arguments(blobs, classifier, kwargs, error, match):
    X, y = blobs
    with pytest.raises(error, match=match):
        EmbeddingDisplay.from_estimator(classifier, X, y, **kwargs)


def test_embedding_display_bad_y_and_axes(blobs, classifier):
    X, y = blobs
    with pytest.raises(ValueError, match="one value per sample"):
        EmbeddingDisplay.from_estimator(classifier, X, y[:10])
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="3 Axes but there are 2 panels"):
        EmbeddingDisplay.from_estimator(classifier, X, y, ax=axes)
    with pytest.raises(TypeError, match="Axes"):
        EmbeddingDisplay.from_estimator(classifier, X, y, ax=["not", "axes"])
