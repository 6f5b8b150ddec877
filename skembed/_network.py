"""The network: one flat parameter vector, its layout, forward and backward.

All learnable numbers live in one contiguous vector laid out as::

    [embedding tables..., W_1, ..., W_L, b_1, ..., b_L]

so that the optimizers update everything with a handful of vectorised
operations, the L2 penalty applies to one leading slice (tables and weights,
not biases), and L-BFGS sees the vector as it is. ``Layout.split`` gives
views of any vector with this layout (the parameters, or their gradient).

A ``Workspace`` holds every buffer one batch needs, allocated once per fit or
predict call; ``forward`` and ``backward`` write into it and allocate nothing
of the batch's size beyond a few temporaries of the activation functions.

Layer ``i`` (0-based) maps the activation of layer ``i - 1`` (the input
embedding for ``i = 0``) to ``z_i = a_{i-1} W_i + b_i`` and ``a_i = f(z_i)``.
"""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.linalg.blas import dgemm, dger, sgemm, sger

from ._activations import ACTIVATIONS, OUTPUT_ACTIVATIONS


@dataclass(frozen=True)
class Layout:
    """Widths of the layers and shapes of the embedding tables.

    Parameters
    ----------
    layer_sizes : tuple of int
        ``(input embedding width, *hidden widths, n_outputs)``.
    table_shapes : tuple of (int, int)
        ``(rows, embedding dimension)`` of each categorical column's table.
    n_numeric : int
        Width of the numeric block that precedes the looked-up embeddings in
        the input embedding.
    """

    layer_sizes: tuple
    table_shapes: tuple = ()
    n_numeric: int = field(default=None)

    def __post_init__(self):
        if self.n_numeric is None:
            object.__setattr__(self, "n_numeric", self.layer_sizes[0])

    @property
    def n_layers(self):
        return len(self.layer_sizes) - 1

    @cached_property
    def n_table_params(self):
        return sum(r * d for r, d in self.table_shapes)

    @cached_property
    def n_penalized(self):
        """Length of the leading slice under the L2 penalty."""
        sizes = self.layer_sizes
        return self.n_table_params + sum(
            sizes[i] * sizes[i + 1] for i in range(self.n_layers)
        )

    @cached_property
    def n_params(self):
        return self.n_penalized + sum(self.layer_sizes[1:])

    def split(self, vector):
        """Views ``(tables, coefs, intercepts)`` of a vector with this layout."""
        tables, coefs, intercepts = [], [], []
        start = 0
        for rows, dim in self.table_shapes:
            tables.append(vector[start : start + rows * dim].reshape(rows, dim))
            start += rows * dim
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            coefs.append(vector[start : start + fan_in * fan_out].reshape(fan_in, fan_out))
            start += fan_in * fan_out
        for fan_out in self.layer_sizes[1:]:
            intercepts.append(vector[start : start + fan_out])
            start += fan_out
        return tables, coefs, intercepts


def init_params(layout, activation, dtype, rng):
    """Glorot-uniform weights and biases, as scikit-learn's MLP draws them.

    Embedding tables are drawn from a normal distribution with standard
    deviation ``1 / sqrt(dim)``, so that each looked-up vector starts with a
    norm near one, like a standardised numeric column.
    """
    params = np.empty(layout.n_params, dtype=dtype)
    tables, coefs, intercepts = layout.split(params)
    for table in tables:
        table[...] = rng.normal(0.0, 1.0 / np.sqrt(table.shape[1]), size=table.shape)
    factor = 2.0 if activation == "logistic" else 6.0
    for coef, intercept in zip(coefs, intercepts):
        fan_in, fan_out = coef.shape
        bound = np.sqrt(factor / (fan_in + fan_out))
        coef[...] = rng.uniform(-bound, bound, size=coef.shape)
        intercept[...] = rng.uniform(-bound, bound, size=intercept.shape)
    return params


class Batch:
    """Views of a workspace's buffers for one batch of ``m`` rows.

    ``inputs`` is the input embedding (``numeric`` its numeric block); ``z[i]``
    and ``a[i]`` the pre-activation and activation of layer ``i``; ``fed[i]``
    what layer ``i`` passes on (``a[i]``, or its dropped-out copy while
    training with dropout); ``delta[i]`` the gradient with respect to
    ``z[i]``; ``y`` and ``row_weight`` the batch's targets and weights.
    """

    def __init__(self, ws, m):
        def rows(buffers):
            return [b[:m] for b in buffers]

        self.m = m
        self.inputs = ws.inputs[:m]
        self.numeric = ws.numeric[:m]
        self.z, self.a, self.fed = rows(ws.z), rows(ws.a), rows(ws.fed)
        self.masks = rows(ws.masks)
        self.delta = rows(ws.delta)
        self.ones = None
        if ws.delta:
            self.y, self.row_weight, self.ones = ws.y[:m], ws.row_weight[:m], ws.ones[:m]


