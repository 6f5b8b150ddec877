"""The training loops with fakes of their collaborators: every way training ends.

The trainer, the optimizer and the callbacks are stand-ins with scripted
behaviour, so that each stop reason, each rollback and each record of the
monitor is checked on its own, without a network.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from skembed._stopping import History, Monitor, StoppingRule, StopReason
from skembed._training import EpochOrder, Plan, fit_lbfgs, fit_stochastic


class FakeTrainer:
    """Scripted batch losses; every step moves the parameters by one."""

    lazy, n_lazy, tracker, average = False, 0, None, None  # no embedding tables

    def __init__(self, losses, n_rows=10):
        self.params = np.zeros(3)
        self.data = SimpleNamespace(rows=np.arange(n_rows))
        self.losses = iter(losses)

    def step(self, rows, optimizer):
        loss = next(self.losses)
        if isinstance(loss, BaseException):
            raise loss
        optimizer.step(self.params, np.ones_like(self.params))
        return loss


class FakeOptimizer:
    """Counts its steps; ``stall_answers`` are its answers to a stall."""

    def __init__(self, stall_answers=()):
        self.steps = 0
        self.epoch_ends = []
        self.stall_answers = list(stall_answers)

    def step(self, params, grad):
        params += grad
        self.steps += 1

    @property
    def t(self):  # the real optimizers' step count
        return self.steps

    def iteration_ends(self, time_step):
        self.epoch_ends.append(time_step)

    def trigger_stopping(self):
        return (self.stall_answers.pop(0) if self.stall_answers else True), "note"

    def get_state(self):
        return self.steps

    def set_state(self, state):
        self.steps = state

    def state_arrays(self):
        return []


class FakeHooks:
    """The fit callbacks: records the epochs, asks to stop after ``stop_after``."""

    def __init__(self, stop_after=None):
        self.events = []
        self.stop_after = stop_after

    def epoch_begin(self):
        self.events.append("begin")

    def epoch_end(self):
        self.events.append("end")
        return self.stop_after is not None and self.events.count("end") >= self.stop_after


def epochs_of(*losses, batches=2):
    """Batch losses giving each epoch the given mean loss."""
    return [loss for loss in losses for _ in range(batches)]


def run(losses, *, max_iter=10, n_iter_no_change=2, tol=0.0, optimizer=None, score=None,
        hooks=None, incremental=False, averaging=None, trainer=None):
    trainer = trainer or FakeTrainer(losses)
    optimizer = optimizer or FakeOptimizer()
    history = History(validation_scores=[] if score else None)
    monitor = Monitor(history, StoppingRule(tol, n_iter_no_change, score is not None),
                      score=score, hooks=hooks)
    order = EpochOrder(trainer.data.rows, False, None)
    outcome = fit_stochastic(trainer, optimizer, monitor,
                             Plan(max_iter, 5, order, incremental, averaging))
    return outcome, trainer, optimizer, history


def test_max_iter():
    outcome, trainer, optimizer, history = run(epochs_of(*range(10, 0, -1)), max_iter=10)
    assert outcome.reason is StopReason.MAX_ITER
    assert history.n_iter == 10 and history.t == 100
    assert history.loss_curve == list(range(10, 0, -1))
    assert optimizer.epoch_ends == list(range(10, 101, 10))
    assert trainer.params.tolist() == [20.0] * 3


def test_a_stalled_loss_stops_after_n_iter_no_change_more_epochs():
    outcome, _, _, history = run(epochs_of(5, 4, 4, 4, 4, 4, 3), n_iter_no_change=2, tol=0.5)
    assert outcome.reason is StopReason.CONVERGED
    # epochs 3, 4 and 5 bring no improvement: the count passes 2 at epoch 5
    assert history.n_iter == 5 and history.no_improvement_count == 3
    assert history.best_loss == 4


def test_an_adaptive_optimizer_may_go_on_after_a_stall():
    optimizer = FakeOptimizer(stall_answers=[False])
    outcome, _, _, history = run(epochs_of(5, 5, 5, 5, 5, 5, 5, 5), n_iter_no_change=1,
                                 tol=0.5, optimizer=optimizer)
    assert outcome.reason is StopReason.CONVERGED
    assert history.n_iter == 5  # stalled at 3, went on with a count of 0, stalled at 5


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_divergence_rolls_the_epoch_back(bad):
    outcome, trainer, optimizer, history = run([1.0, 1.0, 1.0, 1.0, 1.0, bad])
    assert outcome.reason is StopReason.DIVERGED
    assert history.n_iter == 2 and history.loss_curve == [1.0, 1.0] and history.t == 20
    assert trainer.params.tolist() == [4.0] * 3 and optimizer.steps == 4


def test_ctrl_c_rolls_the_epoch_back():
    outcome, trainer, optimizer, history = run([1.0, 1.0, 1.0, KeyboardInterrupt()])
    assert outcome.reason is StopReason.INTERRUPTED
    assert history.n_iter == 1 and trainer.params.tolist() == [2.0] * 3
    assert optimizer.steps == 2


def test_an_error_rolls_the_epoch_back_and_is_raised():
    trainer = FakeTrainer([1.0, 1.0, 1.0, MemoryError("simulated")])
    optimizer = FakeOptimizer()
    history = History(loss_curve=[0.5], n_iter=3, t=7)
    monitor = Monitor(history, StoppingRule(0.0, 10, False))
    with pytest.raises(MemoryError):
        fit_stochastic(trainer, optimizer, monitor,
                       Plan(5, 5, EpochOrder(trainer.data.rows, False, None)))
    assert history.n_iter == 4 and history.loss_curve == [0.5, 1.0] and history.t == 17
    assert trainer.params.tolist() == [2.0] * 3 and optimizer.steps == 2


def test_partial_fit_runs_one_epoch():
    outcome, _, _, history = run(epochs_of(3, 2), incremental=True)
    assert outcome.reason is StopReason.EPOCH_DONE and history.n_iter == 1


def test_a_callback_stops_training_and_every_epoch_is_framed():
    hooks = FakeHooks(stop_after=3)
    outcome, _, _, history = run(epochs_of(*range(10, 0, -1)), hooks=hooks)
    assert outcome.reason is StopReason.CALLBACK and history.n_iter == 3
    assert hooks.events == ["begin", "end"] * 3


def test_early_stopping_keeps_the_best_parameters():
    scores = iter([0.1, 0.5, 0.4, 0.45, 0.3])
    outcome, trainer, _, history = run(epochs_of(5, 4, 3, 2, 1), score=lambda: next(scores),
                                       n_iter_no_change=2)
    assert outcome.reason is StopReason.CONVERGED and history.n_iter == 5
    assert history.validation_scores == [0.1, 0.5, 0.4, 0.45, 0.3]
    assert history.best_validation_score == 0.5
    assert trainer.params.tolist() == [4.0] * 3  # as after epoch 2, the best one


def moving_averages(n_steps, decay):
    """The weight average after each step of FakeTrainer (its weights are t
    after step t, from 0), by the rule in the ``weight_averaging`` docs."""
    average, averages = 0.0, []
    for t in range(1, n_steps + 1):
        d = min(decay, (1 + t) / (10 + t))
        average = d * average + (1 - d) * t
        averages.append(average)
    return averages


def test_weight_averaging_leaves_the_average_of_the_steps():
    outcome, trainer, optimizer, _ = run(epochs_of(*range(30, 0, -1)), max_iter=30,
                                         averaging=0.9)
    assert outcome.reason is StopReason.MAX_ITER and optimizer.steps == 60
    expected = moving_averages(60, 0.9)[-1]  # 53.9: behind the last weights (60)
    assert 50 < expected < 58
    np.testing.assert_allclose(trainer.params, [expected] * 3)
    assert trainer.average is None  # nothing left to swap


def test_weight_averaging_scores_and_keeps_the_average_while_steps_go_on():
    trainer = FakeTrainer(epochs_of(5, 4, 3, 2, 1))
    seen, scores = [], iter([0.1, 0.5, 0.4, 0.45, 0.3])

    def score():
        seen.append(trainer.params[0])
        return next(scores)

    outcome, _, optimizer, history = run(None, trainer=trainer, score=score,
                                         n_iter_no_change=2, averaging=0.5)
    averages = moving_averages(10, 0.5)
    # each epoch is scored on the average after its 2 steps ...
    np.testing.assert_allclose(seen, averages[1::2])
    # ... the steps went on from the weights (10 steps of 1) ...
    assert optimizer.steps == 10 and history.n_iter == 5
    # ... and the best epoch's average is the model
    np.testing.assert_allclose(trainer.params, [averages[3]] * 3)


def test_weight_averaging_rolls_back_with_a_diverging_epoch():
    outcome, trainer, optimizer, history = run([1.0] * 5 + [np.nan], averaging=0.5)
    assert outcome.reason is StopReason.DIVERGED and history.n_iter == 2
    # the model is the average after the 4 steps of the two whole epochs
    np.testing.assert_allclose(trainer.params, [moving_averages(4, 0.5)[-1]] * 3)
    assert np.isfinite(trainer.params).all()


def test_a_nan_validation_score_counts_as_progress_as_in_scikit_learn():
    scores = iter([0.5, np.nan, 0.4, 0.4])
    _, _, _, history = run(epochs_of(1, 1, 1, 1), score=lambda: next(scores), max_iter=4,
                           n_iter_no_change=5)
    assert history.no_improvement_count == 2  # reset by the NaN, then two stalls
    assert history.best_validation_score == 0.5


def test_shuffled_order_is_a_permutation_of_the_previous_one():
    rng = np.random.RandomState(0)
    order = EpochOrder(np.arange(6), True, rng)
    first = order.next().copy()
    second = order.next()
    expected = np.random.RandomState(0)
    np.testing.assert_array_equal(first, np.arange(6)[expected.permutation(6)])
    np.testing.assert_array_equal(second, first[expected.permutation(6)])


# --------------------------------------------------------------------------
# L-BFGS
# --------------------------------------------------------------------------
class QuadraticTrainer:
    """``loss = 0.5 sum_i w_i (params_i - target_i)^2`` over one chunk of four
    rows, with weights over four orders of magnitude: L-BFGS needs a few
    iterations."""

    def __init__(self, target, poison_after=None):
        self.target = np.asarray(target, dtype=float)
        self.weights = np.logspace(0, 4, self.target.size)
        self.params = np.zeros_like(self.target)
        self.data = SimpleNamespace(rows=np.arange(4), weight_sum=lambda rows: 4.0)
        self.ws = SimpleNamespace(capacity=4, grad=np.empty_like(self.target))
        self.evaluations = 0
        self.poison_after = poison_after

    def loss_and_gradient(self, rows, denominator):
        self.evaluations += 1
        diff = self.params - self.target
        self.ws.grad[...] = self.weights * diff
        if self.poison_after is not None and self.evaluations > self.poison_after:
            return np.nan
        return 0.5 * float(diff @ (self.weights * diff))

    def add_l2(self, grad, denominator):
        return 0.0


def lbfgs(trainer, *, max_iter=1000, hooks=None, score=None, n_iter_no_change=10):
    history = History(validation_scores=[] if score else None)
    monitor = Monitor(history, StoppingRule(1e-12, n_iter_no_change, score is not None),
                      score=score, hooks=hooks)
    options = {"maxiter": max_iter, "maxfun": 15000, "gtol": 1e-10}
    return fit_lbfgs(trainer, monitor, options), history


def test_lbfgs_converges_and_records_each_iteration():
    target = np.linspace(-3, 3, 30) ** 3
    trainer = QuadraticTrainer(target)
    hooks = FakeHooks()
    outcome, history = lbfgs(trainer, hooks=hooks)
    assert outcome.reason is StopReason.CONVERGED
    np.testing.assert_allclose(trainer.params, target, atol=1e-3)
    assert history.n_iter == len(history.loss_curve) > 3
    assert history.t == 4 * trainer.evaluations
    # every iteration's epoch opens at its first evaluation and closes at its
    # end: begin and end alternate, one pair per iteration
    assert hooks.events[: 2 * history.n_iter] == ["begin", "end"] * history.n_iter


def test_lbfgs_iteration_limit():
    trainer = QuadraticTrainer(np.linspace(-3, 3, 30) ** 3)
    outcome, history = lbfgs(trainer, max_iter=2)
    assert outcome.reason is StopReason.MAX_ITER and "status=1" in outcome.detail
    assert history.n_iter == 2


def test_lbfgs_callback_stop():
    trainer = QuadraticTrainer(np.linspace(-3, 3, 30) ** 3)
    outcome, history = lbfgs(trainer, hooks=FakeHooks(stop_after=2))
    assert outcome.reason is StopReason.CALLBACK and history.n_iter == 2


def test_lbfgs_divergence_keeps_the_last_accepted_iteration():
    reference = QuadraticTrainer(np.linspace(-3, 3, 30) ** 3)
    trainer = QuadraticTrainer(np.linspace(-3, 3, 30) ** 3, poison_after=4)
    outcome, history = lbfgs(trainer)
    assert outcome.reason is StopReason.DIVERGED
    assert 0 < history.n_iter < 4 and np.isfinite(history.loss_curve).all()
    assert np.isfinite(trainer.params).all()
    lbfgs(reference, max_iter=history.n_iter)
    np.testing.assert_array_equal(trainer.params, reference.params)


def test_lbfgs_early_stopping_on_a_stalled_validation_score():
    trainer = QuadraticTrainer(np.linspace(-3, 3, 30) ** 3)
    scores = iter([0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2])
    outcome, history = lbfgs(trainer, score=lambda: next(scores), n_iter_no_change=2)
    assert outcome.reason is StopReason.CONVERGED
    assert history.n_iter == 5 and history.best_validation_score == 0.2


def test_the_history_rolls_back_to_its_checkpoint():
    # each epoch saves the record to roll back to on divergence or Ctrl-C: the
    # numbers, and the curves cut back to their lengths rather than copied
    history = History(validation_scores=[])
    history.loss_curve += [3.0, 2.0]
    history.validation_scores += [0.1, 0.2]
    history.n_iter, history.best_loss = 2, 2.0
    saved = history.checkpoint()
    history.loss_curve.append(1.0)
    history.validation_scores.append(0.3)
    history.n_iter, history.best_loss, history.no_improvement_count = 3, 1.0, 5
    history.roll_back(saved)
    assert history.loss_curve == [3.0, 2.0] and history.validation_scores == [0.1, 0.2]
    assert (history.n_iter, history.best_loss, history.no_improvement_count) == (2, 2.0, 0)
    history.roll_back(saved)  # a checkpoint serves more than once
    assert history.loss_curve == [3.0, 2.0]
