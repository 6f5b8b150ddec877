"""The network: its layout, one flat parameter vector, forward and backward.

All learnable numbers live in one contiguous vector laid out as::

    [embedding tables..., numeric embedding..., W_1, ..., W_L, (W_skip), b_1, ..., b_L]

so that the optimizers update everything with a handful of vectorised
operations, the L2 penalty applies to one leading slice (tables, numeric
embedding and weights, not biases), and L-BFGS sees the vector as it is.
``W_skip``, present with a skip connection, maps the input embedding
straight to the output pre-activation: ``z_L += x W_skip``.
How raw columns become the input embedding is the input layer's
(``_input_layer``). ``Layout.split`` gives
views of any vector with this layout (the parameters, or their gradient).

A :class:`Network` is the typed, fitted object: what it computes (layout,
activation, loss and so the output activation) and its parameters. A
:class:`Workspace` holds every buffer one training batch needs, allocated
once per fit; ``forward`` and ``backward`` write into it and allocate nothing
of the batch's size beyond a few temporaries of the activation functions.
Inference lives in ``_inference``.

Layer ``i`` (0-based) maps the activation of layer ``i - 1`` (the input
embedding for ``i = 0``) to ``z_i = a_{i-1} W_i + b_i`` and ``a_i = f(z_i)``.

This is the math layer: numpy and scipy only; nothing here sees an estimator.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.linalg.blas import dger, sger

from ._activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from ._input_layer import (
    embed_numeric,
    embed_numeric_backward,
    init_numeric_embedding,
    missing_indicators,
    scale_numeric,
)
from ._losses import OUTPUT_ACTIVATION_OF
from ._tables import look_up


class Parameters(NamedTuple):
    """Views of a flat vector: the embedding tables, weights and biases, the
    numeric embedding's parameters (an empty list without one) and the skip
    connection's weights (None without one)."""

    tables: list
    coefs: list
    intercepts: list
    numeric: list = []
    skip: object = None


class Inputs(NamedTuple):
    """A network's input: the numeric block (a C-ordered array, or a scipy CSR
    matrix whose rows the first layer multiplies as they are) and the
    category codes (or None)."""

    numeric: object
    codes: np.ndarray = None
    # True: ``numeric`` is the block of ``scale_inputs`` (scaled once), not
    # the raw columns
    scaled: bool = False

    # the number of rows (so NamedTuple's _make and _replace do not apply)
    def __len__(self):
        return self.numeric.shape[0]

    @property
    def sparse(self):
        return sp.issparse(self.numeric)

    def rows(self, rows):
        """The inputs of some rows (an index array or a slice)."""
        codes = None if self.codes is None else self.codes[rows]
        return Inputs(self.numeric[rows], codes, self.scaled)


