"""Stochastic optimizers on one flat parameter vector, updated in place.

The update rules are scikit-learn's (``sklearn.neural_network``'s SGD with
momentum/Nesterov and its three learning-rate schedules, and Adam), written
over a single contiguous vector with preallocated scratch space: a few
vectorised operations per step instead of a Python loop over layers.
Optimizers never print; ``trigger_stopping`` returns what happened and the
estimator reports it.
"""

import math

import numpy as np


class _ScratchFree:
    """Pickles without the scratch buffer: it is rebuilt, not stored."""

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_scratch"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._scratch = np.empty_like(state[self._SIZED_LIKE])


class Adam(_ScratchFree):
    """Adam (Kingma & Ba, 2014) with scikit-learn's bias correction.

    The moments are kept without their ``(1 - beta)`` factors
    (``m = beta_1 m + g``, ``v = beta_2 v + g^2``) and the factors folded into
    the step size and epsilon: the same update as scikit-learn's in ten
    vectorised operations.
    """

    _SIZED_LIKE = "ms"

    def __init__(self, n_params, dtype, learning_rate_init=0.001, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = learning_rate_init
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        self.ms = np.zeros(n_params, dtype=dtype)
        self.vs = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def step(self, params, grad):
        """Move ``params`` one step against ``grad``, in place."""
        self.t += 1
        b1, b2, tmp = self.beta_1, self.beta_2, self._scratch
        self.ms *= b1
        self.ms += grad
        np.multiply(grad, grad, out=tmp)
        self.vs *= b2
        self.vs += tmp
        # scikit-learn's step: lr_t * m_hat / (sqrt(v_hat) + eps), with
        # m_hat = (1 - b1) ms, v_hat = (1 - b2) vs and
        # lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)
        # Python floats, not numpy float64 scalars: a float64 scalar would
        # push every float32 operation through a slower casting loop.
        self.learning_rate = float(
            self.learning_rate_init * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )
        root = math.sqrt(1 - b2)
        np.sqrt(self.vs, out=tmp)
        tmp += self.epsilon / root
        np.divide(self.ms, tmp, out=tmp)
        tmp *= self.learning_rate * (1 - b1) / root
        params -= tmp

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


class SGD(_ScratchFree):
    """Stochastic gradient descent with momentum and scikit-learn's schedules.

    ``lr_schedule`` is ``"constant"``, ``"invscaling"`` (``learning_rate_init /
    (t + 1) ** power_t`` after each epoch, ``t`` the samples seen) or
    ``"adaptive"`` (divided by 5 each time progress stalls, stopping below
    ``1e-6``).
    """

    _SIZED_LIKE = "velocity"

    def __init__(self, n_params, dtype, learning_rate_init=0.1, lr_schedule="constant",
                 momentum=0.9, nesterov=True, power_t=0.5):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)
        self.lr_schedule = lr_schedule
        self.momentum = float(momentum)
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocity = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def step(self, params, grad):
        """Move ``params`` one step against ``grad``, in place."""
        tmp = self._scratch
        np.multiply(grad, float(self.learning_rate), out=tmp)
        self.velocity *= self.momentum
        self.velocity -= tmp
        if self.nesterov:
            # update = momentum * velocity - learning_rate * grad
            np.multiply(self.velocity, self.momentum, out=grad)
            grad -= tmp
            params += grad
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
