"""Tests of skembed.plotting on matplotlib's Agg backend."""

import importlib
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.random_projection import GaussianRandomProjection

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor  # noqa: E402
from skembed.datasets import make_houses  # noqa: E402
from skembed.plotting import (  # noqa: E402
    ActivationDisplay,
    EmbeddingDisplay,
    LossCurveDisplay,
    NeuronPatternsDisplay,
)

DISPLAYS = [EmbeddingDisplay, LossCurveDisplay, ActivationDisplay, NeuronPatternsDisplay]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def houses():
    X, y = make_houses(200, random_state=0)
    return X[["size_sqft", "bedrooms", "age_years", "pool"]], y


@pytest.fixture(scope="module")
def regressor(houses):
    """A scaler Pipeline around a two-hidden-layer regressor, early stopping on."""
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_pipeline(
            StandardScaler(),
            EmbeddingMLPRegressor(hidden_layer_sizes=(8, 5), early_stopping=True,
                                  learning_rate_init=0.01, max_iter=60, random_state=0),
        ).fit(X, y)


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


@pytest.fixture(params=["regressor", "classifier"])
def fitted(request, houses, blobs):
    """(estimator, X, y, the network itself) for each kind of estimator."""
    estimator = request.getfixturevalue(request.param)
    X, y = houses if request.param == "regressor" else blobs
    network = estimator[-1] if request.param == "regressor" else estimator
    return estimator, X, y, network


# --------------------------------------------------------------------------
# EmbeddingDisplay
# --------------------------------------------------------------------------
def test_embedding_display_default_layers(fitted):
    estimator, X, y, network = fitted
    display = EmbeddingDisplay.from_estimator(estimator, X, y)
    n_hidden = network.n_layers_ - 2
    assert isinstance(display, EmbeddingDisplay)
    assert len(display.ax_) == n_hidden + 1
    assert display.figure_ is display.ax_[0].figure
    titles = [ax.get_title() for ax in display.ax_]
    assert titles[0] == f"Input ({X.shape[1]} features)"
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
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(2, 3), solver="lbfgs", max_iter=50,
                                 random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    display = EmbeddingDisplay.from_estimator(clf, X, y)
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
    # 4 numeric columns, then a 2-D embedding per categorical column
    assert display.ax_[0].get_title() == "Input (8 features)"
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


def test_estimator_checks(blobs):
    X, y = blobs
    with pytest.raises(NotFittedError):
        EmbeddingDisplay.from_estimator(EmbeddingMLPClassifier(), X, y)
    with pytest.raises(TypeError, match="skembed network"):
        EmbeddingDisplay.from_estimator(StandardScaler().fit(X), X, y)
    with pytest.raises(TypeError, match="no skembed network step"):
        LossCurveDisplay.from_estimator(make_pipeline(StandardScaler()).fit(X))


# --------------------------------------------------------------------------
# LossCurveDisplay
# --------------------------------------------------------------------------
def test_loss_curve_display_with_validation(regressor):
    network = regressor[-1]
    display = LossCurveDisplay.from_estimator(regressor)
    assert display.figure_ is display.ax_.figure
    np.testing.assert_allclose(display.line_.get_ydata(), network.loss_curve_)
    np.testing.assert_array_equal(
        display.line_.get_xdata(), np.arange(1, len(network.loss_curve_) + 1)
    )
    assert display.ax_.get_xlabel() == "Epoch"
    assert display.ax_.get_ylabel() == "Training loss\n(half squared error, scaled target)"
    assert display.validation_ax_.get_ylabel() == "Validation R²"
    assert display.validation_line_ in display.validation_ax_.lines
    np.testing.assert_allclose(display.validation_line_.get_ydata(), network.validation_scores_)
    # the early-stopping mark sits on the best validation epoch
    best = int(np.argmax(network.validation_scores_)) + 1
    marks = [line for line in display.ax_.lines if line is not display.line_]
    assert len(marks) == 1 and marks[0].get_xdata()[0] == best
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert legend == ["training loss", "validation R²",
                      f"best epoch ({best}): parameters kept"]
    assert display.ax_.get_title() == "Training curve: EmbeddingMLPRegressor"


def test_loss_curve_display_lbfgs_without_validation(classifier):
    display = LossCurveDisplay.from_estimator(classifier)
    assert display.validation_ax_ is None and display.validation_line_ is None
    assert display.ax_.get_xlabel() == "Iteration"
    assert display.ax_.get_ylabel() == "Training loss\n(log-loss)"
    assert len(display.ax_.lines) == 1
    assert len(display.figure_.axes) == 1


def test_loss_curve_display_user_validation_set_is_not_early_stopping(houses):
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
        reg.fit(X[:150], y[:150], X_val=X[150:], y_val=y[150:])
    display = LossCurveDisplay.from_estimator(reg)
    assert display.validation_line_ is not None
    assert len(display.ax_.lines) == 1  # no best-epoch mark without early stopping


def test_loss_curve_display_own_axes_and_log_scale(classifier):
    fig, ax = plt.subplots()
    display = LossCurveDisplay.from_estimator(classifier, ax=ax, yscale="log")
    assert display.ax_ is ax and display.figure_ is fig
    assert ax.get_yscale() == "log"


def test_loss_curve_display_bad_arguments(classifier):
    with pytest.raises(ValueError, match="yscale"):
        LossCurveDisplay.from_estimator(classifier, yscale="symlog")
    _, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="one matplotlib Axes"):
        LossCurveDisplay.from_estimator(classifier, ax=axes)
    with pytest.raises(ValueError, match="empty"):
        LossCurveDisplay([]).plot()


# --------------------------------------------------------------------------
# ActivationDisplay
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# NeuronPatternsDisplay
# --------------------------------------------------------------------------
def test_neuron_patterns_display(fitted):
    estimator, _, _, network = fitted
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


def test_neuron_patterns_display_image_shape_and_neurons(regressor):
    display = NeuronPatternsDisplay.from_estimator(
        regressor, image_shape=(1, 4), neurons=[2, 0]
    )
    assert [ax.get_title() for ax in display.ax_] == ["hidden1_2", "hidden1_0"]
    assert display.images_[0].get_array().shape == (1, 4)


def test_neuron_patterns_display_own_axes(classifier):
    fig, axes = plt.subplots(2, 3)
    display = NeuronPatternsDisplay.from_estimator(classifier, ax=axes)
    assert list(display.ax_) == list(axes.ravel())
    fig, ax = plt.subplots()
    display = NeuronPatternsDisplay.from_estimator(classifier, ax=ax, n_cols=3)
    assert len(display.ax_) == 6 and display.figure_ is fig


def test_neuron_patterns_display_needs_an_image(houses):
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = EmbeddingMLPRegressor(hidden_layer_sizes=(3,), max_iter=2).fit(X.iloc[:, :3], y)
    with pytest.raises(ValueError, match="3 features, not a perfect square"):
        NeuronPatternsDisplay.from_estimator(reg)


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
def test_neuron_patterns_display_bad_arguments(classifier, kwargs, match):
    with pytest.raises(ValueError, match=match):
        NeuronPatternsDisplay.from_estimator(classifier, **kwargs)


# --------------------------------------------------------------------------
# without matplotlib
# --------------------------------------------------------------------------
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
