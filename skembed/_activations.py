"""Activation functions, each forward written beside its derivative.

Every hidden activation is a pair of in-place functions:

``forward(z, out)``
    writes ``f(z)`` into ``out`` and returns it; ``out`` may be ``z`` itself.
``backward(z, a, delta)``
    multiplies ``delta`` (the gradient with respect to the activation) in place
    by ``f'(z)``, so that it becomes the gradient with respect to ``z``.
    ``a`` is ``f(z)`` as computed by ``forward``; most derivatives are cheapest
    written from it. An activation whose derivative reads only ``a``
    (``needs_z`` false) may be applied in place during training too: the
    network then keeps one buffer per layer instead of two, and ``z`` is
    ``a`` when ``backward`` is called.

The functions never allocate more than a temporary the size of one batch and
never read an estimator: they are the math layer.
"""

import math
from collections import namedtuple

import numpy as np
from scipy.special import expit

Activation = namedtuple("Activation", ["forward", "backward", "needs_z"])
Activation.__doc__ = """A hidden activation: forward, its derivative, and whether
the derivative reads the pre-activation ``z`` (``needs_z``); when it does not,
training applies the activation in place."""

LEAKY_RELU_SLOPE = 0.01
_GELU_C = np.sqrt(2.0 / np.pi)
_GELU_K = 0.044715


def _identity(z, out):
    if out is not z:
        np.copyto(out, z)
    return out


def _identity_backward(z, a, delta):
    return delta


_BUFFERS = {}  # (dtype, value) -> the flat read-only buffer, grown by doubling
_BLOCKS = {}  # (shape, dtype, value) -> a view of it: the per-batch fast path


def constant_block(shape, dtype, value):
    """A read-only array of ``value`` with ``shape``.

    Same-shape operands keep numpy's ufuncs on their contiguous inner loops;
    a scalar or broadcast operand sends ``np.maximum`` down a strided path.
    Blocks are views of one buffer per dtype and value, grown by doubling, so
    that memory stays within twice the largest block however many batch
    sizes are seen; a batch of a known shape costs one dict lookup.
    """
    key = (shape, dtype, value)
    block = _BLOCKS.get(key)
    if block is None:
        size = math.prod(shape)
        buffer = _BUFFERS.get((dtype, value))
        if buffer is None or buffer.size < size:
            grown = size if buffer is None else max(size, 2 * buffer.size)
            buffer = np.full(grown, value, dtype=dtype)
            buffer.flags.writeable = False
            _BUFFERS[dtype, value] = buffer
        if len(_BLOCKS) > 256:  # many distinct shapes: start over, views are cheap
            _BLOCKS.clear()
        block = _BLOCKS[key] = buffer[:size].reshape(shape)
    return block


def _relu(z, out):
    return np.maximum(z, constant_block(z.shape, z.dtype.str, 0), out=out)


def _relu_backward(z, a, delta):
    # Multiplying by the boolean mask is one vectorised pass; the
    # boolean-indexed assignment ``delta[a == 0] = 0`` gathers indices first.
    return np.multiply(delta, a > 0, out=delta)


def _leaky_relu(z, out):
    # max(z, slope * z) is z for z > 0 and slope * z otherwise (0 < slope < 1);
    # the product goes to a temporary so that ``out`` may be ``z`` itself.
    return np.maximum(z, z * LEAKY_RELU_SLOPE, out=out)


def _leaky_relu_backward(z, a, delta):
    # a > 0 exactly where z > 0: the derivative reads the output only
    slope = np.where(a > 0, 1.0, LEAKY_RELU_SLOPE).astype(delta.dtype, copy=False)
    return np.multiply(delta, slope, out=delta)


def _tanh(z, out):
    return np.tanh(z, out=out)


def _tanh_backward(z, a, delta):
    # d tanh(z) / dz = 1 - tanh(z)^2
    return np.multiply(delta, 1 - a * a, out=delta)


def _logistic(z, out):
    return expit(z, out=out)


def _logistic_backward(z, a, delta):
    # d sigma(z) / dz = sigma(z) * (1 - sigma(z))
    return np.multiply(delta, a * (1 - a), out=delta)


def _gelu_inner(z):
    return np.tanh(_GELU_C * (z + _GELU_K * z * z * z))


def _gelu(z, out):
    # tanh approximation: 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))
    t = _gelu_inner(z)
    t += 1
    t *= 0.5
    return np.multiply(z, t, out=out)


def _gelu_backward(z, a, delta):
    t = _gelu_inner(z)
    dinner = _GELU_C * (1 + 3 * _GELU_K * z * z)
    grad = 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * dinner
    return np.multiply(delta, grad, out=delta)


ACTIVATIONS = {
    "identity": Activation(_identity, _identity_backward, False),
    "relu": Activation(_relu, _relu_backward, False),
    "leaky_relu": Activation(_leaky_relu, _leaky_relu_backward, False),
    "tanh": Activation(_tanh, _tanh_backward, False),
    "logistic": Activation(_logistic, _logistic_backward, False),
    "gelu": Activation(_gelu, _gelu_backward, True),
}


# Output activations: the forward only. Each is the canonical link of its loss,
# so the gradient with respect to the output pre-activation is simply
# ``prediction - target`` (see ``_losses``).
def _softmax(z, out):
    # Shift by the batch's largest logit (one fast reduction) so exp cannot
    # overflow. A row far below that maximum may underflow to all zeros: only
    # then take each row's own maximum, which numpy reduces slowly along a
    # short last axis (hence the transposed copy).
    ones = constant_block((z.shape[1],), z.dtype.str, 1)
    np.subtract(z, float(z.max()), out=out)
    np.exp(out, out=out)
    total = out @ ones
    if not total.all():
        row_max = np.maximum.reduce(np.ascontiguousarray(z.T), axis=0)
        np.subtract(z, row_max[:, None], out=out)
        np.exp(out, out=out)
        total = out @ ones
    out /= total[:, None]
    return out


def _exp(z, out):
    return np.exp(z, out=out)


OUTPUT_ACTIVATIONS = {
    "identity": _identity,
    "logistic": _logistic,
    "softmax": _softmax,
    "exp": _exp,
}
