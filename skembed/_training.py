"""The training loop, as a ladder of short steps.

``fit_stochastic -> train_epoch -> run_epoch -> BatchTrainer.step`` for the
stochastic solvers, ``fit_lbfgs`` for L-BFGS over the same loss and gradient.
Both report each finished epoch (an iteration, for L-BFGS) to a
``_stopping.Monitor`` and end with an ``_stopping.Outcome``: every reason
training ends, and the early-stopping rule, live in ``_stopping.py``.

This is the math layer: it never sees an estimator.
"""

from dataclasses import dataclass

import numpy as np
import scipy.linalg.blas
import scipy.optimize

from ._input_layer import scale_sparse
from ._losses import output_delta
from ._network import Inputs, Workspace, backward, embed_inputs, forward
from ._stopping import BestParameters, Outcome, StopReason
from ._tables import TableTracker, dense_table_grads, table_row_grads

_AXPY = {"f": scipy.linalg.blas.saxpy, "d": scipy.linalg.blas.daxpy}


# --------------------------------------------------------------------------
# loss and gradient of a batch
# --------------------------------------------------------------------------
@dataclass
class Objective:
    """What is minimised: the network's loss, an L2 penalty ``alpha``, and the
    regularization of the forward pass (dropout, activity L1)."""

    network: object
    alpha: float = 0.0
    reg: object = None
    # the rows (summed weight) alpha is divided by; None: each batch's own
    penalty_rows: float = None


@dataclass
class TrainingSet:
    """Training rows, referenced by index: nothing is copied per epoch.

    ``inputs`` are the network's ``Inputs``, ``y`` the encoded target of shape
    (n, n_outputs) in the compute dtype, ``rows`` the indices trained on (the
    rest may be a validation split).
    """

    inputs: object
    y: np.ndarray
    rows: np.ndarray
    sample_weight: np.ndarray = None

    def weight_sum(self, rows):
        if self.sample_weight is None:
            return float(len(rows))
        return float(self.sample_weight[rows].sum())


