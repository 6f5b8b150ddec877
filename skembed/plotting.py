"""Plots of a fitted network's inside: embedding spaces, training, neurons.

Four display objects, shaped like scikit-learn's
(:class:`sklearn.metrics.RocCurveDisplay`,
:class:`sklearn.inspection.PartialDependenceDisplay`): ``__init__`` stores the
data to draw, the ``from_estimator`` class method computes it from a fitted
estimator and calls ``plot``, and ``plot(ax=None, ...)`` draws it, sets
``ax_`` and ``figure_`` and returns the display.

- :class:`EmbeddingDisplay`: a 2-D projection (PCA by default) of the
  embeddings of one or more layers, coloured by the target; layers side by
  side show the space being reshaped from the input to the last hidden layer.
- :class:`LossCurveDisplay`: training loss per epoch, with the validation
  score on a second y-axis when there is one.
- :class:`ActivationDisplay`: a neurons x samples heatmap of one layer, the
  silent (zero) activations that ReLU makes drawn in white.
- :class:`NeuronPatternsDisplay`: each first-layer neuron's incoming weights
  drawn as an image (for image inputs such as 8x8 digits): the pattern the
  neuron detects.

Every ``from_estimator`` accepts the network itself or a fitted
:class:`~sklearn.pipeline.Pipeline` that contains it: the steps before the
network transform ``X`` first, so a ``StandardScaler`` in front is handled.

matplotlib is an optional dependency, imported only when something is drawn:
install it with ``pip install "skembed[plot]"``.
"""

import math
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._base import resolve_layer

__all__ = [
    "ActivationDisplay",
    "EmbeddingDisplay",
    "LossCurveDisplay",
    "NeuronPatternsDisplay",
]

_INSTALL_HINT = 'pip install "skembed[plot]"'
# Light grey for the "silent" cells of a heatmap: distinct from every colour
# of viridis, and still visible on a white page.
_SILENT_COLOUR = "#f2f2f2"


