"""The training loop, as a ladder of short steps.

``fit_stochastic -> run_epoch -> BatchTrainer.step`` for the stochastic
solvers, ``fit_lbfgs`` for L-BFGS over the same loss and gradient. Early
stopping is data (``History``), and stopping is a returned value, never an
exception. Nothing here prints or warns: progress goes to the ``report``
callable the estimator passes in, and the reason training ended is returned.
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.optimize

from ._losses import loss_and_output_delta
from ._network import Workspace, backward, embed_inputs, forward

# Why training ended.
CONVERGED, MAX_ITER, DIVERGED, INTERRUPTED = "converged", "max_iter", "diverged", "interrupted"
STOPPED = "stopped by a callback"


@dataclass
class Model:
    """What is trained: the layout, its flat parameters and the objective."""

    layout: object
    activation: str
    out_activation: str
    loss: str
    alpha: float
    params: np.ndarray
    reg: object = None


@dataclass
class Data:
    """Training rows, referenced by index: nothing is copied per epoch.

    ``X`` is the numeric block, ``codes`` the integer category codes (or
    ``None``), ``y`` the encoded target of shape (n, n_outputs), ``rows`` the
    indices used for training (the rest may be a validation split).
    """

    X: np.ndarray
    y: np.ndarray
    rows: np.ndarray
    sample_weight: np.ndarray = None
    codes: np.ndarray = None

    def weight_sum(self, rows):
        if self.sample_weight is None:
            return float(len(rows))
        return float(self.sample_weight[rows].sum())


@dataclass
class History:
    """Progress across epochs and calls, and the early-stopping decision."""

    tol: float
    n_iter_no_change: int
    use_validation: bool
    n_iter: int = 0
    t: int = 0
    loss_curve: list = field(default_factory=list)
    validation_scores: list = None
    best_loss: float = np.inf
    best_validation_score: float = -np.inf
    no_improvement_count: int = 0
    best_params: np.ndarray = None

    def record(self, loss, validation_score, params):
        """Append an epoch's results; return whether progress has stalled."""
        self.loss_curve.append(loss)
        if validation_score is not None:
            self.validation_scores.append(validation_score)
        if self.use_validation:
            improved = validation_score >= self.best_validation_score + self.tol
            if validation_score > self.best_validation_score:
                self.best_validation_score = validation_score
                self.best_params = params.copy()
        else:
            improved = loss <= self.best_loss - self.tol
            self.best_loss = min(self.best_loss, loss)
        self.no_improvement_count = 0 if improved else self.no_improvement_count + 1
        return self.no_improvement_count > self.n_iter_no_change


class BatchTrainer:
    """Loss and gradient of a set of rows, in preallocated buffers."""

    def __init__(self, model, data, capacity):
        self.model = model
        self.data = data
        dropout = model.reg.dropout if model.reg is not None else 0.0
        self.ws = Workspace(
            model.layout, model.activation, capacity, model.params.dtype,
            training=True, dropout=dropout,
        )
        self.views = model.layout.split(model.params)

    def loss_and_gradient(self, rows, denominator):
        """Data loss of ``rows`` (weights divided by ``denominator``) and its
        gradient in ``self.ws.grad``; the L2 penalty is not included."""
        model, data, ws = self.model, self.data, self.ws
        batch = ws.rows(len(rows))
        # mode="clip": the rows are ours and always in range, and numpy's default
        # mode="raise" gathers into a hidden temporary first (twice the time)
        data.X.take(rows, axis=0, out=batch.numeric, mode="clip")
        data.y.take(rows, axis=0, out=batch.y, mode="clip")
        codes = None
        if data.sample_weight is None:
            row_weight = 1.0 / denominator
        else:
            row_weight = batch.row_weight
            data.sample_weight.take(rows, out=row_weight[:, 0], mode="clip")
            row_weight /= denominator
        if self.views[0]:
            codes = data.codes[rows]
            embed_inputs(self.views[0], model.layout.n_numeric, batch, codes)
        forward(self.views, model.activation, model.out_activation, batch, reg=model.reg)
        loss = loss_and_output_delta(
            model.loss, batch.z[-1], batch.a[-1], batch.y, row_weight, batch.delta[-1]
        )
        loss += backward(
            self.views, model.activation, batch, ws.grad_views, row_weight, codes=codes,
            reg=model.reg, n_numeric=model.layout.n_numeric,
        )
        return loss

    def add_l2(self, grad, denominator):
        """Add the L2 penalty's gradient to ``grad``; return the penalty."""
        model = self.model
        if model.alpha == 0:
            return 0.0
        penalized = model.params[: model.layout.n_penalized]
        scale = model.alpha / denominator
        grad[: model.layout.n_penalized] += scale * penalized
        return 0.5 * scale * float(np.dot(penalized, penalized))

    def step(self, rows, optimizer):
        """One optimizer step on a mini-batch; return the batch's loss."""
        denominator = self.data.weight_sum(rows)
        loss = self.loss_and_gradient(rows, denominator)
        loss += self.add_l2(self.ws.grad, denominator)
        optimizer.step(self.model.params, self.ws.grad)
        return loss


def run_epoch(trainer, optimizer, order, batch_size):
    """One pass over ``order`` in mini-batches; the mean loss (NaN on divergence)."""
    accumulated = 0.0
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        loss = trainer.step(rows, optimizer)
        if not np.isfinite(loss):
            return np.nan
        accumulated += loss * len(rows)
    return accumulated / len(order)