class BatchTrainer:
    """Loss and gradient of a set of rows, in preallocated buffers.

    With ``lazy_tables`` (the stochastic solvers), the embedding tables'
    gradient is kept for the rows each batch touches (``table_rows``) and the
    ``tracker`` (a ``TableTracker``, set by the loop) is told of them before
    each step; otherwise (L-BFGS) the whole tables get their gradient in
    ``ws.grad``.
    """

    def __init__(self, objective, data, capacity, *, lazy_tables=False):
        self.objective = objective
        self.data = data
        dropout = objective.reg.dropout if objective.reg is not None else 0.0
        self.ws = Workspace(objective.network, capacity, dropout=dropout,
                            sparse=data.inputs.sparse,
                            numeric_width=data.inputs.numeric.shape[1])
        layout = objective.network.layout
        self.lazy = lazy_tables and bool(layout.table_shapes)
        # decided once, not per batch: CSR rows, or dense rows to embed
        self.sparse = data.inputs.sparse
        self.embeds = not (self.sparse or layout.plain_input)
        self.n_lazy = layout.n_table_params if self.lazy else 0
        self.table_rows = ()
        self.tracker = None
        self.average = None  # a WeightAverage, set by fit_stochastic

    @property
    def params(self):
        return self.objective.network.params

    def load(self, rows):
        """The batch of ``rows``: inputs, targets and weights in the workspace."""
        data, batch = self.data, self.ws.rows(len(rows))
        network = self.objective.network
        if self.sparse:  # the batch's CSR rows, scaled without centring
            batch.inputs = scale_sparse(network.preprocessing, data.inputs.numeric[rows])
        else:
            # mode="clip": the rows are ours and always in range, and numpy's
            # default mode="raise" gathers into a hidden temporary first
            data.inputs.numeric.take(rows, axis=0, out=batch.numeric, mode="clip")
        data.y.take(rows, axis=0, out=batch.y, mode="clip")
        if data.sample_weight is not None:
            data.sample_weight.take(rows, out=batch.weights[:, 0], mode="clip")
        if network.views.tables:
            batch.codes = data.inputs.codes[rows]
        if self.embeds:
            embed_inputs(network, Inputs(batch.numeric, batch.codes, data.inputs.scaled),
                         batch.inputs, batch.cache)
        return batch

    def loss_and_gradient(self, rows, denominator):
        """Data loss of ``rows`` (weights divided by ``denominator``) and its
        gradient in ``self.ws.grad``; the L2 penalty is not included."""
        objective = self.objective
        network = objective.network
        batch = self.load(rows)
        if self.data.sample_weight is None:
            batch.row_weight = 1.0 / denominator
        else:
            batch.weights /= denominator
            batch.row_weight = batch.weights
        forward(network, batch, reg=objective.reg)
        loss = output_delta(network.loss, batch)
        loss += backward(network, batch, self.ws.grad_views, reg=objective.reg)
        if batch.d_embedded is not None:
            if self.lazy:
                self.table_rows = table_row_grads(batch.d_embedded, batch.codes,
                                                  network.layout.table_shapes)
            else:
                dense_table_grads(batch.d_embedded, batch.codes, self.ws.grad_views.tables)
        return loss

    def add_l2(self, grad, denominator):
        """Add the L2 penalty's gradient to ``grad`` (and to the touched table
        rows, with lazy tables); return the penalty."""
        alpha, network = self.objective.alpha, self.objective.network
        if alpha == 0:
            return 0.0
        rows = self.objective.penalty_rows
        scale = alpha / (denominator if rows is None else rows)
        penalized = network.params[self.n_lazy : network.layout.n_penalized]
        # BLAS's y += a x: no temporary the size of the parameters
        _AXPY[grad.dtype.char](penalized, grad[self.n_lazy : network.layout.n_penalized],
                               a=scale)
        penalty = float(np.dot(penalized, penalized))
        anchor = network.skip_anchor
        if anchor is not None:  # the skip weights are pulled to their start, not to 0
            end = network.layout.n_penalized
            skip = network.params[end - anchor.size : end]
            _AXPY[grad.dtype.char](anchor, grad[end - anchor.size : end], a=-scale)
            penalty += float(np.dot(anchor, anchor)) - 2.0 * float(np.dot(skip, anchor))
        for table, rows, row_grad in self.table_rows:
            values = network.views.tables[table][rows]
            row_grad += scale * values
            penalty += float(np.vdot(values, values))
        return 0.5 * scale * penalty

    def step(self, rows, optimizer):
        """One optimizer step on a mini-batch; return the batch's loss."""
        denominator = self.data.weight_sum(rows)
        loss = self.loss_and_gradient(rows, denominator)
        loss += self.add_l2(self.ws.grad, denominator)
        if self.tracker is not None:
            self.tracker.touch(self.table_rows)
        optimizer.step(self.params, self.ws.grad, self.table_rows)
        return loss


# --------------------------------------------------------------------------
# the stochastic solvers
# --------------------------------------------------------------------------
class EpochOrder:
    """The order of the training rows, epoch after epoch.

    Shuffled as scikit-learn's MLP does: each epoch permutes the previous
    epoch's order with ``rng.permutation``, so that the same seed gives the
    same batches.
    """

    def __init__(self, rows, shuffle, rng):
        self.order = rows
        self.shuffle = shuffle
        self.rng = rng

    def next(self):
        if self.shuffle:
            self.order = self.order[self.rng.permutation(len(self.order))]
        return self.order


@dataclass
class Plan:
    """How long and in what order the stochastic loop runs."""

    max_iter: int
    batch_size: int
    order: EpochOrder
    incremental: bool = False
    averaging: float = None  # the decay of a WeightAverage, or None


# Subnormal floats (below 1.2e-38 in float32) make every matrix product that
# touches them several times slower on x86 CPUs. They appear when training
# drives weights or Adam moments toward zero geometrically (the weights of a
# neuron that never fires, under the L2 penalty): a fit on 40,000 rows
# slowed from 0.33 to over 2 s per epoch. Every this many optimizer steps
# (counted across epochs, so that a table of one step an epoch is not swept
# at every step) they are set to zero, a change below any rounding the
# training makes.
FLUSH_STEPS = 128