class Workspace:
    """The buffers of batches of at most ``capacity`` rows, allocated once.

    ``rows(m)`` gives the views for a batch of ``m`` rows (see ``Batch``);
    ``grad`` is the flat gradient, ``grad_views`` its per-layer views.
    """

    def __init__(self, layout, activation, capacity, dtype, *, training=False, dropout=0.0,
                 keep_pre_activation=True):
        sizes = layout.layer_sizes
        n_layers = layout.n_layers

        def buffer(width):
            return np.empty((capacity, width), dtype=dtype)

        self.capacity = capacity
        self.n_numeric = layout.n_numeric
        self.inputs = buffer(sizes[0])
        self.numeric = buffer(layout.n_numeric) if layout.table_shapes else self.inputs
        self.z = [buffer(width) for width in sizes[1:]]
        # Inference that needs no pre-activation applies the activation in
        # place: one buffer per layer instead of two, kinder to the cache.
        hidden_in_place = ACTIVATIONS[activation].in_place or not (
            training or keep_pre_activation)
        self.a = [
            z if (i < n_layers - 1 and hidden_in_place) else buffer(z.shape[1])
            for i, z in enumerate(self.z)
        ]
        self.fed = list(self.a)
        self.masks = []
        self.delta = []
        if training:
            self.delta = [buffer(width) for width in sizes[1:]]
            self.grad = np.empty(layout.n_params, dtype=dtype)
            self.grad_views = layout.split(self.grad)
            self.y = buffer(sizes[-1])
            self.row_weight = buffer(1)
            self.ones = np.ones(capacity, dtype=dtype)
            if dropout > 0:
                self.masks = [buffer(width) for width in sizes[1:-1]]
                self.fed = [buffer(width) for width in sizes[1:-1]] + [self.a[-1]]
        self._batches = {}

    def rows(self, m):
        """The views for a batch of ``m`` rows (kept: batches repeat sizes)."""
        batch = self._batches.get(m)
        if batch is None:
            batch = self._batches[m] = Batch(self, m)
        return batch


def _linear(a, coef, intercept, out, ones=None):
    """``out = a @ coef + intercept``; a width-1 layer as a matrix-vector product.

    With ``ones`` (a vector of ``m`` ones) the bias is added as the BLAS rank-1
    update ``out += ones intercept^T``, faster than numpy's broadcast addition
    on wide layers; ``out`` is C-contiguous, so ``out.T`` is updated in place.
    An ``intercept`` of shape ``(m, width)`` is a bias already broadcast for
    inference (see ``_linear_onto_bias``).
    """
    if intercept.ndim == 2 and coef.shape[1] > 1:
        return _linear_onto_bias(a, coef, intercept, out)
    if coef.shape[1] == 1:
        np.dot(a, coef[:, 0], out=out[:, 0])
    else:
        np.matmul(a, coef, out=out)
    if ones is not None and out.shape[1] >= _GER_MIN_WIDTH:
        _GER[out.dtype.char](1.0, intercept, ones, a=out.T, overwrite_a=True)
    else:
        out += intercept
    return out


def _linear_onto_bias(a, coef, bias_block, out):
    """Inference with the bias already broadcast to ``bias_block``: copy it
    into ``out`` and let BLAS accumulate ``a @ coef`` onto it (gemm with
    beta=1), which saves a pass over ``out`` against matmul-then-add."""
    np.copyto(out, bias_block)
    # out is C-contiguous, so out.T is the Fortran-ordered matrix gemm updates
    result = _GEMM[out.dtype.char](1.0, coef.T, a.T, beta=1.0, c=out.T, overwrite_c=True)
    if not np.may_share_memory(result, out):  # BLAS had to work on a copy
        out[...] = result.T
    return out


_GEMM = {"f": sgemm, "d": dgemm}
_GER = {"f": sger, "d": dger}
_GER_MIN_WIDTH = 32


