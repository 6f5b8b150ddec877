"""Every reason training ends, the record of training, and early stopping.

Both training loops (``_training.fit_stochastic`` and ``fit_lbfgs``) report
each finished epoch (an iteration, for L-BFGS) to a :class:`Monitor`, which
records it in the :class:`History`, scores the validation data, applies the
early-stopping rule (:class:`StoppingRule`), keeps the best parameters
(:class:`BestParameters`) and asks the fit callbacks whether to go on. Every
way training can end is a :class:`StopReason`, returned in an
:class:`Outcome`: stopping is a returned value, never an exception, and
nothing here prints or warns (progress goes to the ``report`` callable the
caller passes in).

This is the math layer: it never sees an estimator.
"""

import copy
import enum
from dataclasses import dataclass, field

import numpy as np

from ._tables import split_tables


class StopReason(enum.Enum):
    """Why training ended."""

    CONVERGED = "converged"  # progress stalled, or L-BFGS met its tolerance
    MAX_ITER = "max_iter"  # max_iter epochs, or L-BFGS's iteration/evaluation limit
    LBFGS_FAILED = "lbfgs_failed"  # L-BFGS stopped abnormally (its line search failed)
    DIVERGED = "diverged"  # a non-finite loss or parameter: rolled back
    INTERRUPTED = "interrupted"  # Ctrl-C: rolled back to the last whole epoch
    CALLBACK = "callback"  # a fit callback asked to stop
    EPOCH_DONE = "epoch_done"  # partial_fit's one epoch


@dataclass(frozen=True)
class Outcome:
    """How training ended: the reason, and the solver's own words, if any."""

    reason: StopReason
    detail: str = ""


# --------------------------------------------------------------------------
# the record of training and the early-stopping rule
# --------------------------------------------------------------------------
@dataclass
class History:
    """What training has done, across epochs and calls (kept by the estimator)."""

    n_iter: int = 0
    t: int = 0
    loss_curve: list = field(default_factory=list)
    validation_scores: list = None
    best_loss: float = np.inf
    best_validation_score: float = -np.inf
    no_improvement_count: int = 0
    max_iter: int = None  # the last call's budget of epochs (max_iter="auto" resolved)

    def copy(self):
        return copy.deepcopy(self)

    def checkpoint(self):
        """The record as it stands, for ``roll_back``: the numbers, and the
        lengths of the curves, which only grow; saved every epoch, it does
        not copy curves as long as the epochs so far."""
        saved = dict(vars(self))
        saved["curve_lengths"] = {name: len(value) for name, value in vars(self).items()
                                  if isinstance(value, list)}
        return saved

    def roll_back(self, checkpoint):
        """Back to ``checkpoint``: the curves cut to their lengths then."""
        saved = dict(checkpoint)
        for name, length in saved.pop("curve_lengths").items():
            del saved[name][length:]
        vars(self).update(saved)


@dataclass(frozen=True)
class StoppingRule:
    """When progress has stalled: ``n_iter_no_change`` epochs in a row without
    an improvement of more than ``tol``, in the validation score when
    ``use_validation`` and in the training loss otherwise."""

    tol: float
    n_iter_no_change: float
    use_validation: bool


