"""Losses: the value per sample, and the gradient at the output layer.

Each loss is paired with its canonical output activation (identity for squared
error, exp for Poisson, logistic for binary log-loss, softmax for multiclass
log-loss), so that the gradient with respect to the output pre-activation is
``(prediction - target) * weight``: one subtraction, written once in
``loss_and_output_delta``. Each loss function below receives that difference
``diff`` already computed, with the output pre-activation ``z``, activation
``a`` and the rows' weights, and returns the weighted mean loss.

Values follow scikit-learn's MLP: half squared error averaged over outputs,
half Poisson deviance and log-loss summed over outputs. The binary log-loss is
computed from the pre-activation (``logaddexp``), which stays finite where
``log(probability)`` would not; the multiclass one from the softmax
probability of the true class, floored as scikit-learn clips it.
"""

import numpy as np
from scipy.special import xlogy

from ._activations import constant_block


def _squared_error(z, a, y, diff, row_weight):
    if isinstance(row_weight, float):
        return 0.5 * float(np.vdot(diff, diff)) * row_weight / diff.shape[1]
    return _weighted(0.5 * np.einsum("ij,ij->i", diff, diff) / diff.shape[1], row_weight)


def _poisson(z, a, y, diff, row_weight):
    # Half Poisson deviance with a log link: a = exp(z).
    return _weighted((xlogy(y, y) - y * z + diff).sum(axis=1), row_weight)


def _binary_log_loss(z, a, y, diff, row_weight):
    return _weighted((np.logaddexp(0, z) - y * z).sum(axis=1), row_weight)


def _multiclass_log_loss(z, a, y, diff, row_weight):
    # y is one-hot: the loss is -log of the probability of the true class,
    # floored at the dtype's smallest normal number as scikit-learn clips.
    # row sums as a matrix-vector product: BLAS reduces a narrow block faster
    # than einsum does
    p_true = (y * a) @ constant_block((a.shape[1],), a.dtype.str, 1)
    np.maximum(p_true, _TINY[a.dtype.char], out=p_true)
    return _weighted(-np.log(p_true), row_weight)


_TINY = {"f": float(np.finfo(np.float32).tiny), "d": float(np.finfo(np.float64).tiny)}


def _weighted(per_sample, row_weight):
    if isinstance(row_weight, float):
        return float(per_sample.sum()) * row_weight
    return float(np.dot(row_weight[:, 0], per_sample))


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


def output_delta(loss, batch):
    """Mean loss over the batch and, in ``batch.delta[-1]``, its gradient at the output.

    Reads the batch's output pre-activation ``z[-1]``, activation ``a[-1]``,
    targets ``y`` (in the compute dtype) and ``row_weight``: the weight of each
    row in the mean (``1 / m`` as a float, or sample weights divided by their
    sum, of shape ``(m, 1)``).

    Parameters
    ----------
    loss : str
        A key of ``LOSSES``.
    batch : Batch
        The batch, after the forward pass.

    Returns
    -------
    loss : float
    """
    z, a, delta, row_weight = batch.z[-1], batch.a[-1], batch.delta[-1], batch.row_weight
    np.subtract(a, batch.y, out=delta)
    value = LOSSES[loss](z, a, batch.y, delta, row_weight)
    if loss == "squared_error" and delta.shape[1] > 1:
        row_weight = row_weight / delta.shape[1]
    delta *= row_weight
    return value