class WeightAverage:
    """An exponential moving average of the dense parameters over the steps
    (Polyak averaging), in buffers allocated once.

    After step ``t`` of the call, ``average = d * average + (1 - d) * params``
    with ``d = min(decay, (1 + t) / (10 + t))``: the first steps average over
    a window that grows with them, so that the average soon forgets the
    initial weights. The embedding tables (trained lazily, row by row) are
    not averaged.
    """

    def __init__(self, params, n_lazy, decay):
        self.n_lazy, self.decay = n_lazy, decay
        self.average = params[n_lazy:].copy()
        self._spare = np.empty_like(self.average)  # for swap
        self._saved = np.empty_like(self.average)  # the epoch's start, to roll back to
        self.steps = 0
        self._axpy = _AXPY[self.average.dtype.char]

    def update(self, params):
        self.steps += 1
        decay = min(self.decay, (1.0 + self.steps) / (10.0 + self.steps))
        self.average *= decay
        self._axpy(params[self.n_lazy :], self.average, a=1.0 - decay)

    def swap(self, params):
        """Exchange the parameters with their average (twice: back as before)."""
        dense = params[self.n_lazy :]
        self._spare[...] = dense
        dense[...] = self.average
        self.average, self._spare = self._spare, self.average

    def save(self):
        """Keep the average as it is (one saved state at a time); return its step count."""
        self._saved[...] = self.average
        return self.steps

    def roll_back(self, steps):
        """Go back to the saved average, of ``steps`` steps."""
        self.average[...] = self._saved
        self.steps = steps


def run_epoch(trainer, optimizer, order, batch_size):
    """One pass over ``order`` in mini-batches; the mean loss (NaN on divergence)."""
    accumulated = 0.0
    average = trainer.average
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        loss = trainer.step(rows, optimizer)
        if average is not None:
            average.update(trainer.params)
        if not np.isfinite(loss):
            return np.nan
        accumulated += loss * len(rows)
        if optimizer.t % FLUSH_STEPS == 0:  # counted over epochs and calls
            flush_subnormals(trainer, optimizer)
    return accumulated / len(order)


def flush_subnormals(trainer, optimizer):
    """Set the subnormal values of the dense parameters and optimizer state to 0."""
    for vector in (trainer.params, *optimizer.state_arrays()):
        dense = vector[trainer.n_lazy :]
        dense[np.abs(dense) < np.finfo(dense.dtype).tiny] = 0.0


def fit_stochastic(trainer, optimizer, monitor, plan):
    """Epochs until the rule stops them, ``max_iter``, divergence, Ctrl-C or a
    callback; returns the ``Outcome``.

    On divergence, and on Ctrl-C or an error in the middle of an epoch, the
    parameters, the optimizer state and the history of the start of that
    epoch are restored: the model is always that of the epochs counted in
    ``history.n_iter``. With early stopping the best parameters seen are put
    back at the end.

    With ``plan.averaging``, the model is the moving average of the weights
    (``WeightAverage``): each epoch is scored, kept as the best and shown to
    the callbacks as its average, and the average is what the call leaves;
    the steps go on from the weights themselves.
    """
    if plan.averaging is not None:
        trainer.average = WeightAverage(trainer.params, trainer.n_lazy, plan.averaging)
    if trainer.lazy:
        tables = trainer.objective.network.views.tables
        trainer.tracker = TableTracker(
            [[table, *optimizer.table_state(j)] for j, table in enumerate(tables)])
        monitor.best = BestParameters(trainer.tracker, trainer.n_lazy)
    outcome = Outcome(StopReason.MAX_ITER)
    for _ in range(plan.max_iter):
        reason = train_epoch(trainer, optimizer, monitor, plan)
        if reason is None and plan.incremental:
            reason = StopReason.EPOCH_DONE
        if reason is not None:
            outcome = Outcome(reason)
            break
    if trainer.average is not None:
        trainer.average.swap(trainer.params)
        trainer.average = None
    monitor.restore_best(trainer.params)
    return outcome


def train_epoch(trainer, optimizer, monitor, plan):
    """One epoch, recorded; rolled back if it diverges, is interrupted or fails.

    Returns the reason to stop after it, or None.
    """
    params, history = trainer.params, monitor.history
    average = trainer.average
    snapshot = (params[trainer.n_lazy :].copy(), optimizer.get_state(), history.checkpoint(),
                None if average is None else average.save())
    if trainer.tracker is not None:
        trainer.tracker.begin_epoch()
    try:
        monitor.epoch_begin()
        order = plan.order.next()
        loss = run_epoch(trainer, optimizer, order, plan.batch_size)
        if np.isfinite(loss) and _finite(trainer):
            history.t += len(order)
            if average is None:
                return monitor.epoch_end(loss, params, optimizer)
            average.swap(params)  # the epoch's model is the average
            try:
                return monitor.epoch_end(loss, params, optimizer)
            finally:
                average.swap(params)
        reason = StopReason.DIVERGED
    except KeyboardInterrupt:
        # a half-done epoch (or a half-done optimizer step) is not a model of
        # any number of epochs: go back to the last whole one
        reason = StopReason.INTERRUPTED
    except BaseException:
        _restore(trainer, optimizer, monitor, snapshot)
        raise
    _restore(trainer, optimizer, monitor, snapshot)
    return reason


