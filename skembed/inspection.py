"""Read a fitted network: its layers, its detectors, and how sparse they are.

Every function takes a fitted :class:`~skembed.EmbeddingMLPRegressor` or
:class:`~skembed.EmbeddingMLPClassifier` and returns a pandas DataFrame (or,
for :func:`linear_equivalent`, two arrays):

- :func:`layer_summary`: one row per layer with its inputs I, neurons N,
  weights I×N, biases N and parameters (I×N)+N; a ``total`` row that equals
  every learnable number the estimator holds.
- :func:`activation_stats`: per neuron of a hidden layer, how often it fires
  on some data, its mean activation and whether it is dead; the layer's
  sparsity in ``frame.attrs["sparsity"]``.
- :func:`neuron_patterns`: each neuron's incoming weights named by the input
  they come from, its bias, and its strongest positive and negative inputs:
  the pattern the neuron detects.
- :func:`linear_equivalent`: the single ``(coef, intercept)`` that a network
  with ``activation="identity"`` collapses into.

:func:`layer_summary`, :func:`activation_stats` and :func:`neuron_patterns`
also accept a :class:`~sklearn.pipeline.Pipeline` whose last step is a skembed
network: ``X`` then goes through the earlier steps first, and the network's
inputs are named by the earlier steps' ``get_feature_names_out`` when the
network itself did not see column names.

Naming follows the rest of skembed: hidden layers are ``hidden1``,
``hidden2``, ... (1-based, as people say "layer 1"), their neurons
``hidden{k}_{j}`` (``j`` 0-based), the output layer's units ``output_{j}``.
Inputs are named by ``feature_names_in_`` when the network was fitted on a
DataFrame, else ``x0``, ``x1``, ...; the dimensions of a categorical
column's embedding are named ``{column}_{dimension}`` after the columns of
its table in ``categorical_embeddings_``.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from ._reading import (
    find_network,
    input_embedding_names,
    input_feature_names,
    layer_name,
    n_hidden,
    neuron_names,
    resolve_layer,
)
from ._regressor import TargetScaler

__all__ = ["activation_stats", "layer_summary", "linear_equivalent", "neuron_patterns"]

_SUMMARY_COLUMNS = ["layer", "inputs", "neurons", "weights", "biases", "parameters", "activation"]


# --------------------------------------------------------------------------
# layer_summary
# --------------------------------------------------------------------------


def layer_summary(est):
    """Count the weights and biases of every layer of a fitted network.

    Each layer computes ``z = a W + b``: with I inputs and N neurons it holds
    an I×N weight matrix ``W`` (one column per neuron: the pattern it
    detects) and N biases ``b``, so (I×N)+N parameters. The input layer's
    embeddings come first, one row per column that has one: a numeric
    column's learned embedding (``numeric_embedding``: its basis of I bins
    or frequencies mapped to N learned functions; the periodic embedding's
    frequencies and phases count as weights), then each categorical
    column's lookup table (``rows × dim`` weights, no biases). With
    ``skip_connection``, a ``skip`` row after ``output`` counts the weights
    from the input embedding straight to the output (no biases: the output
    layer's serve it too).

    Parameters
    ----------
    est : EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
        A fitted network, or a fitted Pipeline whose last step is one.

    Returns
    -------
    summary : DataFrame
        One row per layer: the input embeddings (``embedding[column]``, if
        any), ``hidden1``, ``hidden2``, ..., ``output``, then a ``total``
        row. Columns:

        - ``layer`` (str): the layer's name;
        - ``inputs`` (int): I, the width of the layer's input (for a
          numeric embedding its bins or frequencies, for a table its number
          of rows: categories plus reserved rows);
        - ``neurons`` (int): N, the layer's width (for an embedding, its
          dimension);
        - ``weights`` (int): I×N (plus the frequencies and phases of a
          periodic embedding);
        - ``biases`` (int): N (0 for a table);
        - ``parameters`` (int): ``weights + biases``;
        - ``activation`` (str): the layer's non-linearity (the embedding's
          kind, ``"lookup"`` for a table, the estimator's
          ``out_activation_`` for the output).

        The ``total`` row counts the network as a whole: ``inputs`` the
        columns it reads (``n_features_in_``), ``neurons`` those of its
        hidden and output layers, and ``weights``, ``biases`` and
        ``parameters`` summed over every row: all its learnable numbers.

    See Also
    --------
    neuron_patterns : The weights of each neuron, named.

    Examples
    --------
    >>> from skembed import MLPRegressor
    >>> from skembed.datasets import load_houses
    >>> from skembed.inspection import layer_summary
    >>> X, y = load_houses(return_X_y=True)
    >>> reg = MLPRegressor(hidden_layer_sizes=(4, 2), solver="lbfgs",
    ...                    max_iter=100, random_state=0).fit(X, y)
    >>> layer_summary(reg)
         layer  inputs  neurons  weights  biases  parameters activation
    0  hidden1       3        4       12       4          16       relu
    1  hidden2       4        2        8       2          10       relu
    2   output       2        1        2       1           3   identity
    3    total       3        7       22       7          29
    """
    net, before = find_network(est)
    rows = _input_embedding_rows(net, before)
    last = n_hidden(net)
    for index, (coef, intercept) in enumerate(zip(net.coefs_, net.intercepts_)):
        activation = net.out_activation_ if index == last else net.activation
        fan_in, fan_out = coef.shape
        rows.append((layer_name(net, index), fan_in, fan_out, int(coef.size),
                     int(intercept.size), activation))
    skip = net.skip_coef_
    if skip is not None:
        rows.append(("skip", skip.shape[0], skip.shape[1], int(skip.size), 0, "linear"))
    frame = pd.DataFrame(
        rows, columns=["layer", "inputs", "neurons", "weights", "biases", "activation"]
    )
    frame["parameters"] = frame["weights"] + frame["biases"]
    total = pd.DataFrame({
        "layer": ["total"], "inputs": [net.n_features_in_],
        "neurons": [sum(coef.shape[1] for coef in net.coefs_)],
        "weights": [frame["weights"].sum()], "biases": [frame["biases"].sum()],
        "parameters": [frame["parameters"].sum()], "activation": [""],
    })
    frame = pd.concat([frame, total], ignore_index=True)[_SUMMARY_COLUMNS]
    return frame.astype({name: np.int64 for name in _SUMMARY_COLUMNS[1:-1]})


def _input_embedding_rows(net, before):
    """A row per numeric embedding (per column) and per categorical table."""
    rows = []
    embedding = net._network.layout.numeric_embedding
    if embedding is not None:
        tables = net.categorical_embeddings_
        numeric = [name for name in input_feature_names(net, before) if name not in tables]
        per_column = embedding.n_params // embedding.n_columns
        for name in numeric:
            rows.append((f"embedding[{name}]", embedding.n_basis, embedding.dim,
                         per_column - embedding.dim, embedding.dim, embedding.kind))
    for col, table in net.categorical_embeddings_.items():
        n_rows, dim = table.shape
        rows.append((f"embedding[{col}]", n_rows, dim, int(table.size), 0, "lookup"))
    return rows


# --------------------------------------------------------------------------
# activation_stats
# --------------------------------------------------------------------------


def activation_stats(est, X, layer=None):
    """How often each neuron of a hidden layer fires on X.

    A neuron fires on a sample when its activation is > 0. With ReLU a
    neuron that does not fire outputs exactly 0: the detector is silenced,
    and the share of such zeros is the layer's sparsity. A neuron that fires
    on no sample of X is *dead* (on X).

    Parameters
    ----------
    est : EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
        A fitted network, or a fitted Pipeline whose last step is one (X then
        goes through the earlier steps first).
    X : {array-like, DataFrame} of shape (n_samples, n_features)
        The samples to run through the network.
    layer : int, default=None
        The hidden layer, 0-based (negative from the end), as in
        ``embed(X, layer=...)``. ``None`` uses the estimator's
        ``embedding_layer``.

    Returns
    -------
    stats : DataFrame of shape (n_neurons, 3)
        Indexed by neuron name (``hidden{k}_{j}``), with columns
        ``fraction_active`` (share of samples with activation > 0),
        ``mean_activation`` and ``dead`` (bool: fires on no sample).
        ``stats.attrs["sparsity"]`` is the share of all the layer's
        activations on X that are ≤ 0 (a float in [0, 1]) and
        ``stats.attrs["layer"]`` the layer's name.

    See Also
    --------
    skembed.EmbeddingMLPRegressor.embed : The activations themselves.

    Examples
    --------
    >>> from skembed import EmbeddingMLPRegressor
    >>> from skembed.datasets import load_houses
    >>> from skembed.inspection import activation_stats
    >>> X, y = load_houses(return_X_y=True)
    >>> reg = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs",
    ...                             max_iter=100, random_state=0).fit(X, y)
    >>> stats = activation_stats(reg, X, layer=0)
    >>> list(stats.index)
    ['hidden1_0', 'hidden1_1', 'hidden1_2', 'hidden1_3']
    >>> list(stats.columns)
    ['fraction_active', 'mean_activation', 'dead']
    >>> 0.0 <= stats.attrs["sparsity"] <= 1.0
    True
    """
    net, preprocessing = find_network(est)
    index = resolve_layer(n_hidden(net), net.embedding_layer if layer is None else layer)
    if preprocessing is not None:
        X = preprocessing.transform(X)
    activations = np.asarray(net.embed(X, layer=index), dtype=np.float64)
    active = activations > 0
    stats = pd.DataFrame(
        {
            "fraction_active": active.mean(axis=0),
            "mean_activation": activations.mean(axis=0),
            "dead": ~active.any(axis=0),
        },
        index=pd.Index(neuron_names(net, index), name="neuron"),
    )
    stats.attrs["sparsity"] = float(1.0 - active.mean())
    stats.attrs["layer"] = layer_name(net, index)
    return stats


# --------------------------------------------------------------------------
# neuron_patterns
# --------------------------------------------------------------------------


# An input is part of a neuron's pattern when its weight is at least this share
# of the neuron's largest absolute weight: 0.04 beside -2.0 is not a pattern.
STRONG_SHARE = 0.25


def _strongest(weights, names, top, sign):
    """Names of the ``top`` inputs with the largest weights of one sign, among
    those of at least ``STRONG_SHARE`` of the largest absolute weight."""
    floor = STRONG_SHARE * np.abs(weights).max(initial=0.0)
    order = np.argsort(-sign * weights, kind="stable")[:top]
    return [names[i] for i in order if sign * weights[i] > 0 and abs(weights[i]) >= floor]


def neuron_patterns(est, layer=0, top=3):
    """The pattern each neuron of a layer detects: its named incoming weights.

    A neuron computes ``z = sum_i w_i a_i + b`` over its inputs ``a_i``: a
    large positive ``w_i`` means the neuron looks for a high value of input
    ``i``, a large negative one for a low value, and the bias ``b`` sets how
    strong the evidence must be before it fires (with ReLU).

    The weights are those the network applies, so they are in the units of
    the network's input: after any scaling done before it (e.g. a
    StandardScaler), and for hidden layers after the first, in units of the
    previous layer's activations.

    Parameters
    ----------
    est : EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
        A fitted network, or a fitted Pipeline whose last step is one.
    layer : int or "output", default=0
        The hidden layer, 0-based (negative from the end), or ``"output"``
        for the output layer.
    top : int, default=3
        How many inputs to list in ``strongest_positive`` and
        ``strongest_negative``.

    Returns
    -------
    patterns : DataFrame
        One row per neuron of the layer (indexed ``hidden{k}_{j}``, or
        ``output_{j}``); one float column per input of the layer, named by
        the input feature (first layer: ``feature_names_in_`` or ``x0``,
        ``x1``, ...; categorical embedding dimensions after the numeric
        columns) or by the previous layer's neuron (``hidden{k}_{j}``);
        then ``bias``; then ``strongest_positive`` and
        ``strongest_negative``: lists of at most ``top`` input names, of the
        largest positive weights (largest first) and of the most negative
        weights (most negative first), counting only weights of at least a
        quarter of the neuron's largest absolute weight (a weight of 0.04
        beside one of -2 is no part of the pattern), so a list may be
        shorter than ``top``, or empty.

    See Also
    --------
    layer_summary : How many weights each layer holds.

    Examples
    --------
    >>> import numpy as np
    >>> from skembed import MLPRegressor
    >>> from skembed.datasets import load_houses
    >>> from skembed.inspection import neuron_patterns
    >>> houses = load_houses()
    >>> reg = MLPRegressor(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=100,
    ...                    random_state=0)
    >>> reg = reg.fit(houses.data, houses.target)
    >>> reg.coefs_[0][:, 0] = [0.0, 0.0, 1.0]   # an "older than 30 years" detector
    >>> reg.intercepts_[0][0] = -30.0
    >>> patterns = neuron_patterns(reg, layer=0, top=1)
    >>> patterns.loc["hidden1_0", ["size_sqft", "bedrooms", "age_years", "bias"]].tolist()
    [0.0, 0.0, 1.0, -30.0]
    >>> patterns.loc["hidden1_0", "strongest_positive"]
    ['age_years']
    """
    net, preprocessing = find_network(est)
    layer = resolve_layer(n_hidden(net), layer, accept=("output",))
    index = n_hidden(net) if layer == "output" else layer
    if isinstance(top, (bool, np.bool_)) or not isinstance(top, Integral) or top < 1:
        raise ValueError(f"top must be an int >= 1, got {top!r}.")
    if index == 0:
        inputs = input_embedding_names(net, preprocessing)
    else:
        inputs = neuron_names(net, index - 1)
    weights = np.asarray(net.coefs_[index], dtype=np.float64).T
    neurons = pd.Index(neuron_names(net, index), name="neuron")
    patterns = pd.DataFrame(weights, index=neurons, columns=inputs)
    patterns["bias"] = np.asarray(net.intercepts_[index], dtype=np.float64)
    patterns["strongest_positive"] = [_strongest(w, inputs, top, +1) for w in weights]
    patterns["strongest_negative"] = [_strongest(w, inputs, top, -1) for w in weights]
    return patterns


# --------------------------------------------------------------------------
# linear_equivalent
# --------------------------------------------------------------------------


def _collapse(coefs, intercepts):
    """Compose the affine maps ``a -> a W + b`` of every layer, in float64."""
    coef = np.eye(coefs[0].shape[0])
    intercept = np.zeros(coefs[0].shape[0])
    for W, b in zip(coefs, intercepts):
        W = np.asarray(W, dtype=np.float64)
        coef = coef @ W
        intercept = intercept @ W + np.asarray(b, dtype=np.float64)
    return coef, intercept


def linear_equivalent(est):
    """The single linear map that a network of identity layers collapses into.

    Stacked linear layers are one linear layer: ``(x W1 + b1) W2 + b2 =
    x (W1 W2) + (b1 W2 + b2)``. For a network with ``activation="identity"``
    (any depth), this returns that one ``(coef, intercept)``, so it can be
    compared with :class:`~sklearn.linear_model.LinearRegression`: depth adds
    nothing without a non-linearity.

    For a regressor with the squared error loss the map is in the target's
    own units (the internal target scaling is undone):
    ``est.predict(X) == X @ coef + intercept``. When the output layer has a
    link, the map is the linear predictor before it, as in scikit-learn's
    generalized linear models: for a classifier (logistic or softmax output)
    ``X @ coef + intercept`` are the logits, ``predict_proba`` is the link
    applied to them (``coef`` is ``LogisticRegression.coef_`` transposed);
    for ``loss="poisson"`` (exp output) ``est.predict(X) == exp(X @ coef +
    intercept)``, the target scaling folded into the intercept.

    Parameters
    ----------
    est : EmbeddingMLPRegressor or EmbeddingMLPClassifier
        A fitted network whose hidden activation is ``"identity"`` (or that
        has no hidden layer). Not a Pipeline: the coefficients apply to the
        network's own inputs, i.e. to the output of the steps before it.

    Returns
    -------
    coef : ndarray of shape (n_inputs, n_outputs_)
        One row per column of the network's input embedding (the input
        features, or with categorical columns, ``numeric_scaling`` or
        ``numeric_embedding`` the columns of ``est.embed(X, layer="input")``,
        which are then not linear in X), one column per output unit;
        float64.
    intercept : ndarray of shape (n_outputs_,)
        One value per output unit, float64.

    Raises
    ------
    ValueError
        If the hidden activation is not ``"identity"``: the network is not a
        linear map.

    See Also
    --------
    sklearn.linear_model.LinearRegression : The linear model it equals.

    Examples
    --------
    >>> import numpy as np
    >>> from skembed import MLPRegressor
    >>> from skembed.inspection import linear_equivalent
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ [1.5, -2.0, 0.5] + 10.0
    >>> reg = MLPRegressor(hidden_layer_sizes=(4, 4), activation="identity",
    ...                    solver="lbfgs", random_state=0).fit(X, y)
    >>> coef, intercept = linear_equivalent(reg)
    >>> coef.shape, intercept.shape
    ((3, 1), (1,))
    >>> np.allclose(X @ coef + intercept, reg.predict(X).reshape(-1, 1))
    True
    >>> np.round(coef.ravel(), 2), np.round(intercept, 2)
    (array([ 1.5, -2. ,  0.5]), array([10.]))
    """
    if isinstance(est, Pipeline):
        raise TypeError(
            "linear_equivalent needs the network itself, not a Pipeline: pass "
            "pipe[-1]; its coefficients then apply to the output of pipe[:-1]."
        )
    net, _ = find_network(est)
    if n_hidden(net) > 0 and net.activation != "identity":
        raise ValueError(
            "linear_equivalent needs a network whose hidden activations are all "
            f"'identity'; this one uses activation={net.activation!r}, so its layers "
            "do not collapse into a single linear map."
        )
    coef, intercept = _collapse(net.coefs_, net.intercepts_)
    if net.skip_coef_ is not None:  # the skip connection adds its own linear map
        coef += np.asarray(net.skip_coef_, dtype=np.float64)
    if not isinstance(net._codec, TargetScaler):
        return coef, intercept  # a classifier: the logits
    scale = np.asarray(net._codec.scale, dtype=np.float64)
    shift = np.asarray(net._codec.shift, dtype=np.float64)
    if net.out_activation_ == "identity":
        return coef * scale, intercept * scale + shift
    if net.out_activation_ == "exp" and not shift.any():
        # exp(z) * scale == exp(z + log(scale))
        return coef, intercept + np.log(scale)
    raise ValueError(
        f"linear_equivalent does not know how to undo the target scaling of an "
        f"{net.out_activation_!r} output layer with a non-zero shift."
    )