class Monitor:
    """Everything that watches training from outside the math.

    Parameters
    ----------
    history : History
        Updated in place at the end of every epoch.
    rule : StoppingRule
    score : callable, default=None
        ``score()`` is the validation score of the current parameters (called
        once per epoch), or None without validation data.
    report : callable, default=None
        ``report(message)`` shows progress (``verbose``).
    hooks : object, default=None
        ``hooks.epoch_begin()`` and ``hooks.epoch_end()`` (true to stop) frame
        each epoch: the fit callbacks.
    """

    def __init__(self, history, rule, *, score=None, report=None, hooks=None):
        self.history = history
        self.rule = rule
        self._score = score or (lambda: None)
        self.report = report or (lambda message: None)
        self._hooks = hooks
        self._open = False
        self.best = BestParameters()

    def epoch_begin(self):
        """Open an epoch for the callbacks (once, until it ends)."""
        if not self._open and self._hooks is not None:
            self._hooks.epoch_begin()
        self._open = True

    def epoch_end(self, loss, params, optimizer=None):
        """Record a finished epoch; the reason to stop now, or None.

        ``optimizer`` (stochastic solvers) moves its schedule at each epoch's
        end and decides what a stall means (stop, or a smaller step).
        """
        history = self.history
        history.n_iter += 1
        self.report("Iteration %d, loss = %.8f" % (history.n_iter, loss))
        score = self._score()
        if score is not None:
            self.report("Validation score: %f" % score)
        stalled = self._record(loss, score, params)
        if optimizer is not None:
            optimizer.iteration_ends(history.t)
        self._open = False
        if self._hooks is not None and self._hooks.epoch_end():
            return StopReason.CALLBACK
        if stalled:
            return self._stalled(optimizer)
        return None

    def _record(self, loss, score, params):
        """Append an epoch's results; return whether progress has stalled.

        The comparisons are scikit-learn's, NaN included: a NaN validation
        score counts as progress, never as the best score.
        """
        history, rule = self.history, self.rule
        history.loss_curve.append(loss)
        if score is not None:
            if history.validation_scores is None:
                history.validation_scores = []
            history.validation_scores.append(score)
        if rule.use_validation:
            improved = not score < history.best_validation_score + rule.tol
        else:
            if history.best_loss is None:  # the last call stopped on validation
                history.best_loss = np.inf
            improved = not loss > history.best_loss - rule.tol
            history.best_loss = min(history.best_loss, loss)
        if score is not None and score > history.best_validation_score:
            history.best_validation_score = score
            if rule.use_validation:
                self.best.save(params)
        history.no_improvement_count = 0 if improved else history.no_improvement_count + 1
        return history.no_improvement_count > rule.n_iter_no_change

    def _stalled(self, optimizer):
        if optimizer is None:  # L-BFGS stops on a stalled validation score only
            return StopReason.CONVERGED if self.rule.use_validation else None
        stop, note = optimizer.trigger_stopping()
        what = "Validation score" if self.rule.use_validation else "Training loss"
        self.report("%s did not improve more than tol=%g for %d consecutive epochs. %s" % (
            what, self.rule.tol, self.rule.n_iter_no_change, note))
        if stop:
            return StopReason.CONVERGED
        self.history.no_improvement_count = 0
        return None

    def restore_best(self, params):
        """With early stopping, put the best parameters seen back in place."""
        if self.rule.use_validation:
            self.best.restore(params)


class BestParameters:
    """The parameters of the best epoch so far.

    Without lazily trained tables, each ``save`` copies the vector. With
    them (a ``TableTracker``), the first ``save`` copies the vector and each
    later one only the dense part and the table rows touched since the last
    save, so that keeping the best epoch does not cost what the tables hold.
    """

    def __init__(self, tracker=None, n_lazy=0):
        self.tracker, self.n_lazy = tracker, n_lazy
        self.copy = None
        self.epoch = None

    def save(self, params):
        if self.copy is None or self.tracker is None:
            self.copy = params.copy()
        else:
            self._bring(params, self.copy)
        self.epoch = None if self.tracker is None else self.tracker.epoch

    def restore(self, params):
        if self.copy is None:
            return
        if self.tracker is None:
            params[...] = self.copy
        else:
            self._bring(self.copy, params)

    def _bring(self, source, target):
        """Copy what changed since the saved epoch from ``source`` to ``target``."""
        target[self.n_lazy :] = source[self.n_lazy :]
        shapes = [arrays[0].shape for arrays in self.tracker.arrays]
        for table, (source_table, target_table) in enumerate(zip(
                split_tables(source, shapes), split_tables(target, shapes))):
            rows = self.tracker.changed_since(table, self.epoch)
            target_table[rows] = source_table[rows]