# --------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------
def _import_pyplot(caller):
    """matplotlib.pyplot, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires matplotlib, which is not installed. "
            f"Install it with: {_INSTALL_HINT}"
        ) from exc
    return plt


def _network_and_input(estimator, X=None):
    """The skembed network inside ``estimator``, and ``X`` as the network sees it.

    ``estimator`` is a fitted skembed network or a fitted Pipeline holding
    one; in a Pipeline, the last step with an ``embed`` method is the
    network and the steps before it transform ``X``.
    """
    network, before = estimator, None
    if isinstance(estimator, Pipeline):
        positions = [i for i, (_, step) in enumerate(estimator.steps) if hasattr(step, "embed")]
        if not positions:
            raise TypeError(
                "The Pipeline has no skembed network step (a step with an 'embed' "
                "method, such as EmbeddingMLPRegressor)."
            )
        position = positions[-1]
        network = estimator.steps[position][1]
        before = estimator[:position] if position else None
    if not hasattr(network, "embed") or not hasattr(network, "activation"):
        raise TypeError(
            "Expected a fitted skembed network (EmbeddingMLPRegressor or "
            "EmbeddingMLPClassifier) or a Pipeline holding one, got "
            f"{type(estimator).__name__}."
        )
    check_is_fitted(network)
    if X is not None and before is not None:
        X = before.transform(X)
    return network, X


def _n_hidden(network):
    return network.n_layers_ - 2


def _layer_key(network, layer):
    """A layer argument normalised: "input", "output" or a hidden index >= 0."""
    n_hidden = _n_hidden(network)
    key = resolve_layer(n_hidden, layer, accept=("input", "output"))
    return "output" if isinstance(layer, str) and layer == "output" else key


def _layer_width(network, key):
    sizes = network.layer_sizes_
    if key == "input":
        return sizes[0]
    if key == "output":
        return sizes[-1]
    return sizes[key + 1]


def _layer_title(network, key):
    """How the docs name a layer: "Hidden layer 1" is the first hidden layer."""
    width = _layer_width(network, key)
    if key == "input":
        return f"Input ({width} features)"
    if key == "output":
        return f"Output layer ({width} unit{'s' if width != 1 else ''})"
    return f"Hidden layer {key + 1} ({width} neurons)"


def _neuron_names(key, width):
    prefix = "output" if key == "output" else f"hidden{key + 1}"
    return [f"{prefix}_{j}" for j in range(width)]


def _target_name(y, default="target"):
    name = getattr(y, "name", None)
    return str(name) if name is not None else default


def _panel_axes(plt, ax, n_panels, shape, figsize, caller):
    """A figure and ``n_panels`` Axes laid out on a ``shape`` grid.

    ``ax`` None: a new figure. One Axes: it becomes the bounding box that
    the panels share, as in scikit-learn's PartialDependenceDisplay. An
    array of Axes: used as given, one per panel.
    """
    n_rows, n_cols = shape
    if ax is None:
        figure, axes = plt.subplots(
            n_rows, n_cols, figsize=figsize, layout="constrained", squeeze=False,
        )
        axes = axes.ravel()
        for extra in axes[n_panels:]:
            extra.set_visible(False)
        return figure, axes[:n_panels]
    if isinstance(ax, plt.Axes):
        if n_panels == 1:
            return ax.figure, np.asarray([ax], dtype=object)
        return ax.figure, _split_bounding_axes(ax, n_rows, n_cols, n_panels)
    axes = np.asarray(ax, dtype=object).ravel()
    if not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"{caller}: ax must be a matplotlib Axes or an array of Axes.")
    if axes.size != n_panels:
        raise ValueError(
            f"{caller}: ax holds {axes.size} Axes but there are {n_panels} panels to "
            "draw; pass one Axes per panel, a single Axes to split, or ax=None."
        )
    return axes[0].figure, axes


def _split_bounding_axes(ax, n_rows, n_cols, n_panels):
    """Panels drawn inside the area of one Axes, which is then hidden."""
    from matplotlib.gridspec import GridSpecFromSubplotSpec

    figure = ax.figure
    ax.set_axis_off()
    spec = ax.get_subplotspec()
    if spec is not None:
        grid = GridSpecFromSubplotSpec(n_rows, n_cols, subplot_spec=spec)
        panels = [figure.add_subplot(grid[i // n_cols, i % n_cols]) for i in range(n_panels)]
    else:  # an Axes placed by hand (fig.add_axes): divide its box evenly
        panels = [
            ax.inset_axes([(i % n_cols) / n_cols, 1 - (i // n_cols + 1) / n_rows,
                           0.8 / n_cols, 0.8 / n_rows])
            for i in range(n_panels)
        ]
    return np.asarray(panels, dtype=object)


# --------------------------------------------------------------------------
# EmbeddingDisplay
# --------------------------------------------------------------------------
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
    >>> from skembed import EmbeddingMLPClassifier
    >>> from skembed.datasets import make_xor
    >>> from skembed.plotting import EmbeddingDisplay
    >>> X, y = make_xor(200, noise=0.1, random_state=0)
    >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8, 4), solver="lbfgs",
    ...                              random_state=0).fit(X, y)
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
        _import_pyplot(f"{cls.__name__}.from_estimator")
        network, X_net = _network_and_input(estimator, X)
        keys = cls._layer_keys(network, layers)
        projections, titles, axis_labels = [], [], []
        for key in keys:
            embedding = network.embed(X_net, layer=key)
            if isinstance(method, str) and method == "pca" and embedding.shape[1] <= 2:
                # already plane or line: drawn as is, a rotation would only confuse
                points, labels = _as_plane(embedding, _dimension_names(network, key))
            else:
                points, labels = _project(embedding, method)
            projections.append(points)
            axis_labels.append(labels)
            titles.append(_layer_title(network, key))
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
            discrete=discrete, target_name=_target_name(y, "class" if discrete else "target"),
        )
        return display.plot(ax=ax, cmap=cmap, scatter_kwargs=scatter_kwargs)

    @staticmethod
    def _layer_keys(network, layers):
        if layers is None:
            return ["input", *range(_n_hidden(network))]
        if isinstance(layers, (str, Integral)):
            layers = [layers]
        keys = [_layer_key(network, layer) for layer in layers]
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
        plt = _import_pyplot(f"{type(self).__name__}.plot")
        n_panels = len(self.projections)
        # room for one colorbar or legend at the right of the row
        figsize = (3.4 * n_panels + (1.0 if self.y is not None else 0.0), 3.3)
        figure, axes = _panel_axes(
            plt, ax, n_panels, (1, n_panels), figsize, type(self).__name__
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


def _dimension_names(network, key):
    """Names of a layer's dimensions: input features, or ``hidden{k}_{j}``."""
    width = _layer_width(network, key)
    if key == "input":
        names = getattr(network, "feature_names_in_", None)
        if names is not None and len(names) == width:
            return [str(name) for name in names]
        return [f"x{j}" for j in range(width)]
    return _neuron_names(key, width)


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


