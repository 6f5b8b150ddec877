"""EmbeddingDisplay: the samples in each layer's embedding space, side by side."""

from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.decomposition import PCA

from .. import _reading
from ._common import (
    Grid,
    dimension_names,
    import_pyplot,
    layer_key,
    layer_title,
    network_and_input,
    panel_axes,
    target_name,
)


class EmbeddingDisplay:
    """2-D projections of layer embeddings, coloured by the target.

    A network is a sequence of transformations between embedding spaces.
    Drawing the same samples in the input space and in each hidden layer,
    side by side, shows the space being reshaped: samples with similar
    targets move together as the layers go deeper.

    Create it with :meth:`from_estimator`; the constructor only stores what
    is drawn.

    Parameters
    ----------
    projections : list of ndarray of shape (n_samples, 2)
        The 2-D coordinates of the samples in each panel.
    titles : list of str
        One title per panel, for instance ``"Hidden layer 1 (16 neurons)"``.
    axis_labels : list of tuple of (str, str), default=None
        The x and y label of each panel. ``None`` labels the axes
        ``"component 1"`` and ``"component 2"``.
    y : array-like of shape (n_samples,), default=None
        The target that colours the points. ``None`` draws every point in
        one colour.
    discrete : bool, default=False
        Whether ``y`` holds class labels (one colour per class and a legend)
        rather than a continuous target (a colormap and a colorbar).
    target_name : str, default="target"
        Title of the legend or label of the colorbar.

    Attributes
    ----------
    ax_ : ndarray of matplotlib Axes of shape (n_panels,)
        The Axes of each panel, left to right. Always an array, also for a
        single panel.
    figure_ : matplotlib Figure
        The figure holding the panels.
    scatters_ : list of matplotlib PathCollection
        The scatter of each panel.
    colorbar_ : matplotlib Colorbar or None
        The colorbar of a continuous target.
    legend_ : matplotlib Legend or None
        The legend of a discrete target.

    See Also
    --------
    ActivationDisplay : The raw activations of one layer as a heatmap.
    skembed.EmbeddingMLPRegressor.embed : The embeddings themselves.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skembed import MLPClassifier
    >>> from skembed.datasets import make_xor
    >>> from skembed.plotting import EmbeddingDisplay
    >>> X, y = make_xor(200, noise=0.1, random_state=0)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8, 4), solver="lbfgs",
    ...                     random_state=0).fit(X, y)
    >>> display = EmbeddingDisplay.from_estimator(clf, X, y)
    >>> [ax.get_title() for ax in display.ax_]
    ['Input (2 features)', 'Hidden layer 1 (8 neurons)', 'Hidden layer 2 (4 neurons)']
    >>> display.ax_[0].get_xlabel(), display.ax_[2].get_xlabel()
    ('x0', 'PC 1 (...% of variance)')
    >>> plt.close(display.figure_)
    """

    def __init__(self, projections, *, titles, axis_labels=None, y=None,
                 discrete=False, target_name="target"):
        self.projections = projections
        self.titles = titles
        self.axis_labels = axis_labels
        self.y = y
        self.discrete = discrete
        self.target_name = target_name

    @classmethod
    def from_estimator(cls, estimator, X, y=None, *, layers=None, method="pca",
                       ax=None, cmap=None, scatter_kwargs=None):
        """Project the embeddings of a fitted network's layers and plot them.

        Parameters
        ----------
        estimator : fitted EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
            The network, or a Pipeline holding it (the steps before it
            transform ``X``).
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The samples to embed.
        y : array-like of shape (n_samples,), default=None
            Colours the points: class labels for a classifier (a legend),
            a continuous target for a regressor (a colorbar). ``None`` draws
            all points in one colour.
        layers : int, str or list of (int or str), default=None
            The layers to draw, one panel each, side by side: an int is a
            hidden layer (0-based, negative from the end), ``"input"`` the
            input embedding, ``"output"`` the output layer. ``None`` draws
            the input embedding and every hidden layer.
        method : "pca" or estimator, default="pca"
            How each layer is brought to two dimensions: ``"pca"`` fits a
            :class:`~sklearn.decomposition.PCA` per layer (axes labelled with
            the share of variance they explain); an unfitted estimator with
            ``fit_transform`` and two output components (for instance
            :class:`~sklearn.manifold.TSNE`) is cloned and fitted per layer.
            With ``"pca"``, a layer of width 2 is drawn as is (its axes
            named by the features or neurons), and a layer of width 1 on a
            line.
        ax : matplotlib Axes or array-like of Axes, default=None
            ``None`` creates a figure with one row of panels. A single Axes
            is split into the panels; an array needs one Axes per layer.
        cmap : str or matplotlib Colormap, default=None
            ``None`` uses ``"viridis"`` for a continuous target and
            ``"tab10"`` (``"tab20"`` past ten classes) for classes.
        scatter_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.scatter`.

        Returns
        -------
        EmbeddingDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.pipeline import make_pipeline
        >>> from sklearn.preprocessing import StandardScaler
        >>> from skembed import EmbeddingMLPRegressor
        >>> from skembed.datasets import make_houses
        >>> from skembed.plotting import EmbeddingDisplay
        >>> X, y = make_houses(300, random_state=0)
        >>> X = X[["size_sqft", "bedrooms", "age_years", "pool"]]
        >>> model = make_pipeline(
        ...     StandardScaler(),
        ...     EmbeddingMLPRegressor(hidden_layer_sizes=(16,), solver="lbfgs",
        ...                           max_iter=500, random_state=0),
        ... ).fit(X, y)
        >>> display = EmbeddingDisplay.from_estimator(model, X, y, layers=[0])
        >>> display.ax_[0].get_xlabel()
        'PC 1 (...% of variance)'
        >>> display.colorbar_.ax.get_ylabel()
        'price'
        >>> plt.close(display.figure_)
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        network, X_net = network_and_input(estimator, X)
        keys = cls._layer_keys(network, layers)
        projections, titles, axis_labels = [], [], []
        for key in keys:
            embedding = network.embed(X_net, layer=key)
            if isinstance(method, str) and method == "pca" and embedding.shape[1] <= 2:
                # already plane or line: drawn as is, a rotation would only confuse
                points, labels = _as_plane(embedding, dimension_names(network, key))
            else:
                points, labels = _project(embedding, method)
            projections.append(points)
            axis_labels.append(labels)
            titles.append(layer_title(network, key))
        discrete = False
        if y is not None:
            y_values = np.asarray(y)
            if y_values.ndim != 1 or len(y_values) != len(projections[0]):
                raise ValueError(
                    f"y must be 1-D with one value per sample of X ({len(projections[0])}), "
                    f"got shape {y_values.shape}."
                )
            discrete = bool(is_classifier(network)) or not np.issubdtype(
                y_values.dtype, np.number
            )
        display = cls(
            projections, titles=titles, axis_labels=axis_labels, y=y,
            discrete=discrete, target_name=target_name(y, "class" if discrete else "target"),
        )
        return display.plot(ax=ax, cmap=cmap, scatter_kwargs=scatter_kwargs)

    @staticmethod
    def _layer_keys(network, layers):
        if layers is None:
            return ["input", *range(_reading.n_hidden(network))]
        if isinstance(layers, (str, Integral)):
            layers = [layers]
        keys = [layer_key(network, layer) for layer in layers]
        if not keys:
            raise ValueError("layers is empty: name at least one layer to draw.")
        return keys

    def plot(self, ax=None, *, cmap=None, scatter_kwargs=None, colorbar=True, legend=True):
        """Draw the projections.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            ``None`` creates a figure with one row of panels. A single Axes
            is split into the panels; an array needs one Axes per panel.
        cmap : str or matplotlib Colormap, default=None
            ``None`` uses ``"viridis"`` for a continuous target and
            ``"tab10"`` (``"tab20"`` past ten classes) for classes.
        scatter_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.scatter`.
        colorbar : bool, default=True
            Whether to add a colorbar for a continuous target.
        legend : bool, default=True
            Whether to add a legend for a discrete target.

        Returns
        -------
        EmbeddingDisplay
            This display, with ``ax_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from skembed.plotting import EmbeddingDisplay
        >>> rng = np.random.default_rng(0)
        >>> display = EmbeddingDisplay(
        ...     [rng.normal(size=(50, 2))], titles=["Hidden layer 1 (2 neurons)"],
        ...     y=rng.normal(size=50),
        ... ).plot()
        >>> len(display.ax_), display.legend_ is None
        (1, True)
        >>> plt.close(display.figure_)
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        n_panels = len(self.projections)
        # room for one colorbar or legend at the right of the row
        figsize = (3.4 * n_panels + (1.0 if self.y is not None else 0.0), 3.3)
        figure, axes = panel_axes(
            plt, ax, Grid(n_panels, 1, n_panels, figsize), type(self).__name__
        )
        kwargs = {"s": 14, "alpha": 0.8, "linewidths": 0}
        kwargs.update(scatter_kwargs or {})
        colour_args, classes = self._colours(plt, cmap)
        axis_labels = self.axis_labels or [("component 1", "component 2")] * n_panels
        self.scatters_ = []
        for panel, points, title, (xlabel, ylabel) in zip(
            axes, self.projections, self.titles, axis_labels
        ):
            points = np.asarray(points)
            self.scatters_.append(
                panel.scatter(points[:, 0], points[:, 1], **colour_args, **kwargs)
            )
            panel.set_title(title)
            panel.set_xlabel(xlabel)
            panel.set_ylabel(ylabel)
        self.colorbar_ = self.legend_ = None
        if self.y is not None and not self.discrete and colorbar:
            self.colorbar_ = figure.colorbar(self.scatters_[-1], ax=list(axes))
            self.colorbar_.set_label(self.target_name)
        if self.y is not None and self.discrete and legend:
            self.legend_ = self._legend(axes[-1], classes, colour_args)
        self.ax_, self.figure_ = axes, figure
        return self

    def _colours(self, plt, cmap):
        """Scatter keyword arguments that colour the points, and the classes."""
        if self.y is None:
            return {"color": "C0"}, None
        y = np.asarray(self.y)
        if not self.discrete:
            return {"c": y.astype(float), "cmap": cmap or "viridis"}, None
        classes, codes = np.unique(y, return_inverse=True)
        cmap = plt.get_cmap(cmap or ("tab10" if len(classes) <= 10 else "tab20"))
        # a qualitative colormap indexed by class number (not stretched):
        # class k always gets the k-th colour
        return {"c": codes, "cmap": cmap, "vmin": -0.5, "vmax": cmap.N - 0.5}, classes

    def _legend(self, panel, classes, colour_args):
        from matplotlib.lines import Line2D

        cmap = colour_args["cmap"]
        handles = [
            Line2D([], [], linestyle="", marker="o", markersize=6,
                   markerfacecolor=cmap(k % cmap.N), markeredgewidth=0)
            for k in range(len(classes))
        ]
        return panel.legend(
            handles, [str(c) for c in classes], title=self.target_name,
            loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False,
            ncols=1 if len(classes) <= 12 else 2,
        )


def _as_plane(embedding, names):
    """A layer of width 1 or 2 as plane coordinates, with its own axis names."""
    points = np.asarray(embedding, dtype=np.float64)
    if points.shape[0] < 1:
        raise ValueError("X has no samples to draw.")
    labels = list(names)
    if points.shape[1] == 1:  # a one-neuron layer: its values on a line
        points = np.column_stack([points[:, 0], np.zeros(len(points))])
        labels.append("(1-D layer)")
    return points, tuple(labels)


def _project(embedding, method):
    """2-D coordinates of an embedding, and the labels of the two axes."""
    embedding = np.asarray(embedding, dtype=np.float64)
    n_samples, width = embedding.shape
    if n_samples < 2:
        raise ValueError(f"At least 2 samples are needed to project an embedding, got {n_samples}.")
    if isinstance(method, str):
        if method != "pca":
            raise ValueError(
                f"method={method!r} is not understood: use 'pca' or an estimator with "
                "fit_transform, such as sklearn.manifold.TSNE(n_components=2)."
            )
        n_components = min(2, width)
        pca = PCA(n_components=n_components).fit(embedding)
        points = pca.transform(embedding)
        share = pca.explained_variance_ratio_
        share = np.nan_to_num(share)  # a constant layer (all neurons dead) has no variance
        labels = [f"PC {k + 1} ({share[k]:.0%} of variance)" for k in range(n_components)]
    elif hasattr(method, "fit_transform"):
        points = np.asarray(clone(method).fit_transform(embedding), dtype=np.float64)
        if points.ndim != 2 or points.shape[1] not in (1, 2):
            raise ValueError(
                f"method must return one or two components, got an array of shape "
                f"{points.shape}; set n_components=2."
            )
        labels = [f"{type(method).__name__} {k + 1}" for k in range(points.shape[1])]
    else:
        raise TypeError(
            "method must be 'pca' or an estimator with fit_transform, got "
            f"{type(method).__name__}."
        )
    return _as_plane(points, labels)

