"""Stochastic optimizers on one flat parameter vector, updated in place.

The update rules are scikit-learn's (``sklearn.neural_network``'s SGD with
momentum/Nesterov and its three learning-rate schedules, and Adam), written
over a single contiguous vector: a few vectorised operations per step instead
of a Python loop over layers. ``step(params, grad)`` consumes ``grad``: the
gradient buffer is the step's scratch space and holds no gradient afterwards,
so an optimizer needs no buffer of its own beyond its moments.

Optimizers never print; ``trigger_stopping`` returns what happened and the
caller reports it. This is the math layer: it never sees an estimator.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg.blas import daxpy, saxpy


@dataclass
class Adam:
    """Adam (Kingma & Ba, 2014) with scikit-learn's bias correction.

    The moments are kept without their ``(1 - beta)`` factors
    (``m = beta_1 m + g``, ``v = beta_2 v + g^2``) and the factors folded into
    the step size and epsilon: the same update as scikit-learn's in a handful
    of vectorised operations. ``start(params)`` sizes the moments.
    """

    learning_rate_init: float = 0.001
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    learning_rate: float = field(init=False, default=None)
    t: int = field(init=False, default=0)
    ms: np.ndarray = field(init=False, default=None, repr=False)
    vs: np.ndarray = field(init=False, default=None, repr=False)

    def start(self, params):
        """Zero moments shaped like ``params``; returns the optimizer."""
        self.beta_1, self.beta_2, self.epsilon = (
            float(self.beta_1), float(self.beta_2), float(self.epsilon))
        self.learning_rate = self.learning_rate_init
        self.ms = np.zeros_like(params)
        self.vs = np.zeros_like(params)
        return self

    def step(self, params, grad):
        """Move ``params`` one step against ``grad``, in place; ``grad`` is consumed."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        self.ms *= b1
        self.ms += grad
        np.multiply(grad, grad, out=grad)
        self.vs *= b2
        self.vs += grad
        # scikit-learn's step: lr_t * m_hat / (sqrt(v_hat) + eps), with
        # m_hat = (1 - b1) ms, v_hat = (1 - b2) vs and
        # lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)
        # Python floats, not numpy float64 scalars: a float64 scalar would
        # push every float32 operation through a casting loop.
        self.learning_rate = float(
            self.learning_rate_init * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )
        root = math.sqrt(1 - b2)
        np.sqrt(self.vs, out=grad)
        grad += self.epsilon / root
        np.divide(self.ms, grad, out=grad)
        grad *= self.learning_rate * (1 - b1) / root
        params -= grad

    def iteration_ends(self, time_step):
        """Adam keeps its learning rate over epochs."""

    def trigger_stopping(self):
        """Whether to stop when progress stalls, and why: Adam always stops."""
        return True, "Stopping."

    def get_state(self):
        return (self.t, self.learning_rate, self.ms.copy(), self.vs.copy())

    def set_state(self, state):
        self.t, self.learning_rate, ms, vs = state
        self.ms[...] = ms
        self.vs[...] = vs


_AXPY = {"f": saxpy, "d": daxpy}


@dataclass
class SGD:
    """Stochastic gradient descent with momentum and scikit-learn's schedules.

    ``lr_schedule`` is ``"constant"``, ``"invscaling"`` (``learning_rate_init /
    (t + 1) ** power_t`` after each epoch, ``t`` the samples seen) or
    ``"adaptive"`` (divided by 5 each time progress stalls, stopping below
    ``1e-6``). ``start(params)`` sizes the velocity.
    """

    learning_rate_init: float = 0.1
    lr_schedule: str = "constant"
    momentum: float = 0.9
    nesterov: bool = True
    power_t: float = 0.5
    learning_rate: float = field(init=False, default=None)
    velocity: np.ndarray = field(init=False, default=None, repr=False)

    def start(self, params):
        """A zero velocity shaped like ``params``; returns the optimizer."""
        self.momentum = float(self.momentum)
        self.learning_rate = float(self.learning_rate_init)
        self.velocity = np.zeros_like(params)
        return self

    def step(self, params, grad):
        """Move ``params`` one step against ``grad``, in place; ``grad`` is consumed."""
        grad *= -float(self.learning_rate)
        self.velocity *= self.momentum
        self.velocity += grad  # velocity = momentum * velocity - learning_rate * grad
        if self.nesterov:
            # update = momentum * velocity - learning_rate * grad, by BLAS's
            # y += a x: no temporary the size of the parameters
            update = _AXPY[grad.dtype.char](self.velocity, grad, a=self.momentum)
            params += update
        else:
            params += self.velocity

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

    def get_state(self):
        return (self.learning_rate, self.velocity.copy())

    def set_state(self, state):
        self.learning_rate, velocity = state
        self.velocity[...] = velocity