# --------------------------------------------------------------------------
# LossCurveDisplay
# --------------------------------------------------------------------------
class LossCurveDisplay:
    """Training loss per epoch, and the validation score when there is one.

    The loss is what gradient descent minimises on the training data; the
    validation score (R² for a regressor, accuracy for a classifier) is
    measured on held-out data after every epoch and drawn on a second y-axis.
    With early stopping, a dotted line marks the best validation epoch, the
    parameters the estimator keeps.

    Create it with :meth:`from_estimator`; the constructor only stores what
    is drawn.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        The training loss of every epoch (every iteration for L-BFGS).
    validation_scores : array-like of shape (n_epochs,), default=None
        The validation score of every epoch, when there is one.
    loss_name : str, default="loss"
        What the loss is, for the y-axis label.
    score_name : str, default="score"
        What the validation score is, for the second y-axis label.
    best_epoch : int, default=None
        The 1-based epoch whose parameters early stopping kept, marked by a
        vertical line. ``None`` draws no mark.
    xlabel : str, default="Epoch"
        ``"Iteration"`` for L-BFGS.
    estimator_name : str, default=None
        Shown in the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The Axes of the loss.
    validation_ax_ : matplotlib Axes or None
        The twin Axes of the validation score, or ``None`` without one.
    figure_ : matplotlib Figure
        The figure.
    line_ : matplotlib Line2D
        The loss curve.
    validation_line_ : matplotlib Line2D or None
        The validation curve.

    See Also
    --------
    skembed.EmbeddingMLPRegressor : ``loss_curve_`` and ``validation_scores_``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skembed import EmbeddingMLPClassifier
    >>> from skembed.datasets import make_xor
    >>> from skembed.plotting import LossCurveDisplay
    >>> X, y = make_xor(400, noise=0.1, random_state=0)
    >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.01,
    ...                              early_stopping=True, random_state=0).fit(X, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> print(display.ax_.get_ylabel())
    Training loss
    (log-loss)
    >>> display.validation_ax_.get_ylabel()
    'Validation accuracy'
    >>> plt.close(display.figure_)
    """

    def __init__(self, loss_curve, *, validation_scores=None, loss_name="loss",
                 score_name="score", best_epoch=None, xlabel="Epoch", estimator_name=None):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.loss_name = loss_name
        self.score_name = score_name
        self.best_epoch = best_epoch
        self.xlabel = xlabel
        self.estimator_name = estimator_name

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, yscale="linear"):
        """Plot the training history of a fitted network.

        Parameters
        ----------
        estimator : fitted EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
            The network, or a Pipeline holding it.
        ax : matplotlib Axes, default=None
            Where to draw the loss; the validation score goes on its twin.
            ``None`` creates a figure.
        yscale : {"linear", "log"}, default="linear"
            Scale of the loss axis.

        Returns
        -------
        LossCurveDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skembed import EmbeddingMLPRegressor
        >>> from skembed.datasets import make_houses
        >>> from skembed.plotting import LossCurveDisplay
        >>> X, y = make_houses(300, random_state=0)
        >>> X = X[["size_sqft", "bedrooms", "age_years", "pool"]]
        >>> reg = EmbeddingMLPRegressor(hidden_layer_sizes=(16,), max_iter=20,
        ...                             random_state=0)
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # 20 epochs do not converge
        ...     reg = reg.fit(X, y)
        >>> display = LossCurveDisplay.from_estimator(reg, yscale="log")
        >>> len(display.line_.get_xdata()), display.validation_ax_ is None
        (20, True)
        >>> plt.close(display.figure_)
        """
        _import_pyplot(f"{cls.__name__}.from_estimator")
        network, _ = _network_and_input(estimator)
        classifier = is_classifier(network)
        loss_name = "log-loss" if classifier else {
            "squared_error": "half squared error", "poisson": "half Poisson deviance",
        }.get(getattr(network, "loss", None), "loss")
        if not classifier and getattr(network, "target_scaling", False):
            loss_name += ", scaled target"
        scores = network.validation_scores_ or None
        best_epoch = None
        if scores is not None and network.early_stopping:
            best_epoch = int(np.argmax(scores)) + 1
        display = cls(
            network.loss_curve_, validation_scores=scores, loss_name=loss_name,
            score_name="accuracy" if classifier else "R²", best_epoch=best_epoch,
            xlabel="Iteration" if network.solver == "lbfgs" else "Epoch",
            estimator_name=type(network).__name__,
        )
        return display.plot(ax=ax, yscale=yscale)

    def plot(self, ax=None, *, yscale="linear"):
        """Draw the loss curve, and the validation curve on a twin y-axis.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw the loss; ``None`` creates a figure.
        yscale : {"linear", "log"}, default="linear"
            Scale of the loss axis.

        Returns
        -------
        LossCurveDisplay
            This display, with ``ax_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skembed.plotting import LossCurveDisplay
        >>> display = LossCurveDisplay([0.9, 0.5, 0.3, 0.25],
        ...                            validation_scores=[0.2, 0.6, 0.7, 0.68],
        ...                            score_name="R²", best_epoch=3).plot()
        >>> display.validation_ax_.get_ylabel()
        'Validation R²'
        >>> plt.close(display.figure_)
        """
        plt = _import_pyplot(f"{type(self).__name__}.plot")
        if yscale not in ("linear", "log"):
            raise ValueError(f"yscale={yscale!r} is not understood: use 'linear' or 'log'.")
        loss = np.asarray(self.loss_curve, dtype=float)
        if loss.ndim != 1 or loss.size == 0:
            raise ValueError("loss_curve is empty: the estimator has not trained an epoch.")
        if ax is None:
            figure, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
        elif not isinstance(ax, plt.Axes):
            raise TypeError(f"ax must be one matplotlib Axes, got {type(ax).__name__}.")
        figure = ax.figure
        epochs = np.arange(1, loss.size + 1)
        (self.line_,) = ax.plot(epochs, loss, color="C0", label="training loss")
        ax.set_yscale(yscale)
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel(f"Training loss\n({self.loss_name})", color="C0")
        ax.tick_params(axis="y", labelcolor="C0")
        ax.set_xlim(0.5, loss.size + 0.5)
        ax.grid(True, alpha=0.3)
        handles = [self.line_]
        self.validation_ax_ = self.validation_line_ = None
        if self.validation_scores is not None:
            scores = np.asarray(self.validation_scores, dtype=float)
            self.validation_ax_ = ax.twinx()
            (self.validation_line_,) = self.validation_ax_.plot(
                np.arange(1, scores.size + 1), scores, color="C1",
                label=f"validation {self.score_name}",
            )
            self.validation_ax_.set_ylabel(f"Validation {self.score_name}", color="C1")
            self.validation_ax_.tick_params(axis="y", labelcolor="C1")
            handles.append(self.validation_line_)
        if self.best_epoch is not None:
            handles.append(ax.axvline(
                self.best_epoch, color="0.3", linestyle=":",
                label=f"best {self.xlabel.lower()} ({self.best_epoch}): parameters kept",
            ))
        if len(handles) > 1:
            # below the Axes: inside, it would hide one of the two curves, as
            # "best" placement cannot see the twin Axes' line
            # anchored at the bottom edge, padded in font sizes: clears the tick
            # labels and the x label whatever the height of the Axes
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                      borderaxespad=3.6, ncols=len(handles), fontsize="small",
                      frameon=False)
        title = "Training curve"
        ax.set_title(f"{title}: {self.estimator_name}" if self.estimator_name else title)
        self.ax_, self.figure_ = ax, figure
        return self


