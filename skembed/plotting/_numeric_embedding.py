"""NumericEmbeddingDisplay: what the network sees of one numeric column."""

import numpy as np
import pandas as pd

from .. import _reading
from ._common import import_pyplot, network_and_input


class NumericEmbeddingDisplay:
    """What the network sees of one numeric column, against its raw value.

    A network's first layer does not read a number as it is given: it reads the
    column's input embedding. With ``numeric_scaling`` that starts with the
    scaled value (for ``"robust"``, smoothly clipped, so an outlier stays
    finite and in order: at 3, or with ``numeric_embedding`` at the column's
    own bound, which keeps its tail); with ``numeric_embedding`` the learned
    functions ``e_0(x)``, ``e_1(x)``, ... of the value follow, trained with the
    network. This display draws each of them as a curve over a range of the
    column's raw values: the dark line is the value itself (scaled, when
    ``numeric_scaling`` is set), the coloured ones the learned functions. Bends
    and bumps in a learned curve are the places where the network learned to
    tell values apart.

    Create it with :meth:`from_estimator`; the constructor only stores what
    is drawn.

    Parameters
    ----------
    values : ndarray of shape (n_points,)
        Raw values of the column, increasing.
    embedding : ndarray of shape (n_points, n_dimensions)
        The column's input-embedding columns at those values: the scaled
        value first, then the learned functions, if any.
    column : str
        The column's name, for the x-axis.
    dimension_names : list of str
        One name per embedding column, for the legend.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The Axes.
    figure_ : matplotlib Figure
        The figure.
    lines_ : list of matplotlib Line2D
        One curve per embedding column, the scaled value first.

    See Also
    --------
    skembed.EmbeddingMLPRegressor.embed : ``layer="input"`` gives the whole
        input embedding of a batch of rows.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skembed import EmbeddingMLPRegressor
    >>> from skembed.datasets import make_houses
    >>> from skembed.plotting import NumericEmbeddingDisplay
    >>> X, y = make_houses(500, random_state=0)
    >>> reg = EmbeddingMLPRegressor(hidden_layer_sizes=(16,), max_iter=30,
    ...                             random_state=0)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # 30 epochs do not converge
    ...     reg = reg.fit(X, y)
    >>> display = NumericEmbeddingDisplay.from_estimator(reg, X, "age_years")
    >>> display.dimension_names[:3]
    ['age_years', 'age_years_e0', 'age_years_e1']
    >>> len(display.lines_) == len(display.dimension_names)
    True
    >>> plt.close(display.figure_)
    """

    def __init__(self, values, embedding, *, column, dimension_names):
        self.values = values
        self.embedding = embedding
        self.column = column
        self.dimension_names = dimension_names

    @classmethod
    def from_estimator(cls, estimator, X, column, *, n_points=200, ax=None):
        """Draw the input embedding of ``column`` over its range in ``X``.

        The other columns are held at the values of ``X``'s first row: a
        numeric column's embedding depends on that column alone, so they
        change nothing that is drawn.

        Parameters
        ----------
        estimator : fitted skembed network or Pipeline
            The network, or a Pipeline holding it (``X`` then goes through
            the steps before it, and ``column`` names one of their output
            columns).
        X : DataFrame or array-like of shape (n_samples, n_features)
            Data whose 1st to 99th percentile of ``column`` sets the range
            drawn.
        column : str or int
            A numeric column the network reads: its name, or its position.
        n_points : int, default=200
            How many raw values the curves are drawn through.
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a figure.

        Returns
        -------
        NumericEmbeddingDisplay
            The display, drawn.
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        network, X = network_and_input(estimator, X)
        position, name = _numeric_column(network, column)
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
        raw = pd.to_numeric(frame.iloc[:, position], errors="coerce").to_numpy(float)
        if not np.isfinite(raw).any():
            raise ValueError(f"Column {name!r} has no finite value in X to draw a range from.")
        low, high = np.nanpercentile(raw, [1, 99])
        values = np.linspace(low, high, n_points)
        grid = frame.iloc[np.zeros(n_points, dtype=np.intp)].reset_index(drop=True)
        grid[grid.columns[position]] = values
        if not isinstance(X, pd.DataFrame):
            grid = grid.to_numpy()
        keep = _embedding_columns(network, name)
        embedding = network.embed(grid, layer="input")[:, keep]
        names = _reading.input_embedding_names(network)
        display = cls(values, embedding, column=name,
                      dimension_names=[names[i] for i in keep])
        return display.plot(ax=ax)

    def plot(self, ax=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; ``None`` creates a figure.

        Returns
        -------
        NumericEmbeddingDisplay
            The display, drawn.
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")  # room for the legend
        n_learned = self.embedding.shape[1] - 1
        colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, max(n_learned, 1)))
        self.lines_ = ax.plot(self.values, self.embedding[:, 0], color="black", lw=2.5,
                              label=self.dimension_names[0])
        for k in range(n_learned):
            self.lines_ += ax.plot(self.values, self.embedding[:, k + 1], color=colours[k],
                                   lw=1.2, label=self.dimension_names[k + 1])
        ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.set_xlabel(f"{self.column} (raw value)")
        ax.set_ylabel("Input embedding")
        learned = f" + {n_learned} learned functions" if n_learned else ""
        ax.set_title(f"What the network sees of {self.column}:\nits value{learned}")
        if len(self.lines_) <= 10:
            ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
        self.ax_, self.figure_ = ax, ax.figure
        return self


def _embedding_columns(network, name):
    """Positions of a numeric column's input-embedding columns: the numeric
    block holds each numeric column's value and learned functions in turn."""
    tables = network.categorical_embeddings_
    numeric = [f for f in _reading.input_feature_names(network) if f not in tables]
    embedding = network._network.layout.numeric_embedding
    width = 1 if embedding is None else embedding.width
    start = numeric.index(name) * width
    return list(range(start, start + width))


def _numeric_column(network, column):
    """``(position, name)`` of a numeric column the network reads, by name or
    position, or a ValueError that names what it can read."""
    features = _reading.input_feature_names(network)
    tables = network.categorical_embeddings_
    numeric = [name for name in features if name not in tables]
    if isinstance(column, (int, np.integer)) and not isinstance(column, bool):
        if not -len(features) <= column < len(features):
            raise ValueError(f"column={column} is out of range for {len(features)} columns.")
        column = features[column]
    if column in tables:
        raise ValueError(
            f"Column {column!r} is categorical: its embedding is a table, see "
            "categorical_embeddings_. Numeric columns: " + ", ".join(map(repr, numeric)) + "."
        )
    if column not in features:
        raise ValueError(
            f"The network has no column {column!r}. Numeric columns: "
            + ", ".join(map(repr, numeric)) + "."
        )
    return features.index(column), str(column)
