"""Losses on their own: values as scikit-learn defines them, and the output
gradient ``output_delta`` leaves in the batch."""

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.special import expit, softmax, xlogy

from skembed._activations import OUTPUT_ACTIVATIONS
from skembed._losses import LOSSES, OUTPUT_ACTIVATION_OF, output_delta

RNG = np.random.default_rng(0)
M, K = 7, 3


def targets(loss, k=K):
    if loss == "squared_error":
        return RNG.normal(size=(M, k))
    if loss == "poisson":
        return RNG.poisson(2.0, size=(M, k)).astype(float)
    if loss == "binary_log_loss":
        return RNG.integers(0, 2, (M, k)).astype(float)
    return np.eye(k)[RNG.integers(0, k, M)]


def reference(loss, z, y, weights):
    """Each loss as scikit-learn's MLP defines it, weighted mean over rows."""
    if loss == "squared_error":
        per_row = (0.5 * (z - y) ** 2).mean(axis=1)
    elif loss == "poisson":
        per_row = (xlogy(y, y / np.exp(z)) - y + np.exp(z)).sum(axis=1)
    elif loss == "binary_log_loss":
        p = expit(z)
        per_row = -(xlogy(y, p) + xlogy(1 - y, 1 - p)).sum(axis=1)
    else:
        per_row = -(y * np.log(softmax(z, axis=1))).sum(axis=1)
    return float(np.average(per_row, weights=weights))


def batch_for(loss, z, y, weights):
    a = OUTPUT_ACTIVATIONS[OUTPUT_ACTIVATION_OF[loss]](z, np.empty_like(z))
    row_weight = 1.0 / len(z) if weights is None else (weights / weights.sum())[:, None]
    return SimpleNamespace(z=[z], a=[a], y=y, delta=[np.empty_like(z)], row_weight=row_weight)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_loss_values_are_scikit_learns(loss, weighted):
    z = RNG.normal(size=(M, K))
    y = targets(loss)
    weights = RNG.uniform(0.5, 2.0, M) if weighted else None
    value = output_delta(loss, batch_for(loss, z, y, weights))
    assert value == pytest.approx(reference(loss, z, y, weights), rel=1e-12)


# a softmax needs at least two classes: no width-1 log_loss
@pytest.mark.parametrize("loss, k", [(loss, k) for loss in sorted(LOSSES) for k in (1, K)
                                     if not (loss == "log_loss" and k == 1)])
@pytest.mark.parametrize("weighted", [False, True])
def test_output_delta_is_the_gradient_of_the_loss(loss, weighted, k):
    z = RNG.normal(size=(M, k))
    y = targets(loss, k)
    weights = RNG.uniform(0.5, 2.0, M) if weighted else None
    batch = batch_for(loss, z, y, weights)
    output_delta(loss, batch)
    numerical = np.empty_like(z)
    eps = 1e-6
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += eps
        down[index] -= eps
        numerical[index] = (output_delta(loss, batch_for(loss, up, y, weights))
                            - output_delta(loss, batch_for(loss, down, y, weights))) / (2 * eps)
    np.testing.assert_allclose(batch.delta[0], numerical, rtol=1e-6, atol=1e-9)


def test_binary_log_loss_stays_finite_where_the_probability_saturates():
    z = np.array([[800.0], [-800.0]])
    y = np.array([[0.0], [1.0]])
    value = output_delta("binary_log_loss", batch_for("binary_log_loss", z, y, None))
    assert value == pytest.approx(800.0)
