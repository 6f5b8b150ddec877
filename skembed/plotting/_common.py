"""What the displays share: matplotlib on demand, the network and what it
sees of X, how layers are titled, and grids of panels."""

from typing import NamedTuple

import numpy as np

from .. import _reading

INSTALL_HINT = 'pip install "skembed[plot]"'
# Light grey for the "silent" cells of a heatmap: distinct from every colour
# of viridis, and still visible on a white page.
SILENT_COLOUR = "#f2f2f2"


def import_pyplot(caller):
    """matplotlib.pyplot, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires matplotlib, which is not installed. "
            f"Install it with: {INSTALL_HINT}"
        ) from exc
    return plt


def network_and_input(estimator, X=None):
    """The skembed network inside ``estimator``, and ``X`` as the network sees it
    (transformed by the Pipeline steps before the network, if any)."""
    network, before = _reading.find_network(estimator)
    if X is not None and before is not None:
        X = before.transform(X)
    return network, X


def layer_key(network, layer):
    """A layer argument resolved: ``"input"``, ``"output"`` or a hidden index >= 0."""
    return _reading.resolve_layer(_reading.n_hidden(network), layer,
                                  accept=("input", "output"))


def layer_title(network, key):
    """How the docs name a layer: "Hidden layer 1" is the first hidden layer."""
    width = _reading.layer_width(network, key)
    if key == "input":
        n_columns = network.n_features_in_
        if width == n_columns:
            return f"Input ({width} features)"
        # numeric embeddings, categorical tables or missing-value indicators
        return f"Input embedding\n({width} dimensions from {n_columns} columns)"
    if key == "output":
        return f"Output layer ({width} unit{'s' if width != 1 else ''})"
    return f"Hidden layer {key + 1} ({width} neurons)"


def dimension_names(network, key):
    """Names of a layer's dimensions: the input embedding's columns, or
    ``hidden{k}_{j}``."""
    if key == "input":
        return _reading.input_embedding_names(network)
    return _reading.neuron_names(network, key)


def target_name(y, default="target"):
    name = getattr(y, "name", None)
    return str(name) if name is not None else default


class Grid(NamedTuple):
    """``n_panels`` panels on ``n_rows`` x ``n_cols``, in a figure of ``figsize``."""

    n_panels: int
    n_rows: int
    n_cols: int
    figsize: tuple


def panel_axes(plt, ax, grid, caller):
    """A figure and ``grid.n_panels`` Axes.

    ``ax`` None: a new figure. One Axes: it becomes the bounding box that
    the panels share, as in scikit-learn's PartialDependenceDisplay. An
    array of Axes: used as given, one per panel.
    """
    if ax is None:
        figure, axes = plt.subplots(
            grid.n_rows, grid.n_cols, figsize=grid.figsize, layout="constrained",
            squeeze=False,
        )
        axes = axes.ravel()
        for extra in axes[grid.n_panels:]:
            extra.set_visible(False)
        return figure, axes[: grid.n_panels]
    if isinstance(ax, plt.Axes):
        if grid.n_panels == 1:
            return ax.figure, np.asarray([ax], dtype=object)
        return ax.figure, _split_bounding_axes(ax, grid)
    axes = np.asarray(ax, dtype=object).ravel()
    if not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"{caller}: ax must be a matplotlib Axes or an array of Axes.")
    if axes.size != grid.n_panels:
        raise ValueError(
            f"{caller}: ax holds {axes.size} Axes but there are {grid.n_panels} panels to "
            "draw; pass one Axes per panel, a single Axes to split, or ax=None."
        )
    return axes[0].figure, axes


def _split_bounding_axes(ax, grid):
    """Panels drawn inside the area of one Axes, which is then hidden."""
    from matplotlib.gridspec import GridSpecFromSubplotSpec

    figure, n_rows, n_cols = ax.figure, grid.n_rows, grid.n_cols
    ax.set_axis_off()
    spec = ax.get_subplotspec()
    if spec is not None:
        cells = GridSpecFromSubplotSpec(n_rows, n_cols, subplot_spec=spec)
        panels = [figure.add_subplot(cells[i // n_cols, i % n_cols])
                  for i in range(grid.n_panels)]
    else:  # an Axes placed by hand (fig.add_axes): divide its box evenly
        panels = [
            ax.inset_axes([(i % n_cols) / n_cols, 1 - (i // n_cols + 1) / n_rows,
                           0.8 / n_cols, 0.8 / n_rows])
            for i in range(grid.n_panels)
        ]
    return np.asarray(panels, dtype=object)