def _finite(trainer):
    """Whether the parameters are finite: the dense part and the table rows
    the epoch touched (the others have not changed)."""
    dense = np.isfinite(trainer.params[trainer.n_lazy :]).all()
    return dense and (trainer.tracker is None or trainer.tracker.touched_are_finite())


def _restore(trainer, optimizer, monitor, snapshot):
    saved_params, saved_optimizer, saved_history, average_steps = snapshot
    trainer.params[trainer.n_lazy :] = saved_params
    if average_steps is not None:
        trainer.average.roll_back(average_steps)
    if trainer.tracker is not None:
        trainer.tracker.roll_back()
    optimizer.set_state(saved_optimizer)
    monitor.history.roll_back(saved_history)


# --------------------------------------------------------------------------
# L-BFGS
# --------------------------------------------------------------------------
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


def fit_lbfgs(trainer, monitor, options):
    """L-BFGS-B (scipy) on the flat parameter vector; returns the ``Outcome``.

    Each iteration is one epoch for the monitor (``loss_curve`` gets one entry
    per iteration; the epoch opens with the iteration's first evaluation).
    On divergence or Ctrl-C the parameters of the last accepted iteration
    are restored (a line search's trial point is no model of any iteration).
    """
    params = trainer.params
    accepted = params.copy()
    run = _LbfgsRun(trainer, monitor, accepted)
    try:
        result = scipy.optimize.minimize(
            run.objective, params.astype(np.float64), method="L-BFGS-B", jac=True,
            callback=run.iteration_end, options=options,
        )
    except KeyboardInterrupt:
        result = None
    except BaseException:
        params[...] = accepted
        raise
    finally:
        monitor.history.t += len(trainer.data.rows) * run.n_evaluations
    outcome = _lbfgs_outcome(result, run.stop_reason, params)
    if outcome.reason in (StopReason.INTERRUPTED, StopReason.DIVERGED):
        params[...] = accepted
    monitor.restore_best(params)
    return outcome


class _LbfgsRun:
    """The objective and the per-iteration callback scipy calls."""

    def __init__(self, trainer, monitor, accepted):
        self.trainer, self.monitor, self.accepted = trainer, monitor, accepted
        self.grad = np.empty_like(trainer.params)
        self.n_evaluations = 0
        self.stop_reason = None

    def objective(self, x):
        self.monitor.epoch_begin()
        self.n_evaluations += 1
        params = self.trainer.params
        params[...] = x
        loss = full_loss_and_gradient(self.trainer, self.grad)
        return loss, self.grad.astype(np.float64)

    def iteration_end(self, intermediate_result):
        loss = float(intermediate_result.fun)
        if not (np.isfinite(loss) and np.isfinite(intermediate_result.x).all()):
            self.stop_reason = StopReason.DIVERGED  # not accepted: no model of any iteration
            raise StopIteration
        params = self.trainer.params
        params[...] = intermediate_result.x
        self.accepted[...] = params
        self.stop_reason = self.monitor.epoch_end(loss, params)
        if self.stop_reason is not None:
            raise StopIteration


def _lbfgs_outcome(result, stop_reason, params):
    """The ``Outcome`` of scipy's result (None after Ctrl-C)."""
    if result is None:
        return Outcome(StopReason.INTERRUPTED)
    if stop_reason is not None:  # the monitor stopped it from the callback
        return Outcome(stop_reason)
    params[...] = result.x
    if not (np.isfinite(params).all() and np.isfinite(result.fun)):
        return Outcome(StopReason.DIVERGED)
    if result.status == 0:
        return Outcome(StopReason.CONVERGED)
    reason = StopReason.MAX_ITER if result.status == 1 else StopReason.LBFGS_FAILED
    return Outcome(reason, f"(status={result.status}): {result.message}")
