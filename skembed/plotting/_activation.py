"""ActivationDisplay: one layer's activations as a neurons x samples heatmap."""

import numpy as np

from .. import _reading
from ._common import SILENT_COLOUR, import_pyplot, layer_key, layer_title, network_and_input


class ActivationDisplay:
    """Heatmap of one layer's activations: neurons x samples.

    Each row is a neuron, each column a sample. With ReLU, a neuron is
    silent (exactly 0) on the samples whose pattern it does not detect:
    those cells are drawn light grey, so the sparsity of the layer, and the
    dead neurons that never fire, can be seen at a glance. The title gives
    the layer's sparsity, the share of activations <= 0.

    Create it with :meth:`from_estimator`; the constructor only stores what
    is drawn.

    Parameters
    ----------
    activations : ndarray of shape (n_samples, n_neurons)
        The layer's embedding of the samples (one row per sample, as
        ``embed`` returns it; drawn transposed).
    title : str, default=None
        The layer's name, for the title.
    neuron_names : list of str, default=None
        One label per neuron, for the y-axis when there are few enough.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The heatmap's Axes.
    figure_ : matplotlib Figure
        The figure.
    im_ : matplotlib AxesImage
        The heatmap.
    colorbar_ : matplotlib Colorbar
        The colorbar.
    sparsity_ : float
        The share of activations <= 0.

    See Also
    --------
    skembed.inspection.activation_stats : The same information as a table.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skembed import EmbeddingMLPClassifier
    >>> from skembed.datasets import make_xor
    >>> from skembed.plotting import ActivationDisplay
    >>> X, y = make_xor(200, noise=0.1, random_state=0)
    >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs",
    ...                              random_state=0).fit(X, y)
    >>> display = ActivationDisplay.from_estimator(clf, X)
    >>> display.im_.get_array().shape
    (8, 200)
    >>> 0 < display.sparsity_ < 1
    True
    >>> plt.close(display.figure_)
    """

    def __init__(self, activations, *, title=None, neuron_names=None):
        self.activations = activations
        self.title = title
        self.neuron_names = neuron_names

    @classmethod
    def from_estimator(cls, estimator, X, *, layer=None, output="activation", ax=None):
        """Plot the activations of one layer of a fitted network on X.

        Parameters
        ----------
        estimator : fitted EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
            The network, or a Pipeline holding it (the steps before it
            transform ``X``).
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The samples, one column of the heatmap each, in the given order
            (sort them, for instance by target, to see which neurons fire
            for which samples).
        layer : int or "output", default=None
            A hidden layer (0-based, negative from the end) or the output
            layer. ``None`` is the estimator's ``embedding_layer``.
        output : {"activation", "pre_activation"}, default="activation"
            The layer's activations, or its linear combination ``z`` before
            the non-linearity (drawn with a diverging colormap).
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a figure.

        Returns
        -------
        ActivationDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skembed import EmbeddingMLPClassifier
        >>> from skembed.datasets import make_xor
        >>> from skembed.plotting import ActivationDisplay
        >>> X, y = make_xor(100, noise=0.1, random_state=0)
        >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(6, 3), solver="lbfgs",
        ...                              random_state=0).fit(X, y)
        >>> fig, ax = plt.subplots()
        >>> display = ActivationDisplay.from_estimator(clf, X, layer=0, ax=ax)
        >>> display.ax_ is ax, display.ax_.get_ylabel()
        (True, 'Neuron')
        >>> plt.close(fig)
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        network, X_net = network_and_input(estimator, X)
        layer = network.embedding_layer if layer is None else layer
        if isinstance(layer, str) and layer == "input":
            raise ValueError(
                "layer='input' has no activations: use a hidden layer (an int) or 'output'."
            )
        key = layer_key(network, layer)
        activations = network.embed(X_net, layer=key, output=output)
        title = layer_title(network, key)
        if output == "pre_activation":
            title += ", pre-activation z"
        display = cls(
            activations, title=title,
            neuron_names=_reading.neuron_names(network, key),
        )
        return display.plot(ax=ax)

    def plot(self, ax=None, *, cmap=None):
        """Draw the heatmap.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a figure.
        cmap : str or matplotlib Colormap, default=None
            ``None`` uses ``"viridis"`` for non-negative activations, with
            the silent (zero) cells light grey, and ``"RdBu_r"`` centred on
            zero when there are negative values.

        Returns
        -------
        ActivationDisplay
            This display, with ``ax_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from skembed.plotting import ActivationDisplay
        >>> relu = np.maximum(0, np.random.default_rng(0).normal(size=(30, 4)))
        >>> display = ActivationDisplay(relu, title="Hidden layer 1 (4 neurons)").plot()
        >>> display.colorbar_.ax.get_ylabel()
        'activation (grey: silent, 0)'
        >>> plt.close(display.figure_)
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        values = np.asarray(self.activations, dtype=float)
        if values.ndim != 2 or values.size == 0:
            raise ValueError(
                f"activations must be a non-empty 2-D array (samples x neurons), got "
                f"shape {values.shape}."
            )
        n_samples, n_neurons = values.shape
        if ax is None:
            height = min(8.0, 1.6 + 0.22 * n_neurons)
            _, ax = plt.subplots(figsize=(7.0, height), layout="constrained")
        elif not isinstance(ax, plt.Axes):
            raise TypeError(f"ax must be one matplotlib Axes, got {type(ax).__name__}.")
        self.sparsity_ = float(np.mean(values <= 0))
        grid, image_args, label = self._image(plt, values, cmap)
        self.im_ = ax.imshow(grid, aspect="auto", interpolation="nearest", **image_args)
        self.colorbar_ = ax.figure.colorbar(self.im_, ax=ax)
        self.colorbar_.set_label(label)
        ax.set_xlabel(f"Sample ({n_samples})")
        ax.set_ylabel("Neuron")
        if self.neuron_names is not None and n_neurons <= 32:
            dead = (values <= 0).all(axis=0)
            ax.set_yticks(np.arange(n_neurons))
            ax.set_yticklabels(
                [f"{n} (dead)" if d else n for n, d in zip(self.neuron_names, dead)],
                fontsize="small" if n_neurons > 12 else None,
            )
        title = self.title or "Activations"
        ax.set_title(f"{title}: {self.sparsity_:.0%} of activations ≤ 0")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    def _image(self, plt, values, cmap):
        """The neurons x samples grid to draw, its colour arguments, the colorbar label."""
        grid = values.T
        if values.min() < 0:
            limit = float(np.abs(values).max()) or 1.0
            image_args = {"cmap": cmap or "RdBu_r", "vmin": -limit, "vmax": limit}
            label = "activation" if "pre-activation" not in (self.title or "") else "z"
            return grid, image_args, label
        # ReLU's zeros are the point of the picture: mask them so they get
        # their own colour, apart from the weakest non-zero activations.
        image_args = {"cmap": plt.get_cmap(cmap or "viridis").with_extremes(bad=SILENT_COLOUR)}
        silent = grid <= 0
        if not silent.any():
            return grid, image_args, "activation"
        if silent.all():  # every neuron silent: keep a valid colour scale
            image_args.update(vmin=0.0, vmax=1.0)
        return np.ma.masked_array(grid, mask=silent), image_args, "activation (grey: silent, 0)"