# --------------------------------------------------------------------------
# ActivationDisplay
# --------------------------------------------------------------------------
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
        _import_pyplot(f"{cls.__name__}.from_estimator")
        network, X_net = _network_and_input(estimator, X)
        layer = network.embedding_layer if layer is None else layer
        if isinstance(layer, str) and layer == "input":
            raise ValueError(
                "layer='input' has no activations: use a hidden layer (an int) or 'output'."
            )
        key = _layer_key(network, layer)
        activations = network.embed(X_net, layer=key, output=output)
        title = _layer_title(network, key)
        if output == "pre_activation":
            title += ", pre-activation z"
        display = cls(
            activations, title=title,
            neuron_names=_neuron_names(key, _layer_width(network, key)),
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
        plt = _import_pyplot(f"{type(self).__name__}.plot")
        values = np.asarray(self.activations, dtype=float)
        if values.ndim != 2 or values.size == 0:
            raise ValueError(
                f"activations must be a non-empty 2-D array (samples x neurons), got "
                f"shape {values.shape}."
            )
        n_samples, n_neurons = values.shape
        if ax is None:
            height = min(8.0, 1.6 + 0.22 * n_neurons)
            figure, ax = plt.subplots(figsize=(7.0, height), layout="constrained")
        elif not isinstance(ax, plt.Axes):
            raise TypeError(f"ax must be one matplotlib Axes, got {type(ax).__name__}.")
        figure = ax.figure
        grid = values.T
        self.sparsity_ = float(np.mean(values <= 0))
        if values.min() < 0:
            limit = float(np.abs(values).max()) or 1.0
            image_args = {"cmap": cmap or "RdBu_r", "vmin": -limit, "vmax": limit}
            label = "activation" if "pre-activation" not in (self.title or "") else "z"
        else:
            # ReLU's zeros are the point of the picture: mask them so they get
            # their own colour, apart from the weakest non-zero activations.
            base = plt.get_cmap(cmap or "viridis")
            image_args = {"cmap": base.with_extremes(bad=_SILENT_COLOUR)}
            silent = grid <= 0
            if silent.any():
                grid = np.ma.masked_array(grid, mask=silent)
                label = "activation (grey: silent, 0)"
                if silent.all():  # every neuron silent: keep a valid colour scale
                    image_args.update(vmin=0.0, vmax=1.0)
            else:
                label = "activation"
        self.im_ = ax.imshow(grid, aspect="auto", interpolation="nearest", **image_args)
        self.colorbar_ = figure.colorbar(self.im_, ax=ax)
        self.colorbar_.set_label(label)
        ax.set_xlabel(f"Sample ({n_samples})")
        ax.set_ylabel("Neuron")
        names = self.neuron_names
        if names is not None and n_neurons <= 32:
            dead = (values <= 0).all(axis=0)
            ax.set_yticks(np.arange(n_neurons))
            ax.set_yticklabels([f"{n} (dead)" if d else n for n, d in zip(names, dead)],
                               fontsize="small" if n_neurons > 12 else None)
        title = self.title or "Activations"
        ax.set_title(f"{title}: {self.sparsity_:.0%} of activations ≤ 0")
        self.ax_, self.figure_ = ax, figure
        return self


# --------------------------------------------------------------------------
# NeuronPatternsDisplay
# --------------------------------------------------------------------------
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
    >>> from skembed import EmbeddingMLPClassifier
    >>> from skembed.plotting import NeuronPatternsDisplay
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(12,), solver="lbfgs",
    ...                              max_iter=100, random_state=0).fit(X / 16, y)
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
        >>> from skembed import EmbeddingMLPClassifier
        >>> from skembed.plotting import NeuronPatternsDisplay
        >>> X, y = load_digits(return_X_y=True)
        >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs",
        ...                              max_iter=100, random_state=0).fit(X / 16, y)
        >>> display = NeuronPatternsDisplay.from_estimator(clf, neurons=[0, 1, 2, 3])
        >>> [ax.get_title() for ax in display.ax_]
        ['hidden1_0', 'hidden1_1', 'hidden1_2', 'hidden1_3']
        >>> plt.close(display.figure_)
        """
        _import_pyplot(f"{cls.__name__}.from_estimator")
        network, _ = _network_and_input(estimator)
        weights = np.asarray(network.coefs_[0], dtype=float).T
        n_neurons, n_inputs = weights.shape
        image_shape = _image_shape(image_shape, n_inputs)
        key = 0 if _n_hidden(network) else "output"
        names = _neuron_names(key, n_neurons)
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
        plt = _import_pyplot(f"{type(self).__name__}.plot")
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
        figure, axes = _panel_axes(
            plt, ax, n_neurons, (n_rows, n_cols), figsize, type(self).__name__
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
