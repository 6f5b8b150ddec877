"""Shared estimator logic: validation, fit, partial_fit, transform and embed.

The regressor and the classifier differ only in how they encode the target,
their output activation and loss, and how they turn the network's output into
predictions (``_encode_target``, ``_loss_for``, ``_decode_output``,
``_validation_metric``). Everything else is written once here.
"""

import copy
import warnings
from numbers import Integral, Real
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    _check_sample_weight,
    _check_y,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)
from threadpoolctl import threadpool_limits

from ._activations import ACTIVATIONS
from ._categorical import _as_frame, check_numeric_frame, fit_spec
from ._losses import OUTPUT_ACTIVATION_OF
from ._network import Layout, Regularization, Workspace, embed_inputs, forward, init_params
from ._optimizers import SGD, Adam
from ._training import (
    DIVERGED,
    INTERRUPTED,
    MAX_ITER,
    BatchTrainer,
    Data,
    History,
    Model,
    Plan,
    fit_lbfgs,
    fit_stochastic,
)
from .exceptions import DivergenceWarning

try:  # scikit-learn >= 1.9: fit callbacks (ProgressBar, ScoringMonitor, ...)
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # pragma: no cover - older scikit-learn has no callback API

    class CallbackSupportMixin:
        """Stand-in: this scikit-learn has no ``sklearn.callback``."""

_STOCHASTIC_SOLVERS = ("sgd", "adam")
# What scikit-learn's input checks set on the estimator (validate_data with
# reset=True) before fit gets to train: put back if the fit then fails.
_INPUT_ATTRIBUTES = ("n_features_in_", "feature_names_in_")
# Rows per forward pass at predict time, and per chunk of the full-batch
# L-BFGS objective: large enough for efficient matrix products, small enough
# that the activations stay in cache-friendly, reused buffers.
_CHUNK_ROWS = 4096


class Inputs(NamedTuple):
    """Validated input: the numeric block and the category codes (or None)."""

    X: np.ndarray
    codes: np.ndarray = None

    def __len__(self):
        return self.X.shape[0]


def _is_frame(X):
    return hasattr(X, "columns") and hasattr(X, "dtypes")


# The parameters both estimators share, documented once; each estimator's
# docstring adds its own (``loss``/``target_scaling``, ``class_weight``).
PARAMETERS_DOC = """\
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        Width of each hidden layer.
    activation : {"relu", "identity", "tanh", "logistic", "leaky_relu", "gelu"}, \
default="relu"
        Non-linearity of the hidden layers. ``"leaky_relu"`` has slope 0.01
        below zero; ``"gelu"`` is the tanh approximation
        ``0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))``.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        ``"lbfgs"`` runs scipy's L-BFGS-B on the whole data; the others run
        mini-batches.
    alpha : float, default=0.0001
        Strength of the L2 penalty on the weights (and embedding tables),
        divided by the sample size when added to the loss.
    batch_size : int or "auto", default="auto"
        Mini-batch size of the stochastic solvers; ``"auto"`` is
        ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``.
    learning_rate_init : float, default=0.001
        Initial step size of the stochastic solvers.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (lbfgs).
    shuffle : bool, default=True
        Whether to shuffle the samples each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, the validation split, shuffling and
        dropout. An int gives identical results on every run.
    tol : float, default=1e-4
        Improvement below which an epoch counts as no progress.
    verbose : bool, default=False
        Print the loss (and validation score) of every epoch.
    warm_start : bool, default=False
        Start ``fit`` from the previous solution.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``.
    nesterovs_momentum : bool, default=True
        Whether ``solver="sgd"`` uses Nesterov's momentum.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (or use ``X_val``),
        stop when its {metric} stalls for ``n_iter_no_change`` epochs, and keep the
        best parameters seen.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates.
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Epochs without progress before stopping.
    max_fun : int, default=15000
        Maximum number of loss evaluations of ``solver="lbfgs"``.
    embedding_layer : int, default=-1
        The hidden layer that ``transform`` returns (0-based, negative from
        the end).
    embedding_output : {"activation", "pre_activation"}, default="activation"
        ``transform`` returns the layer's activations, or its linear
        combination ``z`` before the non-linearity.
    categorical_features : "from_dtype", array-like or None, default="from_dtype"
        Columns to learn through embedding lookup tables: ``"from_dtype"``
        (a DataFrame's ``category``, ``object``, ``string`` and ``bool``
        columns), a list of column names or indices, a boolean mask, or
        ``None``. A text column picked by its dtype whose values are numbers
        with some stray strings (what ``read_csv`` makes of a numeric column
        with a ``"?"``) raises a ``ValueError``: declare it categorical
        explicitly if it is one.
    embedding_dims : "auto", int or dict, default="auto"
        Width of each categorical embedding: ``"auto"`` gives a column of
        ``n`` categories ``min(50, round(1.6 * n ** 0.56))`` dimensions (2 for
        2 categories, 6 for 10, 21 for 100, 50 from 459 on); an int gives
        every column that width; a dict maps column names to widths (columns
        it leaves out get ``"auto"``).
    dropout : float, default=0.0
        Inverted-dropout rate on the hidden activations while training.
    activity_l1 : float, default=0.0
        L1 penalty on the hidden activations, for sparse, specialised
        detectors.
    dtype : {"float32", "float64"} or None, default=None
        Compute precision. ``None`` follows the data (float32 stays float32,
        anything else becomes float64). ``"float32"`` is the fast choice.
"""


