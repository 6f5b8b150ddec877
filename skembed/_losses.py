"""Losses: the value per sample, and the gradient at the output layer.

Each loss is paired with its canonical output activation (identity for squared
error, exp for Poisson, logistic for binary log-loss, softmax for multiclass
log-loss), so that the gradient with respect to the output pre-activation is
``(prediction - target) * weight``: one subtraction, written once in
``output_delta``. Each loss function below receives that difference ``diff``
already computed, together with the output pre-activation ``z`` and
activation ``a``, and returns the loss of every sample (summed over outputs).

Values follow scikit-learn's MLP: half squared error averaged over outputs,
half Poisson deviance and log-loss summed over outputs. Log-losses are computed
from the pre-activation (``logaddexp``/``logsumexp``), which stays finite where
``log(probability)`` would not.
"""

import numpy as np
from scipy.special import logsumexp, xlogy


def _squared_error(z, a, y, diff):
    return 0.5 * np.einsum("ij,ij->i", diff, diff) / diff.shape[1]


def _poisson(z, a, y, diff):
    # Half Poisson deviance with a log link: a = exp(z).
    return (xlogy(y, y) - y * z + diff).sum(axis=1)


def _binary_log_loss(z, a, y, diff):
    return (np.logaddexp(0, z) - y * z).sum(axis=1)


def _multiclass_log_loss(z, a, y, diff):
    return logsumexp(z, axis=1) - np.einsum("ij,ij->i", y, z)


LOSSES = {
    "squared_error": _squared_error,
    "poisson": _poisson,
    "binary_log_loss": _binary_log_loss,
    "log_loss": _multiclass_log_loss,
}

# The loss and output activation that belong together.
OUTPUT_ACTIVATION_OF = {
    "squared_error": "identity",
    "poisson": "exp",
    "binary_log_loss": "logistic",
    "log_loss": "softmax",
}


def loss_and_output_delta(loss, z, a, y, row_weight, delta):
    """Mean loss over the batch and, in ``delta``, its gradient at the output.

    Parameters
    ----------
    loss : str
        A key of ``LOSSES``.
    z, a : ndarray of shape (m, n_outputs)
        Output pre-activation and activation.
    y : ndarray of shape (m, n_outputs)
        Targets, in the compute dtype.
    row_weight : float or ndarray of shape (m, 1)
        Weight of each row in the mean: ``1 / m``, or sample weights divided by
        their sum.
    delta : ndarray of shape (m, n_outputs)
        Written with the gradient of the returned loss with respect to ``z``.

    Returns
    -------
    loss : float
    """
    np.subtract(a, y, out=delta)
    per_sample = LOSSES[loss](z, a, y, delta)
    if np.ndim(row_weight) == 0:
        value = float(per_sample.sum()) * row_weight
    else:
        value = float(np.dot(row_weight[:, 0], per_sample))
    delta *= row_weight
    if loss == "squared_error" and delta.shape[1] > 1:
        delta /= delta.shape[1]
    return value
