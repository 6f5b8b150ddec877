"""NeuronPatternsDisplay: first-layer weight vectors drawn as images."""

import math
from numbers import Integral

import numpy as np

from .. import _reading
from ._common import Grid, import_pyplot, network_and_input, panel_axes


class NeuronPatternsDisplay:
    """First-layer neurons' incoming weights, drawn as images.

    A first-layer neuron computes ``z = x . w + b``: it fires most for
    inputs that look like its weight vector ``w``. For image inputs (such as
    the 8x8 digits), drawing ``w`` as an image shows the pattern the neuron
    detects: red pixels excite it, blue ones inhibit it. All panels share
    one colour scale, centred on zero, so weak detectors look faint.

    Create it with :meth:`from_estimator`; the constructor only stores what
    is drawn.

    Parameters
    ----------
    weights : ndarray of shape (n_neurons, n_inputs)
        One weight vector per neuron, ``coefs_[0].T``.
    image_shape : tuple of (int, int)
        The shape each weight vector is drawn in; ``h * w == n_inputs``.
    neuron_names : list of str, default=None
        One title per panel.
    n_cols : int, default=None
        Panels per row; ``None`` makes a near-square grid of at most 8
        columns, with a full last row when possible.

    Attributes
    ----------
    ax_ : ndarray of matplotlib Axes of shape (n_neurons,)
        One Axes per neuron.
    figure_ : matplotlib Figure
        The figure.
    images_ : list of matplotlib AxesImage
        One image per neuron.
    colorbar_ : matplotlib Colorbar
        The shared colour scale.

    See Also
    --------
    skembed.inspection.neuron_patterns : The same weights as a table, by
        feature name.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_digits
    >>> from skembed import MLPClassifier
    >>> from skembed.plotting import NeuronPatternsDisplay
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(12,), solver="lbfgs",
    ...                     max_iter=100, random_state=0).fit(X / 16, y)
    >>> display = NeuronPatternsDisplay.from_estimator(clf)
    >>> len(display.ax_), display.images_[0].get_array().shape
    (12, (8, 8))
    >>> plt.close(display.figure_)
    """

    def __init__(self, weights, *, image_shape, neuron_names=None, n_cols=None):
        self.weights = weights
        self.image_shape = image_shape
        self.neuron_names = neuron_names
        self.n_cols = n_cols

    @classmethod
    def from_estimator(cls, estimator, *, image_shape=None, neurons=None, ax=None,
                       n_cols=None):
        """Draw the first-layer weight vectors of a fitted network as images.

        Parameters
        ----------
        estimator : fitted EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
            The network, or a Pipeline holding it. Its input embedding must
            be an image, pixel by pixel in row-major order.
        image_shape : tuple of (int, int), default=None
            Height and width of the image. ``None`` uses a square image when
            the input width is a perfect square (64 -> 8x8) and raises a
            ValueError otherwise.
        neurons : array-like of int, default=None
            The first-layer neurons to draw; ``None`` draws them all.
        ax : matplotlib Axes or array-like of Axes, default=None
            ``None`` creates a figure; a single Axes is split into the
            panels; an array needs one Axes per neuron.
        n_cols : int, default=None
            Panels per row; ``None`` makes a near-square grid of at most 8
            columns, with a full last row when possible.

        Returns
        -------
        NeuronPatternsDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from skembed import MLPClassifier
        >>> from skembed.plotting import NeuronPatternsDisplay
        >>> X, y = load_digits(return_X_y=True)
        >>> clf = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs",
        ...                     max_iter=100, random_state=0).fit(X / 16, y)
        >>> display = NeuronPatternsDisplay.from_estimator(clf, neurons=[0, 1, 2, 3])
        >>> [ax.get_title() for ax in display.ax_]
        ['hidden1_0', 'hidden1_1', 'hidden1_2', 'hidden1_3']
        >>> plt.close(display.figure_)
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        network, _ = network_and_input(estimator)
        layout = network._network.layout
        if layout.numeric_embedding is not None or layout.table_shapes or layout.n_missing:
            raise ValueError(
                f"{cls.__name__} draws the first layer's weights on the input columns "
                "as an image; this network's first layer reads an input embedding "
                f"({layout.layer_sizes[0]} columns: numeric embeddings, categorical tables "
                "or missing-value indicators) instead. Fit it with numeric_embedding=None "
                "and no categorical columns, as MLPClassifier does by default."
            )
        weights = np.asarray(network.coefs_[0], dtype=float).T
        n_neurons, n_inputs = weights.shape
        image_shape = _image_shape(image_shape, n_inputs)
        key = 0 if _reading.n_hidden(network) else "output"
        names = _reading.neuron_names(network, key)
        if neurons is not None:
            index = np.asarray(neurons)
            if index.ndim != 1 or index.size == 0 or not np.issubdtype(index.dtype, np.integer):
                raise ValueError("neurons must be a non-empty list of neuron indices.")
            if index.min() < -n_neurons or index.max() >= n_neurons:
                raise ValueError(
                    f"neurons must be indices in [0, {n_neurons - 1}]: the first layer has "
                    f"{n_neurons} neurons."
                )
            weights = weights[index]
            names = [names[i] for i in index]
        display = cls(weights, image_shape=image_shape, neuron_names=names, n_cols=n_cols)
        return display.plot(ax=ax)

    def plot(self, ax=None, *, cmap="RdBu_r"):
        """Draw one image per neuron, on a shared colour scale centred on zero.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            ``None`` creates a figure; a single Axes is split into the
            panels; an array needs one Axes per neuron.
        cmap : str or matplotlib Colormap, default="RdBu_r"
            A diverging colormap: positive weights red, negative blue.

        Returns
        -------
        NeuronPatternsDisplay
            This display, with ``ax_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from skembed.plotting import NeuronPatternsDisplay
        >>> weights = np.random.default_rng(0).normal(size=(6, 12))
        >>> display = NeuronPatternsDisplay(weights, image_shape=(3, 4)).plot()
        >>> len(display.images_)
        6
        >>> plt.close(display.figure_)
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        weights = np.asarray(self.weights, dtype=float)
        n_neurons = weights.shape[0]
        shape = _image_shape(self.image_shape, weights.shape[1])
        n_cols = self.n_cols
        if n_cols is None:
            n_cols = _grid_columns(n_neurons)
        if isinstance(n_cols, bool) or not isinstance(n_cols, Integral) or n_cols < 1:
            raise ValueError(f"n_cols must be a positive int, got {n_cols!r}.")
        n_cols = min(n_cols, n_neurons)
        n_rows = math.ceil(n_neurons / n_cols)
        # a panel per neuron, its title above it, and the colorbar at the right
        cell_width = 1.3 * min(2.0, max(0.5, shape[1] / shape[0]))
        cell_height = 1.3 * min(2.0, max(0.5, shape[0] / shape[1])) + 0.2
        figsize = (cell_width * n_cols + 1.3, cell_height * n_rows + 0.2)
        figure, axes = panel_axes(
            plt, ax, Grid(n_neurons, n_rows, n_cols, figsize), type(self).__name__
        )
        limit = float(np.abs(weights).max()) or 1.0
        names = self.neuron_names or [f"neuron {j}" for j in range(n_neurons)]
        self.images_ = []
        for panel, w, name in zip(axes, weights, names):
            self.images_.append(panel.imshow(
                w.reshape(shape), cmap=cmap, vmin=-limit, vmax=limit,
                interpolation="nearest",
            ))
            panel.set_title(name, fontsize="small")
            panel.set_xticks([])
            panel.set_yticks([])
        self.colorbar_ = figure.colorbar(self.images_[0], ax=list(axes), shrink=0.8)
        self.colorbar_.set_label("weight (red excites, blue inhibits)")
        self.ax_, self.figure_ = axes, figure
        return self


def _grid_columns(n_panels, most=8):
    """Columns of a near-square grid of at most ``most`` columns, preferring
    one whose last row is full (32 panels: 8 x 4, not 6 x 6 with 4 empty)."""
    fewest = min(most, math.ceil(math.sqrt(n_panels)))
    candidates = range(fewest, max(fewest, min(most, n_panels)) + 1)
    return min(candidates, key=lambda cols: (-n_panels % cols, cols))


def _image_shape(image_shape, n_inputs):
    if image_shape is None:
        side = math.isqrt(n_inputs)
        if side * side != n_inputs:
            raise ValueError(
                f"The input has {n_inputs} features, not a perfect square: pass "
                f"image_shape=(height, width) with height * width == {n_inputs}."
            )
        return (side, side)
    try:
        height, width = (int(s) for s in image_shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"image_shape must be a pair of ints (height, width), got {image_shape!r}."
        ) from None
    if height < 1 or width < 1 or height * width != n_inputs:
        raise ValueError(
            f"image_shape={tuple(image_shape)} holds {height * width} pixels but the input "
            f"has {n_inputs} features: height * width must equal {n_inputs}."
        )
    return (height, width)