def resolve_layer(n_hidden, layer, accept=()):
    """Where ``layer`` points in a network of ``n_hidden`` hidden layers.

    An int is a hidden layer (0-based, negative from the end) and gives its
    index; ``"output"`` gives ``n_hidden`` and ``"input"`` itself, when listed
    in ``accept``. Anything else raises a ValueError or TypeError that says
    what would be accepted. Shared by ``embed``, the inspection functions and
    the displays, so that a layer means the same everywhere.
    """
    words = "an int (hidden layer)" + "".join(f", {word!r}" for word in accept)
    if isinstance(layer, str):
        if layer in accept:
            return n_hidden if layer == "output" else layer
        raise ValueError(f"layer={layer!r} is not understood: use {words}.")
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, Integral):
        raise TypeError(f"layer must be {words}, got {type(layer).__name__}.")
    if n_hidden == 0:
        raise ValueError("This network has no hidden layer: hidden_layer_sizes=().")
    if not -n_hidden <= layer < n_hidden:
        raise ValueError(
            f"layer={layer} is out of range for {n_hidden} hidden layer(s): use an "
            f"index in [{-n_hidden}, {n_hidden - 1}]."
        )
    return int(layer) % n_hidden


def _check_solver(est):
    return est.solver in _STOCHASTIC_SOLVERS


def _one_blas_thread():
    """Training runs BLAS on one thread.

    A mini-batch's products are too small to gain from threads, and numpy and
    scipy each load their own OpenBLAS (scipy's serves L-BFGS and the bias
    updates): on a few cores their idle threads spin against each other, and
    a fit with two-thread pools ran 10-30x slower than on one thread.
    """
    return threadpool_limits(1, user_api="blas")


def _quiet_overflow():
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


@dataclass
class _FitJob:
    """Everything one fit/partial_fit call trains on, validated."""

    inputs: Inputs
    y: np.ndarray  # encoded, (n, n_outputs)
    sample_weight: np.ndarray
    validation: tuple  # (Inputs, y, sample_weight) given by the user, or None
    rng: np.random.RandomState
    incremental: bool
    callbacks: tuple = (None, None, None)  # (root context, X as given, y as given)


class _Hooks:
    """What the training loop may call back: progress, validation, callbacks.

    ``epoch_begin``/``epoch_end`` open and close one subtask per epoch of
    scikit-learn's callback context (``sklearn.callback``, 1.9+), so that
    ``ProgressBar`` and ``ScoringMonitor`` follow training and may stop it.
    """

    def __init__(self, verbose, validation_score, estimator=None, callback_ctx=None,
                 fitted_state=None, data=(None, None)):
        self.report = print if verbose else (lambda message: None)
        self.validation_score = validation_score
        self._estimator = estimator
        self._X, self._y = data
        self._ctx = callback_ctx
        self._fitted_state = fitted_state
        self._epoch = None

    def epoch_begin(self):
        if self._ctx is not None:
            self._epoch = self._ctx.subcontext(task_name="epoch")
            self._epoch.call_on_fit_task_begin(estimator=self._estimator, X=self._X, y=self._y)

    def epoch_end(self):
        """Close the epoch's subtask; True when a callback asks to stop."""
        if self._epoch is None:
            return False
        epoch, self._epoch = self._epoch, None
        return bool(epoch.call_on_fit_task_end(
            estimator=self._estimator, X=self._X, y=self._y,
            reconstruction_attributes=self._fitted_state,
        ))