def embed_inputs(tables, n_numeric, batch, codes):
    """Complete ``batch.inputs`` with the looked-up categorical embeddings.

    The numeric block must already be in ``batch.numeric``.
    """
    inputs = batch.inputs
    inputs[:, :n_numeric] = batch.numeric
    start = n_numeric
    for j, table in enumerate(tables):
        dim = table.shape[1]
        inputs[:, start : start + dim] = table[codes[:, j]]
        start += dim
    return inputs


@dataclass
class Regularization:
    """What training adds to the forward/backward pass, and its random source."""

    dropout: float = 0.0
    activity_l1: float = 0.0
    rng: object = None


def forward(views, activation, out_activation, batch, *, inputs=None, upto=None, reg=None):
    """Propagate ``batch.inputs`` through layers ``0 .. upto`` (default: all).

    ``inputs`` may replace ``batch.inputs`` (a contiguous block of the data
    itself, which then needs no copy).

    With ``reg.dropout > 0``, hidden activations are multiplied by an inverted
    dropout mask (kept in ``batch.masks`` for the backward pass).

    Returns
    -------
    out : ndarray of shape (m, width)
        The activation of the last layer computed.
    """
    _, coefs, intercepts = views
    last = len(coefs) - 1
    upto = last if upto is None else upto
    act = ACTIVATIONS[activation].forward
    dropout = reg.dropout if reg is not None else 0.0
    a = batch.inputs if inputs is None else inputs
    for i in range(upto + 1):
        z = _linear(a, coefs[i], intercepts[i], batch.z[i], batch.ones)
        if i == last:
            return OUTPUT_ACTIVATIONS[out_activation](z, batch.a[i])
        a = act(z, batch.a[i])
        if dropout > 0:
            a = _drop(a, batch.masks[i], batch.fed[i], dropout, reg.rng)
    return a


def _drop(a, mask, out, rate, rng):
    rng.random(out=mask, dtype=mask.dtype)
    # keep with probability 1 - rate, scaled so the expected activation is unchanged
    np.greater_equal(mask, rate, out=mask)
    mask *= 1.0 / (1.0 - rate)
    return np.multiply(a, mask, out=out)


def backward(views, activation, batch, grad_views, row_weight, *, codes=None, reg=None,
             n_numeric=0):
    """Gradient of the batch loss into ``grad_views``, from ``batch.delta[-1]``.

    ``batch.delta[-1]`` must hold the gradient with respect to the output
    pre-activation (see ``_losses.loss_and_output_delta``), already weighted
    by each row's share, ``row_weight`` (a scalar ``1 / m`` or an array of
    shape ``(m, 1)``). The penalties on the parameters are not added here.

    Returns
    -------
    activity_penalty : float
        The L1 penalty on hidden activations (0 without ``reg.activity_l1``),
        whose gradient has been included.
    """
    tables, coefs, _ = views
    grad_tables, grad_coefs, grad_intercepts = grad_views
    derivative = ACTIVATIONS[activation].backward
    l1 = reg.activity_l1 if reg is not None else 0.0
    penalty = 0.0
    delta = batch.delta[-1]
    for i in range(len(coefs) - 1, -1, -1):
        fed = batch.fed[i - 1] if i > 0 else batch.inputs
        _accumulate_layer_grad(fed, delta, batch.ones, grad_coefs[i], grad_intercepts[i])
        if i == 0:
            break
        below = batch.delta[i - 1]
        _propagate(delta, coefs[i], below)
        if batch.masks:
            below *= batch.masks[i - 1]
        if l1 > 0:
            penalty += _add_activity_l1(batch.a[i - 1], row_weight, l1, below)
        derivative(batch.z[i - 1], batch.a[i - 1], below)
        delta = below
    if tables:
        _table_grads(delta, coefs[0], grad_tables, codes, n_numeric)
    return penalty


def _accumulate_layer_grad(fed, delta, ones, grad_coef, grad_intercept):
    if delta.shape[1] == 1:
        np.dot(delta[:, 0], fed, out=grad_coef[:, 0])
    else:
        np.matmul(fed.T, delta, out=grad_coef)
    # the column sums as a BLAS product: several times faster than np.sum(axis=0)
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


def _table_grads(delta, coef0, grad_tables, codes, n_numeric):
    """Scatter-add the input gradient of each looked-up row into its table."""
    start = n_numeric
    for j, grad_table in enumerate(grad_tables):
        dim = grad_table.shape[1]
        d_input = delta @ coef0[start : start + dim].T
        grad_table.fill(0)
        np.add.at(grad_table, codes[:, j], d_input)
        start += dim
