"""The flat-vector optimizers take scikit-learn's steps exactly."""

import numpy as np
import pytest
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

from skembed._optimizers import SGD, Adam


def gradients(n_steps, size, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=size) for _ in range(n_steps)]


def test_adam_matches_scikit_learns_update():
    start = np.random.default_rng(1).normal(size=7)
    ours, theirs = start.copy(), [start.copy()]
    adam = Adam(learning_rate_init=0.01, beta_1=0.8, beta_2=0.95, epsilon=1e-6).start(ours)
    reference = AdamOptimizer(theirs, learning_rate_init=0.01, beta_1=0.8, beta_2=0.95,
                              epsilon=1e-6)
    for grad in gradients(25, 7):
        adam.step(ours, grad.copy())
        reference.update_params(theirs, [grad.copy()])
    np.testing.assert_allclose(ours, theirs[0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("schedule", ["constant", "invscaling", "adaptive"])
@pytest.mark.parametrize("nesterov", [True, False])
def test_sgd_matches_scikit_learns_update(schedule, nesterov):
    start = np.random.default_rng(2).normal(size=5)
    ours, theirs = start.copy(), [start.copy()]
    sgd = SGD(0.1, schedule, momentum=0.7, nesterov=nesterov, power_t=0.4).start(ours)
    reference = SGDOptimizer(theirs, 0.1, schedule, momentum=0.7, nesterov=nesterov,
                             power_t=0.4)
    for epoch, grad in enumerate(gradients(12, 5)):
        sgd.step(ours, grad.copy())
        reference.update_params(theirs, [grad.copy()])
        if epoch % 3 == 2:  # an epoch ends: schedules move, adaptive may decay
            sgd.iteration_ends(epoch * 100)
            reference.iteration_ends(epoch * 100)
            assert sgd.trigger_stopping()[0] == reference.trigger_stopping("", False)
            assert sgd.learning_rate == pytest.approx(reference.learning_rate)
    np.testing.assert_allclose(ours, theirs[0], rtol=1e-12, atol=1e-14)


def test_state_round_trip_restores_the_trajectory():
    params = np.ones(4, dtype=np.float32)
    adam = Adam().start(params)
    adam.step(params, np.full(4, 0.5, dtype=np.float32))
    saved, saved_params = adam.get_state(), params.copy()
    adam.step(params, np.full(4, 2.0, dtype=np.float32))
    after_one = params.copy()
    adam.set_state(saved)
    params[...] = saved_params
    adam.step(params, np.full(4, 2.0, dtype=np.float32))
    np.testing.assert_array_equal(params, after_one)