@dataclass
class Plan:
    """How long and how to run the stochastic loop."""

    max_iter: int
    batch_size: int
    shuffle: bool
    rng: object
    incremental: bool = False


def fit_stochastic(trainer, optimizer, history, plan, hooks):
    """Epochs until convergence, ``max_iter``, divergence or Ctrl-C.

    ``hooks.validation_score()`` scores the current parameters (or returns
    ``None``), ``hooks.report(message)`` shows progress, ``hooks.epoch_begin()``
    and ``hooks.epoch_end()`` frame each epoch (the latter may ask to stop).
    Returns why training ended. On divergence, and on Ctrl-C in the middle of
    an epoch, the parameters and optimizer state of the start of that epoch
    are restored: the model is always that of the epochs counted in
    ``history.n_iter``.
    """
    params, rows = trainer.model.params, trainer.data.rows
    try:
        for _ in range(plan.max_iter):
            snapshot = params.copy(), optimizer.get_state()
            hooks.epoch_begin()
            order = plan.rng.permutation(rows) if plan.shuffle else rows
            loss = _guarded_epoch(trainer, optimizer, order, plan.batch_size, snapshot)
            if isinstance(loss, str):  # DIVERGED or INTERRUPTED, rolled back
                return loss
            history.n_iter += 1
            history.t += len(rows)
            outcome = _end_epoch(history, optimizer, loss, params, hooks)
            if outcome is not None:
                return outcome
            if plan.incremental:
                return CONVERGED
    except KeyboardInterrupt:  # between epochs: the state is that of the epochs done
        return INTERRUPTED
    return MAX_ITER


def _guarded_epoch(trainer, optimizer, order, batch_size, snapshot):
    """``run_epoch``, rolled back to ``snapshot`` if it diverges or is interrupted.

    Returns the epoch's mean loss, or ``DIVERGED`` / ``INTERRUPTED``.
    """
    params = trainer.model.params
    try:
        loss = run_epoch(trainer, optimizer, order, batch_size)
        outcome = None if np.isfinite(loss) and np.isfinite(params).all() else DIVERGED
    except KeyboardInterrupt:
        # a half-done epoch (or a half-done optimizer step) is not a model of
        # any number of epochs: go back to the last whole one
        outcome = INTERRUPTED
    if outcome is None:
        return loss
    params[...] = snapshot[0]
    optimizer.set_state(snapshot[1])
    return outcome


def _end_epoch(history, optimizer, loss, params, hooks):
    """Record a finished epoch; why training must stop now, or None."""
    hooks.report("Iteration %d, loss = %.8f" % (history.n_iter, loss))
    score = hooks.validation_score()
    if score is not None:
        hooks.report("Validation score: %f" % score)
    stalled = history.record(loss, score, params)
    optimizer.iteration_ends(history.t)
    if hooks.epoch_end():
        return STOPPED
    if stalled:
        stop, note = optimizer.trigger_stopping()
        hooks.report(_stall_message(history) + " " + note)
        if stop:
            return CONVERGED
        history.no_improvement_count = 0
    return None


def _stall_message(history):
    what = "Validation score" if history.use_validation else "Training loss"
    return "%s did not improve more than tol=%f for %d consecutive epochs." % (
        what, history.tol, history.n_iter_no_change,
    )


def full_loss_and_gradient(trainer, grad):
    """Loss over all training rows and its gradient (L2 included) into ``grad``."""
    rows = trainer.data.rows
    denominator = trainer.data.weight_sum(rows)
    capacity = trainer.ws.capacity
    loss = 0.0
    grad.fill(0)
    for start in range(0, len(rows), capacity):
        loss += trainer.loss_and_gradient(rows[start : start + capacity], denominator)
        grad += trainer.ws.grad
    loss += trainer.add_l2(grad, denominator)
    return loss


def fit_lbfgs(trainer, history, options, hooks):
    """L-BFGS-B (scipy) on the flat parameter vector; returns why it ended.

    ``loss_curve`` gets one entry per iteration. With a validation score,
    each iteration is scored and, when ``history.use_validation``, training
    stops once it stalls; the best parameters are kept in ``history``. On
    divergence or Ctrl-C the parameters of the last accepted iteration are
    restored (a line search's trial point is no model of any iteration).
    """
    params = trainer.model.params
    grad = np.empty_like(params)
    accepted = params.copy()
    n_evaluations = 0

    def objective(x):
        nonlocal n_evaluations
        n_evaluations += 1
        params[...] = x
        loss = full_loss_and_gradient(trainer, grad)
        return loss, grad.astype(np.float64)

    def callback(intermediate_result):
        params[...] = intermediate_result.x
        accepted[...] = params
        loss = float(intermediate_result.fun)
        hooks.epoch_begin()
        history.n_iter += 1
        hooks.report("Iteration %d, loss = %.8f" % (history.n_iter, loss))
        score = hooks.validation_score()
        stalled = history.record(loss, score, params)
        if hooks.epoch_end() or (stalled and history.use_validation):
            raise StopIteration

    try:
        result = scipy.optimize.minimize(
            objective, params.astype(np.float64), method="L-BFGS-B", jac=True,
            callback=callback, options=options,
        )
    except KeyboardInterrupt:
        result = None
    history.t += len(trainer.data.rows) * max(n_evaluations, 1)
    if result is None:
        params[...] = accepted
        return INTERRUPTED
    params[...] = result.x
    if not np.isfinite(params).all() or not np.isfinite(result.fun):
        params[...] = accepted
        return DIVERGED
    if result.status == 1:  # iteration or function-evaluation limit
        return MAX_ITER
    return CONVERGED
