"""Reading a fitted network: where it is, what its layers and units are called.

One place for what the estimator, :mod:`skembed.inspection`,
:mod:`skembed.plotting` and the command line all need to agree on:

- :func:`find_network`: the skembed network inside an estimator or a
  Pipeline, and the steps before it;
- :func:`resolve_layer`: what a ``layer`` argument points at;
- :func:`layer_name`, :func:`neuron_names`: ``hidden{k}`` and
  ``hidden{k}_{j}`` (``k`` 1-based, as people say "layer 1"; ``j`` 0-based),
  ``output`` and ``output_{j}``;
- :func:`input_feature_names`, :func:`input_embedding_names`: the columns
  given to ``fit``, and the columns of the input embedding (numeric columns,
  then each categorical column's embedding dimensions ``{column}_{d}``).
"""

from numbers import Integral

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

HIDDEN = "an int (hidden layer)"


def is_network(obj):
    """Whether ``obj`` is a skembed network (either family, either task)."""
    from ._base import BaseMLP

    return isinstance(obj, BaseMLP)


def find_network(estimator):
    """``(network, before)``: the fitted skembed network and the Pipeline
    steps that transform X on its way in (None when there are none).

    In a Pipeline, the network is its last skembed step: steps after it (a
    KNeighborsClassifier on the embeddings, say) are not part of it.
    """
    network, before = estimator, None
    if isinstance(estimator, Pipeline):
        positions = [i for i, (_, step) in enumerate(estimator.steps) if is_network(step)]
        if not positions:
            raise TypeError(
                "The Pipeline has no skembed network step (such as EmbeddingMLPRegressor "
                "or MLPClassifier from skembed)."
            )
        position = positions[-1]
        network = estimator.steps[position][1]
        before = estimator[:position] if position else None
    if not is_network(network):
        raise TypeError(
            "Expected a fitted skembed network (EmbeddingMLPRegressor, "
            "EmbeddingMLPClassifier, or skembed's MLPRegressor or MLPClassifier) or a "
            f"Pipeline holding one, got {type(estimator).__name__}."
        )
    check_is_fitted(network)
    return network, before


def resolve_layer(n_hidden, layer, accept=()):
    """Where ``layer`` points in a network of ``n_hidden`` hidden layers.

    An int is a hidden layer (0-based, negative from the end) and gives its
    non-negative index; ``"output"`` gives the string ``"output"`` and
    ``"input"`` itself, when listed in ``accept``. Anything else raises a
    ValueError or TypeError that says what would be accepted.
    """
    words = HIDDEN + "".join(f", {word!r}" for word in accept)
    if isinstance(layer, str):
        if layer in accept:
            return layer
        raise ValueError(f"layer={layer!r} is not understood: use {words}.")
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, Integral):
        raise TypeError(f"layer must be {words}, got {type(layer).__name__}.")
    if n_hidden == 0:
        raise ValueError("This network has no hidden layer: hidden_layer_sizes=().")
    check_hidden_index(layer, n_hidden, "layer")
    return int(layer) % n_hidden


def check_hidden_index(index, n_hidden, name):
    """A ValueError if ``index`` is no hidden layer of ``n_hidden``."""
    if not -n_hidden <= index < n_hidden:
        raise ValueError(
            f"{name}={index} is out of range for {n_hidden} hidden layer(s): use an "
            f"index in [{-n_hidden}, {n_hidden - 1}]."
        )


def n_hidden(network):
    return len(network.layer_sizes_) - 2


def layer_index(network, layer):
    """The index into ``coefs_`` of a resolved layer (``"output"`` is the last)."""
    return n_hidden(network) if layer == "output" else layer


def layer_name(network, layer):
    """``hidden{k}`` (1-based) for a hidden layer, ``output`` for the last."""
    index = layer_index(network, layer)
    return "output" if index == n_hidden(network) else f"hidden{index + 1}"


def layer_width(network, layer):
    if layer == "input":
        return network.layer_sizes_[0]
    return network.layer_sizes_[layer_index(network, layer) + 1]


def neuron_names(network, layer):
    """``hidden{k}_{j}`` (or ``output_{j}``) for each unit of a layer."""
    prefix = layer_name(network, layer)
    return [f"{prefix}_{j}" for j in range(layer_width(network, layer))]


def input_feature_names(network, before=None):
    """Names of the network's input columns as given to ``fit``.

    The network's own ``feature_names_in_``; else the names the steps
    ``before`` it give their output; else ``x0``, ``x1``, ...
    """
    if hasattr(network, "feature_names_in_"):
        return [str(name) for name in network.feature_names_in_]
    if before is not None:
        try:
            names = before.get_feature_names_out()
        except (AttributeError, ValueError, TypeError):
            names = None
        if names is not None and len(names) == network.n_features_in_:
            return [str(name) for name in names]
    return [f"x{i}" for i in range(network.n_features_in_)]


def input_embedding_names(network, before=None):
    """One name per column of the input embedding: each numeric column (with
    a numeric embedding, the column then ``{column}_e0``, ``{column}_e1``,
    ... its learned functions), then ``{column}_missing`` for each
    missing-value indicator, then each categorical column's embedding
    dimensions, named as the columns of its table in
    ``categorical_embeddings_``."""
    tables = network.categorical_embeddings_
    layout = network._network.layout
    features = input_feature_names(network, before)
    raw = [name for name in features if name not in tables]
    if len(raw) != layout.n_numeric:
        raw = [f"x{i}" for i in range(layout.n_numeric)]
    embedding = layout.numeric_embedding
    dims = () if embedding is None else range(embedding.dim)
    names = [label for name in raw for label in [name, *(f"{name}_e{k}" for k in dims)]]
    if layout.n_missing:
        names += [f"{raw[i]}_missing" for i in network._network.preprocessing.missing]
    return names + [str(label) for table in tables.values() for label in table.columns]