class BaseEmbeddingMLP(CallbackSupportMixin, TransformerMixin, BaseEstimator):
    """Base class of the embedding MLPs. Not to be used directly."""

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "embedding_layer": [Integral],
        "embedding_output": [StrOptions({"activation", "pre_activation"})],
        "categorical_features": [
            StrOptions({"from_dtype"}), "array-like", None,
        ],
        "embedding_dims": [
            StrOptions({"auto"}), Interval(Integral, 1, None, closed="left"), dict,
        ],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "activity_l1": [Interval(Real, 0, None, closed="left")],
        "dtype": [StrOptions({"float32", "float64"}), None],
    }

    # ------------------------------------------------------------------
    # fitted parameters: views into one flat vector
    # ------------------------------------------------------------------
    @property
    def coefs_(self):
        """list of ndarray: weight matrix of each layer, ``(fan_in, fan_out)``.

        The arrays are views into the estimator's single parameter vector:
        editing them in place edits the network.
        """
        return self._views()[1]

    @coefs_.setter
    def coefs_(self, values):
        self._assign_views(1, values, "coefs_")

    @property
    def intercepts_(self):
        """list of ndarray: bias vector of each layer, ``(fan_out,)``."""
        return self._views()[2]

    @intercepts_.setter
    def intercepts_(self, values):
        self._assign_views(2, values, "intercepts_")

    @property
    def categorical_embeddings_(self):
        """dict: the learned vector of every category, per categorical column.

        Column name -> DataFrame indexed by the categories seen in training,
        then the reserved ``"<unknown>"`` and ``"<missing>"`` rows (underscores
        are prepended if a real category already has that name), one column per
        embedding dimension. A snapshot: editing it does not edit the network.
        """
        tables = self._views()[0]
        spec = self.__dict__.get("_categorical")
        if spec is None:
            return {}
        return {
            name: pd.DataFrame(
                table.copy(), index=spec.table_index(j),
                columns=[f"{name}_{k}" for k in range(table.shape[1])],
            )
            for j, (name, table) in enumerate(zip(spec.names, tables))
        }

    def _views(self):
        try:
            params = self.__dict__["_params"]
        except KeyError:
            raise AttributeError(
                f"This {type(self).__name__} has no fitted parameters yet; call fit."
            ) from None
        return self._layout.split(params)

    def _assign_views(self, which, values, name):
        current = self._views()[which]
        if len(values) != len(current):
            raise ValueError(f"{name} needs {len(current)} arrays, got {len(values)}.")
        new = [np.asarray(v, dtype=self._params.dtype) for v in values]
        for old, value in zip(current, new):
            if old.shape != value.shape:
                raise ValueError(
                    f"{name}: expected an array of shape {old.shape}, got {value.shape}."
                )
        for old, value in zip(current, new):
            old[...] = value

    # ------------------------------------------------------------------
    # fit / partial_fit
    # ------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, sample_weight_val=None):
        """Fit the model to data X and target y.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the loss.
        X_val, y_val : array-like, default=None
            A validation set. When given, it replaces the internal
            ``validation_fraction`` split: every epoch is scored on it
            (``validation_scores_``), and with ``early_stopping=True`` training
            stops when the score stalls and keeps the best parameters.
        sample_weight_val : array-like of shape (n_val_samples,), default=None
            Weights of the validation samples.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(
            X, y, sample_weight, validation=(X_val, y_val, sample_weight_val),
            incremental=False,
        )

    @available_if(_check_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with one epoch over the given data.

        Only for the stochastic solvers (``"sgd"``, ``"adam"``). The optimizer's
        state is kept between calls, so data that does not fit in memory can be
        learned chunk by chunk.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the loss.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, validation=None, incremental=True)

    def _fit(self, X, y, sample_weight, validation, incremental, classes=None):
        """Validate everything, train a copy of the state, then commit it.

        A fit that raises before the commit leaves the estimator exactly as it
        was: training works on a copy, and the only attributes set earlier
        (the input checks' ``n_features_in_``/``feature_names_in_``) are put back.
        """
        seen = {name: self.__dict__[name] for name in _INPUT_ATTRIBUTES if name in self.__dict__}
        try:
            state, outcome, callback_ctx = self._train_copy(
                X, y, sample_weight, validation, incremental, classes
            )
        except BaseException:
            for name in _INPUT_ATTRIBUTES:
                if name in seen:
                    setattr(self, name, seen[name])
                else:
                    self.__dict__.pop(name, None)
            raise
        self._commit(state, outcome)
        if callback_ctx is not None:
            callback_ctx.call_on_fit_task_end(
                estimator=self, X=X, y=y, reconstruction_attributes={}
            )
        return self

    def _train_copy(self, X, y, sample_weight, validation, incremental, classes):
        """The trained working copy of the state, why training ended, and the
        callback context; the estimator's own state is not touched."""
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True.")
        first_pass = not hasattr(self, "_params") or not (self.warm_start or incremental)
        hidden = self._hidden_layer_sizes()
        inputs, spec, y, sample_weight = self._validate_fit_data(X, y, sample_weight, first_pass)
        dtype = inputs.X.dtype
        sample_weight = self._fit_sample_weight(y, sample_weight, incremental)
        y_enc, target_state = self._encode_target(
            y, dtype, first_pass, incremental, classes, sample_weight
        )
        val = self._prepare_validation(validation, dtype.type, spec)
        rng = check_random_state(self.random_state)
        if first_pass:
            state = self._initial_state(inputs, spec, y_enc, hidden, target_state, rng)
        else:
            state = self._continued_state(y_enc, incremental)
        state.update(target_state)
        callback_ctx = self._begin_callbacks(X, y, incremental)
        job = _FitJob(inputs, y_enc, sample_weight, val, rng, incremental, (callback_ctx, X, y))
        return state, self._train(state, job), callback_ctx

    def _begin_callbacks(self, X, y, incremental):
        """The root callback context of this fit (None without callback support)."""
        if not hasattr(self, "_init_callback_context"):
            return None
        ctx = self._init_callback_context(max_subtasks=1 if incremental else self.max_iter)
        ctx.call_on_fit_task_begin(estimator=self, X=X, y=y)
        return ctx

    def _hidden_layer_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if np.iterable(sizes) else [sizes]
        if any(not isinstance(s, Integral) or s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {sizes}.")
        n_hidden = len(sizes)
        if n_hidden and not -n_hidden <= self.embedding_layer < n_hidden:
            raise ValueError(
                f"embedding_layer={self.embedding_layer} is out of range for "
                f"{n_hidden} hidden layer(s): use an index in "
                f"[{-n_hidden}, {n_hidden - 1}]."
            )
        return [int(s) for s in sizes]

    def _compute_dtype(self, reset):
        if not reset:
            return self._params.dtype.type
        if self.dtype is None:
            return (np.float64, np.float32)
        return np.dtype(self.dtype).type

    def _validate_X(self, X, reset=False, dtype=None, spec=None):
        """Validated ``Inputs`` of X and the categorical spec in force.

        Checks the number and names of the columns like every scikit-learn
        estimator; the categorical columns (see ``categorical_features``)
        become integer codes, the others the numeric block in the compute
        dtype. On ``reset`` the spec is learned from X, otherwise ``spec``
        (default: the fitted one) is applied.
        """
        dtype = self._compute_dtype(reset) if dtype is None else dtype
        if reset:
            spec = fit_spec(X, self.categorical_features, self.embedding_dims)
        elif spec is None:
            spec = getattr(self, "_categorical", None)
        if spec is None:
            if _is_frame(X):
                validate_data(self, X, reset=reset, skip_check_array=True)
                X = check_numeric_frame(_as_frame(X), dtype, estimator=self)
            else:
                X = validate_data(self, X, reset=reset, dtype=dtype, order="C")
            return Inputs(X), None
        validate_data(self, X, reset=reset, skip_check_array=True)
        if isinstance(dtype, tuple):
            dtype = dtype if spec.numeric else dtype[0]
        numeric, codes = spec.transform(X, dtype)
        if numeric.shape[0] < 1:
            raise ValueError(
                f"Found array with 0 sample(s) (shape={numeric.shape}) while a minimum "
                "of 1 is required."
            )
        return Inputs(numeric, codes), spec

    def _validate_fit_data(self, X, y, sample_weight, reset):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        inputs, spec = self._validate_X(X, reset=reset)
        y = _check_y(y, multi_output=True, y_numeric=not self._is_classifier(), estimator=self)
        check_consistent_length(inputs.X, y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, inputs.X, dtype=inputs.X.dtype, ensure_non_negative=True
            )
            if not sample_weight.sum() > 0:
                raise ValueError("sample_weight sums to zero: no sample would be learned.")
        return inputs, spec, y, sample_weight

    def _is_classifier(self):
        return is_classifier(self)

    def _fit_sample_weight(self, y, sample_weight, incremental):
        """Hook: the classifier folds class weights into the sample weights."""
        return sample_weight

    def _prepare_validation(self, validation, dtype, spec):
        """The user's validation set, validated like X, or None."""
        if validation is None:
            return None
        X_val, y_val, sw_val = validation
        if X_val is None and y_val is None:
            if sw_val is not None:
                raise ValueError("sample_weight_val is given without X_val and y_val.")
            return None
        if X_val is None or y_val is None:
            raise ValueError("X_val and y_val must be given together.")
        X_val, _ = self._validate_X(X_val, reset=False, dtype=dtype, spec=spec)
        y_val = np.asarray(y_val)
        if y_val.ndim == 2 and y_val.shape[1] == 1:
            y_val = y_val.ravel()
        if len(y_val) != len(X_val):
            raise ValueError(f"X_val has {len(X_val)} rows but y_val has {len(y_val)}.")
        if sw_val is not None:
            sw_val = _check_sample_weight(
                sw_val, X_val.X, dtype=X_val.X.dtype, ensure_non_negative=True
            )
        return X_val, y_val, sw_val

    def _initial_state(self, inputs, spec, y, hidden, target_state, rng):
        n_outputs = y.shape[1]
        loss = self._loss_for(target_state)
        out_activation = OUTPUT_ACTIVATION_OF[loss]
        n_numeric = inputs.X.shape[1]
        if spec is None:
            layout = Layout((n_numeric, *hidden, n_outputs))
        else:
            width = n_numeric + sum(spec.dims)
            layout = Layout((width, *hidden, n_outputs), spec.table_shapes, n_numeric)
        params = init_params(layout, self.activation, inputs.X.dtype, rng)
        return {
            "_categorical": spec,
            "_layout": layout,
            "_params": params,
            "out_activation_": out_activation,
            "_loss_name": loss,
            "_optimizer": None,
            "_history": self._new_history(),
        }

    def _new_history(self):
        return History(
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            use_validation=self.early_stopping,
            validation_scores=[] if self.early_stopping else None,
            best_loss=None if self.early_stopping else np.inf,
        )

    def _continued_state(self, y, incremental):
        if y.shape[1] != self._layout.layer_sizes[-1]:
            raise ValueError(
                f"y has {y.shape[1]} output(s) but the fitted network has "
                f"{self._layout.layer_sizes[-1]}; set warm_start=False to refit."
            )
        history = copy.deepcopy(self._history)
        if not incremental:
            history.tol, history.n_iter_no_change = self.tol, self.n_iter_no_change
            history.use_validation = self.early_stopping
            history.no_improvement_count = 0
            history.best_loss = None if self.early_stopping else np.inf
            history.best_validation_score = -np.inf
            history.validation_scores = [] if self.early_stopping else None
            history.loss_curve = []
            history.n_iter = 0
        return {
            "_categorical": getattr(self, "_categorical", None),
            "_layout": self._layout,
            "_params": self._params.copy(),
            "out_activation_": self.out_activation_,
            "_loss_name": self._loss_name,
            # sklearn keeps the optimizer between partial_fit calls only
            "_optimizer": copy.deepcopy(self._optimizer) if incremental else None,
            "_history": history,
        }

    def _make_optimizer(self, n_params, dtype):
        if self.solver == "adam":
            return Adam(n_params, dtype, self.learning_rate_init, self.beta_1,
                        self.beta_2, self.epsilon)
        return SGD(n_params, dtype, self.learning_rate_init, self.learning_rate,
                   self.momentum, self.nesterovs_momentum, self.power_t)

    def _train(self, state, job):
        """Run the solver on ``state`` (a working copy); return why it ended."""
        gen = np.random.default_rng(job.rng.randint(np.iinfo(np.int32).max))
        rows, scorer = self._split_rows(state, job)
        model = Model(
            state["_layout"], self.activation, state["out_activation_"],
            state["_loss_name"], float(self.alpha), state["_params"],
            Regularization(float(self.dropout), float(self.activity_l1), gen),
        )
        data = Data(job.inputs.X, job.y, rows, job.sample_weight, job.inputs.codes)
        history = state["_history"]
        if scorer is not None and history.validation_scores is None:
            history.validation_scores = []
        callback_ctx, X_raw, y_raw = job.callbacks
        hooks = _Hooks(self.verbose, scorer or (lambda: None), self, callback_ctx,
                       lambda: self._fitted_attributes(state), (X_raw, y_raw))
        if self.solver == "lbfgs":
            capacity = min(len(rows), _CHUNK_ROWS)
            trainer = BatchTrainer(model, data, capacity)
            options = {"maxiter": self.max_iter, "maxfun": self.max_fun, "gtol": self.tol}
            # overflow is detected and reported as divergence, not as numpy noise
            with _one_blas_thread(), _quiet_overflow():
                return fit_lbfgs(trainer, history, options, hooks)
        batch_size = self._batch_size(len(rows))
        if state["_optimizer"] is None:
            state["_optimizer"] = self._make_optimizer(model.params.size, model.params.dtype)
        trainer = BatchTrainer(model, data, batch_size)
        plan = Plan(self.max_iter, batch_size, self.shuffle, gen, job.incremental)
        with _one_blas_thread(), _quiet_overflow():
            return fit_stochastic(trainer, state["_optimizer"], history, plan, hooks)

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                f"batch_size={self.batch_size} is larger than the {n_samples} "
                "training samples; it is clipped to the number of samples."
            )
        return int(min(self.batch_size, n_samples))

    def _split_rows(self, state, job):
        """Training rows and a validation scorer (or None), by index."""
        inputs, y, sample_weight = job.inputs, job.y, job.sample_weight
        all_rows = np.arange(len(inputs))
        if job.validation is not None:
            Xv, yv, swv = job.validation
            return all_rows, lambda: self._score_on(state, Xv, None, yv, swv)
        if not self.early_stopping or job.incremental:
            return all_rows, None
        stratify = y if (self._is_classifier() and y.shape[1] == 1) else None
        if stratify is not None:
            stratify = stratify[:, 0]
        train_rows, val_rows = train_test_split(
            all_rows, random_state=job.rng, test_size=self.validation_fraction,
            stratify=stratify,
        )
        if len(val_rows) < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' "
                "or the size of your dataset."
            )
        train_rows.sort()
        val_rows.sort()
        y_true = self._decode_output(y[val_rows], state)
        sw_val = sample_weight[val_rows] if sample_weight is not None else None
        return train_rows, lambda: self._score_on(state, inputs, val_rows, y_true, sw_val)

    def _score_on(self, state, inputs, rows, y_true, sample_weight):
        """Validation metric of the parameters in ``state`` on ``inputs[rows]``."""
        output = _infer(state, self.activation, inputs, rows, None, "activation")
        if not np.isfinite(output).all():
            return -np.inf
        y_pred = self._decode_output(output, state)
        return float(self._validation_metric(y_true, y_pred, sample_weight))

    def _fitted_attributes(self, state):
        """What a copy of this estimator needs to predict with ``state``'s
        current parameters (the callbacks' ``reconstruction_attributes``)."""
        attributes = {k: v for k, v in state.items() if k not in ("_optimizer", "_history")}
        attributes["_params"] = state["_params"].copy()
        sizes = state["_layout"].layer_sizes
        attributes.update(n_layers_=len(sizes), n_outputs_=sizes[-1], layer_sizes_=list(sizes))
        return attributes

    def _commit(self, state, outcome):
        """Publish the trained state as fitted attributes; warn on how it ended."""
        history = state["_history"]
        if self.early_stopping and history.best_params is not None:
            state["_params"][...] = history.best_params
            history.best_params = None
        for name, value in state.items():
            setattr(self, name, value)
        sizes = self._layout.layer_sizes
        self.n_layers_ = len(sizes)
        self.n_outputs_ = sizes[-1]
        self.layer_sizes_ = list(sizes)
        self.n_iter_ = history.n_iter
        self.t_ = history.t
        self.loss_curve_ = list(history.loss_curve)
        self.loss_ = self.loss_curve_[-1] if self.loss_curve_ else np.nan
        self.best_loss_ = history.best_loss
        self.validation_scores_ = (
            list(history.validation_scores) if history.validation_scores is not None else None
        )
        self.best_validation_score_ = (
            history.best_validation_score if self.validation_scores_ else None
        )
        if self.validation_scores_ and not self.early_stopping:
            self.best_validation_score_ = max(self.validation_scores_)
        self._warn_outcome(outcome)

    def _warn_outcome(self, outcome):
        if outcome == DIVERGED:
            last = ("the last accepted iteration" if self.solver == "lbfgs"
                    else "the start of the failing epoch")
            warnings.warn(
                "Training diverged: the loss became non-finite. Training stopped and "
                f"the estimator keeps the last finite parameters (from {last}; "
                f"n_iter_={self.n_iter_}). Lower learning_rate_init or scale the inputs.",
                DivergenceWarning,
            )
        elif outcome == INTERRUPTED:
            what = "iteration" if self.solver == "lbfgs" else "epoch"
            warnings.warn(
                f"Training interrupted by user; the model keeps the parameters of "
                f"the last whole {what} (n_iter_={self.n_iter_})."
            )
        elif outcome == MAX_ITER:
            what = "L-BFGS" if self.solver == "lbfgs" else "Stochastic Optimizer"
            warnings.warn(
                f"{what}: Maximum iterations ({self.max_iter}) reached and the "
                "optimization hasn't converged yet.",
                ConvergenceWarning,
            )

    # ------------------------------------------------------------------
    # prediction and embeddings
    # ------------------------------------------------------------------
    def _forward_output(self, X):
        """The output layer's activation on validated X, in the compute dtype."""
        check_is_fitted(self)
        inputs, _ = self._validate_X(X, reset=False)
        return self._infer_finite(inputs, None, "activation")

    def _resolve_layer(self, layer):
        return resolve_layer(self.n_layers_ - 2, layer, accept=("output",))

    def embed(self, X, layer=None, output="activation"):
        """Embedding of X in any layer of the fitted network.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.
        layer : int, {"input", "output", "all"}, default=None
            An int is a hidden layer (0-based, negative from the end);
            ``"input"`` the input embedding (numeric columns followed by the
            categorical embeddings); ``"output"`` the output layer (before any
            target scaling is undone); ``"all"`` a list with every hidden layer.
            ``None`` uses ``embedding_layer``.
        output : {"activation", "pre_activation"}, default="activation"
            The layer's output after the non-linearity, or the linear
            combination ``z = a W + b`` before it.

        Returns
        -------
        embedding : ndarray of shape (n_samples, width) or list of ndarray
            One row per sample.
        """
        check_is_fitted(self)
        if output not in ("activation", "pre_activation"):
            raise ValueError(
                f"output={output!r} is not understood: use 'activation' or 'pre_activation'."
            )
        layer = self.embedding_layer if layer is None else layer
        X, _ = self._validate_X(X, reset=False)
        if isinstance(layer, str) and layer == "input":
            return self._infer_finite(X, "input", output)
        if isinstance(layer, str) and layer == "all":
            n_hidden = self.n_layers_ - 2
            return [self._infer_finite(X, k, output) for k in range(n_hidden)]
        index = self._resolve_layer(layer)
        return self._infer_finite(X, index, output)

    def _infer_finite(self, inputs, layer, output):
        """``_infer`` on validated inputs; a ValueError if the network overflows."""
        with _quiet_overflow():
            values = _infer(self.__dict__, self.activation, inputs, None, layer, output)
        return _check_finite_output(values)

    def transform(self, X):
        """Embedding of X in hidden layer ``embedding_layer``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        X_embedded : ndarray of shape (n_samples, width of the layer)
            The layer's activations (or pre-activations, with
            ``embedding_output="pre_activation"``).
        """
        return self.embed(X, layer=self.embedding_layer, output=self.embedding_output)

    def fit_transform(self, X, y, sample_weight=None, **fit_params):
        """Fit to data, then return the embedding of X in ``embedding_layer``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        **fit_params : dict
            ``X_val``, ``y_val``, ``sample_weight_val``, passed to ``fit``.

        Returns
        -------
        X_embedded : ndarray of shape (n_samples, width of the layer)
            The embedding of the training data.
        """
        return self.fit(X, y, sample_weight, **fit_params).transform(X)

    def get_feature_names_out(self, input_features=None):
        """Get the names of the embedding dimensions that ``transform`` returns.

        ``hidden{k}_{j}``: ``k`` the 1-based hidden layer number, ``j`` the
        neuron index, so ``hidden1_0`` is the first neuron of the first hidden
        layer.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; checked against the names seen in ``fit`` when given.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per column of ``transform``'s output.
        """
        check_is_fitted(self)
        if input_features is not None:
            from sklearn.utils.validation import _check_feature_names_in

            _check_feature_names_in(self, input_features)
        index = self._resolve_layer(self.embedding_layer)
        width = self.layer_sizes_[index + 1]
        return np.asarray([f"hidden{index + 1}_{j}" for j in range(width)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.target_tags.required = True
        tags.non_deterministic = False
        return tags


def _check_finite_output(values):
    """``values``, or a ValueError naming the samples where they are not finite.

    Finite inputs can still be too large for a network (a non-finite value
    comes out of some layer, or out of undoing the target scaling): that is
    bad input, reported as such rather than handed on as inf or NaN.
    """
    with _quiet_overflow():
        # the sum is one pass with no temporary; look closer only if it is not finite
        if np.isfinite(values.sum()) or np.isfinite(values).all():
            return values
    rows = values.reshape(len(values), -1)
    bad = np.flatnonzero(~np.isfinite(rows).all(axis=1))
    raise ValueError(
        f"The network's values overflowed the compute dtype {values.dtype.name} for "
        f"{bad.size} of {len(values)} sample(s) (first: row {bad[0]}): X holds values "
        "too large for this model. Scale the inputs (for instance with a "
        "StandardScaler in a Pipeline)."
    )


def _infer(state, activation, inputs, rows, layer, output):
    """Forward ``X[rows]`` in chunks; the requested layer's values.

    ``state`` is a mapping with ``_layout``, ``_params`` and
    ``out_activation_`` (the estimator's ``__dict__`` or a training copy);
    ``inputs`` the validated ``Inputs``.
    ``layer`` is ``None`` (the output layer), ``"input"`` or a layer index.
    """
    layout, params = state["_layout"], state["_params"]
    views = layout.split(params)
    X, codes = inputs
    n = X.shape[0] if rows is None else len(rows)
    last = layout.n_layers - 1
    index = last if layer is None else layer
    capacity = max(1, min(n, _CHUNK_ROWS))
    ws = Workspace(layout, activation, capacity, params.dtype,
                   keep_pre_activation=output == "pre_activation")
    if layer == "input":
        width = layout.layer_sizes[0]
    else:
        width = layout.layer_sizes[index + 1]
    result = np.empty((n, width), dtype=params.dtype)
    # The parameters are fixed here: broadcast each bias to a full block once,
    # so adding it is a same-shape operation (twice as fast as a broadcast).
    tables, coefs, intercepts = views
    bias_blocks = [np.broadcast_to(b, (capacity, b.size)).copy() for b in intercepts]
    for start in range(0, n, capacity):
        stop = min(n, start + capacity)
        batch = ws.rows(stop - start)
        views = (tables, coefs, [block[: stop - start] for block in bias_blocks])
        inputs = None
        if rows is not None:
            X.take(rows[start:stop], axis=0, out=batch.numeric, mode="clip")  # no temporary
        elif views[0] or layer == "input":
            batch.numeric[...] = X[start:stop]
        else:
            inputs = X[start:stop]  # contiguous rows of X: no copy needed
        if views[0]:
            chunk_codes = codes[start:stop] if rows is None else codes[rows[start:stop]]
            embed_inputs(views[0], layout.n_numeric, batch, chunk_codes)
        if layer == "input":
            result[start:stop] = batch.inputs
            continue
        forward(views, activation, state["out_activation_"], batch, inputs=inputs, upto=index)
        source = batch.z if output == "pre_activation" else batch.a
        result[start:stop] = source[index]
    return result