@dataclass(frozen=True)
class Layout:
    """Widths of the layers and shapes of the input layer's parameters.

    Parameters
    ----------
    layer_sizes : tuple of int
        ``(input embedding width, *hidden widths, n_outputs)``.
    table_shapes : tuple of (int, int)
        ``(rows, embedding dimension)`` of each categorical column's table.
    n_numeric : int
        How many raw numeric columns the input has.
    n_missing : int
        How many missing-value indicator columns follow the numeric block.
    numeric_embedding : NumericEmbedding or None
        How each numeric column is embedded, or None.
    scaled : bool
        Whether the numeric columns are scaled (``numeric_scaling``) on
        their way in.
    skip : bool
        Whether a linear map from the input embedding straight to the output
        pre-activation is added to the last layer's (``skip_connection``).
    """

    layer_sizes: tuple
    table_shapes: tuple = ()
    n_numeric: int = field(default=None)
    n_missing: int = 0
    numeric_embedding: object = None
    scaled: bool = False
    skip: bool = False

    def __post_init__(self):
        if self.n_numeric is None:
            object.__setattr__(self, "n_numeric", self.layer_sizes[0])

    @property
    def n_layers(self):
        """Number of weight layers (hidden layers and the output layer)."""
        return len(self.layer_sizes) - 1

    @property
    def n_hidden(self):
        return len(self.layer_sizes) - 2

    @property
    def numeric_width(self):
        """Width of the numeric block of the input embedding."""
        emb = self.numeric_embedding
        return self.n_numeric * (emb.width if emb is not None else 1)

    @property
    def plain_input(self):
        """Whether the input embedding is the raw numeric columns themselves:
        unscaled, and nothing else."""
        return not self.scaled and self.layer_sizes[0] == self.n_numeric

    @cached_property
    def n_table_params(self):
        return sum(r * d for r, d in self.table_shapes)

    @cached_property
    def n_numeric_params(self):
        emb = self.numeric_embedding
        return 0 if emb is None else emb.n_params

    @cached_property
    def n_penalized(self):
        """Length of the leading slice under the L2 penalty."""
        sizes = self.layer_sizes
        return self.n_table_params + self.n_numeric_params + self.n_skip_params + sum(
            sizes[i] * sizes[i + 1] for i in range(self.n_layers)
        )

    @property
    def n_skip_params(self):
        return self.layer_sizes[0] * self.layer_sizes[-1] if self.skip else 0

    @cached_property
    def n_params(self):
        return self.n_penalized + sum(self.layer_sizes[1:])

    def split(self, vector):
        """``Parameters`` views of a vector with this layout."""
        tables, coefs, intercepts = [], [], []
        start = 0
        for rows, dim in self.table_shapes:
            tables.append(vector[start : start + rows * dim].reshape(rows, dim))
            start += rows * dim
        numeric = []
        if self.numeric_embedding is not None:
            numeric = self.numeric_embedding.split(
                vector[start : start + self.n_numeric_params])
            start += self.n_numeric_params
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            coefs.append(vector[start : start + fan_in * fan_out].reshape(fan_in, fan_out))
            start += fan_in * fan_out
        skip = None
        if self.skip:
            fan_in, fan_out = self.layer_sizes[0], self.layer_sizes[-1]
            skip = vector[start : start + fan_in * fan_out].reshape(fan_in, fan_out)
            start += fan_in * fan_out
        for fan_out in self.layer_sizes[1:]:
            intercepts.append(vector[start : start + fan_out])
            start += fan_out
        return Parameters(tables, coefs, intercepts, numeric, skip)


