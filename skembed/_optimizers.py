"""Stochastic optimizers on one flat parameter vector, updated in place.

The update rules are scikit-learn's (``sklearn.neural_network``'s SGD with
momentum/Nesterov and its three learning-rate schedules, and Adam), written
over a single contiguous vector: a few vectorised operations per step instead
of a Python loop over layers. ``step(params, grad, table_rows)`` consumes
``grad``: the gradient buffer is the step's scratch space and holds no
gradient afterwards, so an optimizer needs no buffer of its own beyond its
moments.

Embedding tables, which lead the vector, are updated lazily: a step updates
only the rows its batch touched (``table_rows``, see ``_tables``), and the
state of a row (Adam's moments, SGD's velocity) moves only when the row is
touched, as lazy Adam does elsewhere. Adam's bias correction follows the
steps of the whole model. Everything after the tables is updated densely, at
every step.

Optimizers never print; ``trigger_stopping`` returns what happened and the
caller reports it. This is the math layer: it never sees an estimator.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg.blas import daxpy, saxpy

from ._tables import flat_rows, table_view

_AXPY = {"f": saxpy, "d": daxpy}
# A large dense region is updated block by block: each block's arrays stay in
# cache across the update's operations instead of streaming from memory for
# each of them.
_BLOCK = 1 << 17


def _in_blocks(arrays):
    """The same-shaped flat ``arrays`` as a list of argument lists, block by
    block, each block at most ``_BLOCK`` elements; one block (the arrays
    themselves, no slicing) when they fit."""
    size = arrays[0].size
    if size <= _BLOCK:
        return [arrays]
    return [[a[start : start + _BLOCK] for a in arrays] for start in range(0, size, _BLOCK)]


def cosine_factor(step, total_steps):
    """The cosine schedule's share of the initial learning rate after ``step``
    steps: from 1 down to 0 over ``total_steps`` steps, then again from 1 (a
    warm restart), so that training continued past them, by ``partial_fit``
    or a warm-started ``fit``, still learns."""
    if total_steps <= 0:
        return 1.0
    return 0.5 * (1.0 + math.cos(math.pi * (step % total_steps) / total_steps))


def _update_rows(update, arrays, rows, *args):
    """``update`` the touched table rows of ``arrays`` (the parameters and the
    optimizer's state) in place: ``rows`` are their positions in the flat
    vector and their gradient (``flat_rows``). The update is elementwise, so
    each number moves exactly as it would table by table."""
    index, grad = rows
    parts = [array[index] for array in arrays]
    update(*parts, grad, *args)
    for array, part in zip(arrays, parts):
        array[index] = part


class _FlatState:
    """State arrays laid out like the parameters; the tables lead them."""

    table_shapes = ()

    def _started(self, params, table_shapes):
        self.table_shapes = tuple(table_shapes)
        self.n_lazy = sum(rows * dim for rows, dim in self.table_shapes)
        return [np.zeros_like(params) for _ in self._STATE]

    def state_arrays(self):
        return [getattr(self, name) for name in self._STATE]

    def table_state(self, table):
        """The 2-D views of this optimizer's state for table ``table``."""
        return [table_view(array, self.table_shapes, table) for array in self.state_arrays()]

    def get_state(self, tables=False):
        """A copy of the scalars and of the dense part of the state arrays
        (an epoch saves the tables' rows row by row as they are touched, see
        ``TableTracker``), or with ``tables`` of the whole arrays."""
        start = 0 if tables else self.n_lazy
        arrays = [array[start:].copy() for array in self.state_arrays()]
        return [getattr(self, name) for name in self._SCALARS], start, arrays

    def set_state(self, state):
        scalars, start, arrays = state
        for name, value in zip(self._SCALARS, scalars):
            setattr(self, name, value)
        for array, values in zip(self.state_arrays(), arrays):
            array[start:] = values


@dataclass
class Adam(_FlatState):
    """Adam (Kingma & Ba, 2014) with scikit-learn's bias correction.

    The moments are kept without their ``(1 - beta)`` factors
    (``m = beta_1 m + g``, ``v = beta_2 v + g^2``) and the factors folded into
    the step size and epsilon: the same update as scikit-learn's in a handful
    of vectorised operations. ``start(params, table_shapes)`` sizes the
    moments. With ``cosine_steps``, the step size follows a cosine from its
    initial value down to 0 over that many steps.
    """

    _STATE = ("ms", "vs")
    _SCALARS = ("t", "learning_rate")

    learning_rate_init: float = 0.001
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    cosine_steps: int = 0  # a cosine decay of the step size over these steps, or none
    learning_rate: float = field(init=False, default=None)
    t: int = field(init=False, default=0)
    ms: np.ndarray = field(init=False, default=None, repr=False)
    vs: np.ndarray = field(init=False, default=None, repr=False)

    def start(self, params, table_shapes=()):
        """Zero moments shaped like ``params``; returns the optimizer."""
        self.beta_1, self.beta_2, self.epsilon = (
            float(self.beta_1), float(self.beta_2), float(self.epsilon))
        self.learning_rate = self.learning_rate_init
        self.ms, self.vs = self._started(params, table_shapes)
        return self

    def step(self, params, grad, table_rows=()):
        """Move ``params`` one step against the gradient, in place: ``grad``
        for everything after the tables (consumed), ``table_rows`` for the
        rows of the tables the batch touched."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # scikit-learn's step: lr_t * m_hat / (sqrt(v_hat) + eps), with
        # m_hat = (1 - b1) ms, v_hat = (1 - b2) vs and
        # lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)
        # Python floats, not numpy float64 scalars: a float64 scalar would
        # push every float32 operation through a casting loop.
        self.learning_rate = float(
            self.learning_rate_init * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
            * cosine_factor(self.t - 1, self.cosine_steps)
        )
        root = math.sqrt(1 - b2)
        factors = (self.learning_rate * (1 - b1) / root, self.epsilon / root)
        dense = [a[self.n_lazy :] for a in (params, self.ms, self.vs, grad)]
        for parts in _in_blocks(dense):
            self._update(*parts, factors)
        if table_rows:
            _update_rows(self._update, (params, self.ms, self.vs),
                         flat_rows(table_rows, self.table_shapes), factors)

    def _update(self, params, ms, vs, grad, factors):
        step_size, epsilon = factors
        ms *= self.beta_1
        ms += grad
        np.multiply(grad, grad, out=grad)
        vs *= self.beta_2
        vs += grad
        np.sqrt(vs, out=grad)
        grad += epsilon
        np.divide(ms, grad, out=grad)
        grad *= step_size
        params -= grad

    def iteration_ends(self, time_step):
        """Adam keeps its learning rate over epochs."""

    def trigger_stopping(self):
        """Whether to stop when progress stalls, and why: Adam always stops."""
        return True, "Stopping."


@dataclass
class SGD(_FlatState):
    """Stochastic gradient descent with momentum and scikit-learn's schedules.

    ``lr_schedule`` is ``"constant"``, ``"invscaling"`` (``learning_rate_init /
    (t + 1) ** power_t`` after each epoch, ``t`` the samples seen),
    ``"adaptive"`` (divided by 5 each time progress stalls, stopping below
    ``1e-6``) or ``"cosine"`` (a cosine from ``learning_rate_init`` down to 0
    over ``cosine_steps`` steps). ``start(params, table_shapes)`` sizes the
    velocity.
    """

    _STATE = ("velocity",)
    _SCALARS = ("learning_rate", "t")

    learning_rate_init: float = 0.1
    lr_schedule: str = "constant"
    momentum: float = 0.9
    nesterov: bool = True
    power_t: float = 0.5
    cosine_steps: int = 0
    learning_rate: float = field(init=False, default=None)
    t: int = field(init=False, default=0)
    velocity: np.ndarray = field(init=False, default=None, repr=False)

    def start(self, params, table_shapes=()):
        """A zero velocity shaped like ``params``; returns the optimizer."""
        self.momentum = float(self.momentum)
        self.learning_rate = float(self.learning_rate_init)
        (self.velocity,) = self._started(params, table_shapes)
        return self

    def step(self, params, grad, table_rows=()):
        """Move ``params`` one step against the gradient, in place: ``grad``
        for everything after the tables (consumed), ``table_rows`` for the
        rows of the tables the batch touched."""
        if self.lr_schedule == "cosine":
            self.learning_rate = float(self.learning_rate_init) * cosine_factor(
                self.t, self.cosine_steps)
        self.t += 1
        dense = [a[self.n_lazy :] for a in (params, self.velocity, grad)]
        for parts in _in_blocks(dense):
            self._update(*parts)
        if table_rows:
            _update_rows(self._update, (params, self.velocity),
                         flat_rows(table_rows, self.table_shapes))

    def _update(self, params, velocity, grad):
        grad *= -float(self.learning_rate)
        velocity *= self.momentum
        velocity += grad  # velocity = momentum * velocity - learning_rate * grad
        if self.nesterov:
            # update = momentum * velocity - learning_rate * grad, by BLAS's
            # y += a x: no temporary the size of the parameters
            update = _AXPY[grad.dtype.char](velocity, grad, a=self.momentum)
            params += update
        else:
            params += velocity

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = float(self.learning_rate_init) / (time_step + 1) ** self.power_t

    def trigger_stopping(self):
        """Whether to stop when progress stalls, and why."""
        if self.lr_schedule != "adaptive":
            return True, "Stopping."
        if self.learning_rate <= 1e-6:
            return True, "Learning rate too small. Stopping."
        self.learning_rate /= 5.0
        return False, "Setting learning rate to %f" % self.learning_rate