@dataclass(eq=False)
class Network:
    """A network: what it computes and the flat vector of its parameters.

    Parameters
    ----------
    layout : Layout
        The widths of the layers and the shapes of the embedding tables.
    activation : str
        The hidden layers' activation, a key of ``ACTIVATIONS``.
    loss : str
        The loss, a key of ``_losses.LOSSES``; it fixes the output activation.
    params : ndarray of shape (layout.n_params,)
        The parameters; ``views`` are the tables, weights and biases in it.
    preprocessing : Preprocessing or None
        What the input layer learned from the data (scaling, missing-value
        columns, bin edges), or None.
    skip_anchor : ndarray of shape (layout.n_skip_params,) or None
        Where the L2 penalty pulls the skip connection's weights: the linear
        fit the network started from (``linear_start``); None pulls them to
        zero, as every other weight.
    """

    layout: Layout
    activation: str
    loss: str
    params: np.ndarray
    preprocessing: object = None
    skip_anchor: np.ndarray = None
    views: Parameters = field(init=False, repr=False)

    def __post_init__(self):
        self.views = self.layout.split(self.params)

    def __getstate__(self):  # the views are rebuilt, not stored
        state = self.__dict__.copy()
        del state["views"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.views = self.layout.split(self.params)

    @property
    def out_activation(self):
        return OUTPUT_ACTIVATION_OF[self.loss]

    @property
    def dtype(self):
        return self.params.dtype

    def copy(self):
        """The same network with its own copy of the parameters."""
        return Network(self.layout, self.activation, self.loss, self.params.copy(),
                       self.preprocessing, self.skip_anchor)


def init_network(layout, activation, loss, dtype, rng):
    """A network with Glorot-uniform weights and biases, as scikit-learn's MLP
    draws them (the same numbers in the same order from ``rng``).

    Embedding tables are drawn first, from a normal distribution with
    standard deviation ``1 / sqrt(dim)``, so that each looked-up vector starts
    with a norm near one, like a standardised numeric column; then the
    numeric embedding (see ``init_numeric_embedding``). A skip connection
    starts at zero (the network starts as the one without it) and draws
    nothing.
    """
    params = np.empty(layout.n_params, dtype=dtype)
    tables, coefs, intercepts, numeric, skip = layout.split(params)
    if skip is not None:
        skip[...] = 0.0
    for table in tables:
        table[...] = rng.normal(0.0, 1.0 / np.sqrt(table.shape[1]), size=table.shape)
    if numeric:
        init_numeric_embedding(layout.numeric_embedding, numeric, rng)
    factor = 2.0 if activation == "logistic" else 6.0
    for coef, intercept in zip(coefs, intercepts):
        fan_in, fan_out = coef.shape
        bound = np.sqrt(factor / (fan_in + fan_out))
        coef[...] = rng.uniform(-bound, bound, size=coef.shape)
        intercept[...] = rng.uniform(-bound, bound, size=intercept.shape)
    return Network(layout, activation, loss, params)


@dataclass
class Regularization:
    """What training adds to the forward/backward pass, and its random source."""

    dropout: float = 0.0
    activity_l1: float = 0.0
    rng: object = None


class Batch:
    """Views of a workspace's buffers for one batch of ``m`` rows.

    ``inputs`` is the input embedding and ``numeric`` the batch's raw numeric
    columns (the same buffer when the input embedding is the raw columns
    themselves); ``cache`` what the input layer keeps for its backward pass;
    ``z[i]``
    and ``a[i]`` the pre-activation and activation of layer ``i`` (the same
    buffer when the activation's derivative reads only ``a``); ``fed[i]``
    what layer ``i`` passes on (``a[i]``, or its dropped-out copy);
    ``delta[i]`` the gradient with respect to ``z[i]``; ``y`` the targets,
    ``row_weight`` each row's weight in the mean and ``codes`` the category
    codes of the batch's rows. With sparse input, ``inputs`` is the batch's
    CSR rows, set when the batch is loaded. ``d_embedded`` is the gradient
    with respect to the looked-up embeddings, left by ``backward`` for the
    trainer to turn into table gradients.
    """

    def __init__(self, ws, m):
        def rows(buffers):
            return [b[:m] for b in buffers]

        self.inputs = ws.inputs[:m]
        self.numeric = ws.numeric[:m]
        self.z, self.a, self.fed = rows(ws.z), rows(ws.a), rows(ws.fed)
        self.masks = rows(ws.masks)
        self.delta = rows(ws.delta)
        self.skip_out = None if ws.skip_out is None else ws.skip_out[:m]
        self.y, self.ones = ws.y[:m], ws.ones[:m]
        self.weights = ws.weights[:m]  # filled with sample weights when there are some
        self.row_weight = 1.0 / m
        self.codes = None
        self.d_embedded = None
        self.cache = {}


class Workspace:
    """The buffers of training batches of at most ``capacity`` rows, allocated once.

    ``rows(m)`` gives the views for a batch of ``m`` rows (see ``Batch``);
    ``grad`` is the flat gradient, ``grad_views`` its ``Parameters`` views.
    """

    def __init__(self, network, capacity, *, dropout=0.0, sparse=False, numeric_width=None):
        layout, dtype = network.layout, network.dtype
        # the raw numeric columns, or the wider block of scale_inputs
        numeric_width = layout.n_numeric if numeric_width is None else numeric_width
        sizes = layout.layer_sizes

        def buffer(width):
            return np.empty((capacity, width), dtype=dtype)

        self.capacity = capacity
        self.inputs = buffer(0 if sparse else sizes[0])
        self.numeric = self.inputs if layout.plain_input else buffer(numeric_width)
        self.z = [buffer(width) for width in sizes[1:]]
        # an activation whose derivative needs only its output works in place
        separate = ACTIVATIONS[network.activation].needs_z
        self.a = [buffer(z.shape[1]) if separate or i == layout.n_hidden else z
                  for i, z in enumerate(self.z)]
        self.fed = list(self.a)
        self.masks = []
        if dropout > 0:
            self.masks = [buffer(width) for width in sizes[1:-1]]
            self.fed = [buffer(width) for width in sizes[1:-1]] + [self.a[-1]]
        self.delta = [buffer(width) for width in sizes[1:]]
        self.skip_out = buffer(sizes[-1]) if layout.skip else None
        self.grad = np.zeros(layout.n_params, dtype=dtype)
        self.grad_views = layout.split(self.grad)
        self.y = buffer(sizes[-1])
        self.weights = buffer(1)
        self.ones = np.ones(capacity, dtype=dtype)
        self._batches = {}

    def rows(self, m):
        """The views for a batch of ``m`` rows (kept: batches repeat sizes)."""
        batch = self._batches.get(m)
        if batch is None:
            batch = self._batches[m] = Batch(self, m)
        return batch


def linear(a, coef, intercept, out, ones=None):
    """``out = a @ coef + intercept``; a width-1 layer as a matrix-vector product.

    With ``ones`` (a vector of ``m`` ones) the bias is added as the BLAS rank-1
    update ``out += ones intercept^T``, which wide layers take in one pass;
    ``out`` is C-contiguous, so ``out.T`` is the Fortran-ordered matrix that
    BLAS updates in place. A sparse ``a`` multiplies its stored values only.
    """
    if _is_sparse(a):
        out[...] = a @ coef
    elif coef.shape[1] == 1:
        np.dot(a, coef[:, 0], out=out[:, 0])
    else:
        np.matmul(a, coef, out=out)
    if ones is not None and out.shape[1] >= _GER_MIN_WIDTH:
        result = _GER[out.dtype.char](1.0, intercept, ones, a=out.T, overwrite_a=True)
        blas_result_into(result.T, out)
    else:
        out += intercept
    return out


def _is_sparse(a):
    # a dense batch is an ndarray: one type check per layer and batch instead
    # of scipy's abstract-class check
    return type(a) is not np.ndarray and sp.issparse(a)


def blas_result_into(result, out):
    """Make sure a BLAS routine's ``result`` landed in ``out``: BLAS updates in
    place when it can and returns a copy when it cannot."""
    if not np.may_share_memory(result, out):
        out[...] = result
    return out


_GER = {"f": sger, "d": dger}
_GER_MIN_WIDTH = 32


# The most memory a fit spends on its numeric columns scaled once (a second
# copy of them, twice as wide with a value channel): a scratch buffer of a
# few megabytes, 50,000 rows of 20 embedded columns, never a copy of a large
# table; a larger one is scaled batch by batch, as at predict.
SCALED_ONCE_BYTES = 8 << 20


def scale_inputs(network, inputs):
    """``inputs`` with the numeric block scaled once, for training: each epoch
    reads the same rows again, and ``embed_inputs`` then reads the scaled
    columns, the value channel (robust scaling with a numeric embedding) and
    the missing-value indicators side by side instead of computing them from
    the raw columns batch after batch. ``inputs`` itself where there is
    nothing to scale (no scaling, sparse or plain input, or already scaled)
    or the scaled block would outgrow ``SCALED_ONCE_BYTES``.
    """
    layout, pre = network.layout, network.preprocessing
    if (inputs.scaled or inputs.sparse or layout.plain_input or pre is None
            or pre.scale is None):
        return inputs
    raw, c = inputs.numeric, layout.n_numeric
    channel = _value_channel(network)
    width = c * (1 + channel) + layout.n_missing
    if len(raw) * width * network.dtype.itemsize > SCALED_ONCE_BYTES:
        return inputs
    block = np.empty((len(raw), width), dtype=network.dtype)
    scale_numeric(pre, raw, block[:, :c], block[:, c : 2 * c] if channel else None)
    if layout.n_missing:
        missing_indicators(pre, raw, block[:, c * (1 + channel) :])
    return Inputs(block, inputs.codes, True)


def _value_channel(network):
    # robust scaling keeps an embedded column's tail in a channel of its own
    pre = network.preprocessing
    return (network.layout.numeric_embedding is not None and pre is not None
            and pre.bound is not None)


def embed_inputs(network, inputs, out, cache=None):
    """The input embedding of some rows (dense ``Inputs``) into ``out``: the
    numeric block (raw numeric columns scaled, then embedded, or the block of
    ``scale_inputs``), the missing-value indicators, then each categorical
    column's looked-up embedding."""
    layout, raw, scaled = network.layout, inputs.numeric, inputs.scaled
    c, width = layout.n_numeric, layout.numeric_width
    if layout.numeric_embedding is None:
        if scaled:
            out[:, :c] = raw[:, :c]
        else:
            scale_numeric(network.preprocessing, raw, out[:, :c])
    else:
        cache = {} if cache is None else cache
        x, cache["value"] = _scaled_numeric(network, raw, cache, scaled)
        pre = network.preprocessing
        cache["edges"] = None if pre is None else pre.edges
        block = np.empty((raw.shape[0], width), dtype=out.dtype)
        out[:, :width] = embed_numeric(layout.numeric_embedding, network.views.numeric,
                                       x, block, cache)
    if layout.n_missing:
        indicators = out[:, width : width + layout.n_missing]
        if scaled:
            indicators[...] = raw[:, raw.shape[1] - layout.n_missing :]
        else:
            missing_indicators(network.preprocessing, raw, indicators)
    if network.views.tables:
        look_up(network.params, layout.table_shapes, inputs.codes,
                out[:, width + layout.n_missing :])
    return out


def _scaled_numeric(network, raw, cache, scaled):
    """The scaled numeric columns of ``raw`` rows and their value channel (or
    None), for a numeric embedding: views of a block of ``scale_inputs``, or
    computed into buffers that ``cache`` keeps from batch to batch."""
    c, channel = network.layout.n_numeric, _value_channel(network)
    if scaled:
        return raw[:, :c], (raw[:, c : 2 * c] if channel else None)
    shape = (raw.shape[0], c)
    x = cache.get("scaled_buffer")
    if x is None or x.shape != shape:
        x = cache["scaled_buffer"] = np.empty(shape, dtype=raw.dtype)
    value = cache.get("value_buffer") if channel else None
    if channel and (value is None or value.shape != shape):
        value = cache["value_buffer"] = np.empty(shape, dtype=raw.dtype)
    scale_numeric(network.preprocessing, raw, x, value)
    return x, value


def forward(network, batch, *, upto=None, reg=None):
    """Propagate ``batch.inputs`` through layers ``0 .. upto`` (default: all).

    With ``reg.dropout > 0``, hidden activations are multiplied by an inverted
    dropout mask (kept in ``batch.masks`` for the backward pass).

    Returns
    -------
    out : ndarray of shape (m, width)
        The activation of the last layer computed.
    """
    coefs, intercepts = network.views.coefs, network.views.intercepts
    last = len(coefs) - 1
    upto = last if upto is None else upto
    act = ACTIVATIONS[network.activation].forward
    dropout = reg.dropout if reg is not None else 0.0
    a = batch.inputs
    for i in range(upto + 1):
        z = linear(a, coefs[i], intercepts[i], batch.z[i], batch.ones)
        if i == last:
            if network.views.skip is not None:
                z += product(batch.inputs, network.views.skip, batch.skip_out)
            return OUTPUT_ACTIVATIONS[network.out_activation](z, batch.a[i])
        a = act(z, batch.a[i])
        if dropout > 0:
            a = _drop(a, batch.masks[i], batch.fed[i], dropout, reg.rng)
    return a


def _drop(a, mask, out, rate, rng):
    # keep with probability 1 - rate (the rate rounded to 1/65536: random
    # 16-bit integers cost a fraction of random floats), scaled so that the
    # expected activation is unchanged
    draws = np.frombuffer(rng.bytes(2 * mask.size), dtype=np.uint16).reshape(mask.shape)
    np.greater_equal(draws, round(rate * 65536), out=mask)
    mask *= 1.0 / (1.0 - rate)
    return np.multiply(a, mask, out=out)


def backward(network, batch, grad, *, reg=None):
    """Gradient of the batch loss into ``grad`` (``Parameters`` views), from
    ``batch.delta[-1]``.

    ``batch.delta[-1]`` must hold the gradient with respect to the output
    pre-activation (see ``_losses.output_delta``), already weighted by each
    row's share ``batch.row_weight``. The penalties on the parameters are not
    added here.

    Returns
    -------
    activity_penalty : float
        The L1 penalty on hidden activations (0 without ``reg.activity_l1``),
        whose gradient has been included.
    """
    coefs = network.views.coefs
    derivative = ACTIVATIONS[network.activation].backward
    l1 = reg.activity_l1 if reg is not None else 0.0
    penalty = 0.0
    delta = batch.delta[-1]
    if grad.skip is not None:
        _accumulate_skip_grad(batch.inputs, delta, grad.skip)
    for i in range(len(coefs) - 1, -1, -1):
        fed = batch.fed[i - 1] if i > 0 else batch.inputs
        _accumulate_layer_grad(fed, delta, batch.ones, grad.coefs[i], grad.intercepts[i])
        if i == 0:
            break
        below = batch.delta[i - 1]
        _propagate(delta, coefs[i], below)
        if batch.masks:
            below *= batch.masks[i - 1]
        if l1 > 0:
            penalty += _add_activity_l1(batch.a[i - 1], batch.row_weight, l1, below)
        derivative(batch.z[i - 1], batch.a[i - 1], below)
        delta = below
    _input_layer_backward(network, batch, delta, grad)
    return penalty


def _input_layer_backward(network, batch, delta, grad):
    """The numeric embedding's gradient, and in ``batch.d_embedded`` the
    gradient with respect to the looked-up embeddings, which the trainer
    turns into table gradients (whole tables or touched rows)."""
    layout, emb = network.layout, network.layout.numeric_embedding
    if not network.views.tables and emb is None:
        return
    # the gradient with respect to the whole input embedding, in one product
    d_input = delta @ network.views.coefs[0].T
    if network.views.skip is not None:  # and through the skip connection
        d_input += batch.delta[-1] @ network.views.skip.T
    if network.views.tables:
        batch.d_embedded = d_input[:, layout.numeric_width + layout.n_missing :]
    if emb is not None:
        embed_numeric_backward(emb, network.views.numeric,
                               d_input[:, : layout.numeric_width], grad.numeric, batch.cache)


def product(a, coef, out):
    """``out = a @ coef`` for a dense or sparse ``a``."""
    if _is_sparse(a):
        out[...] = a @ coef
    elif coef.shape[1] == 1:
        np.dot(a, coef[:, 0], out=out[:, 0])
    else:
        np.matmul(a, coef, out=out)
    return out


def _accumulate_skip_grad(inputs, delta, grad_skip):
    if _is_sparse(inputs):
        _sparse_layer_grad(inputs, delta, grad_skip)
    elif delta.shape[1] == 1:
        np.dot(delta[:, 0], inputs, out=grad_skip[:, 0])
    else:
        np.matmul(inputs.T, delta, out=grad_skip)


def _accumulate_layer_grad(fed, delta, ones, grad_coef, grad_intercept):
    if _is_sparse(fed):
        _sparse_layer_grad(fed, delta, grad_coef)
    elif delta.shape[1] == 1:
        np.dot(delta[:, 0], fed, out=grad_coef[:, 0])
    else:
        np.matmul(fed.T, delta, out=grad_coef)
    # the column sums as a BLAS matrix-vector product, one pass over delta
    np.dot(ones, delta, out=grad_intercept)


def _propagate(delta, coef, out):
    """``out = delta @ coef.T``; an outer product by broadcasting for width 1."""
    if delta.shape[1] == 1:
        np.multiply(delta, coef[:, 0], out=out)
    else:
        np.matmul(delta, coef.T, out=out)


def _add_activity_l1(a, row_weight, l1, below):
    """Add the gradient of ``l1 * mean_rows(sum |a|)`` to ``below``; return it."""
    weighted = np.sign(a) * row_weight
    below += l1 * weighted
    return l1 * float(np.vdot(weighted, a))


def _sparse_layer_grad(X, delta, grad_coef):
    """``grad_coef = X.T @ delta`` for sparse rows ``X``: only the rows of the
    columns that hold values are computed; the others are zero."""
    columns = np.unique(X.indices)
    compact = sp.csr_matrix((X.data, np.searchsorted(columns, X.indices), X.indptr),
                            shape=(X.shape[0], columns.size))
    grad_coef.fill(0)
    grad_coef[columns] = compact.T @ delta
