"""The estimator API shared by every skembed network.

:class:`BaseMLP` is what the regressors and classifiers of both families have
in common: their fitted attributes (read from the typed network, the target
codec and the training history), ``fit`` and ``partial_fit`` (wired in
``_fitting``), the validation of X, and ``transform``/``embed``. The
regressor and the classifier add their target codec, loss and prediction;
the two families differ only in their constructor defaults.
"""

from numbers import Integral

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._metadata_requests import RequestMethod
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from . import _fitting, _reading
from ._categorical import as_frame, check_numeric_frame, fit_spec, is_polars
from ._inference import infer
from ._network import Inputs

try:  # scikit-learn >= 1.9: fit callbacks (ProgressBar, ScoringMonitor, ...)
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # pragma: no cover - older scikit-learn has no callback API

    class CallbackSupportMixin:
        """Stand-in: this scikit-learn has no ``sklearn.callback``."""


STOCHASTIC_SOLVERS = ("sgd", "adam")


def check_solver(est):
    return est.solver in STOCHASTIC_SOLVERS


def is_frame(X):
    return hasattr(X, "columns") and hasattr(X, "dtypes")


def quiet_overflow():
    """Overflow is detected and reported, not left to numpy's warnings."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


class _Request(RequestMethod):
    """scikit-learn's ``set_{method}_request``, with a docstring in skembed's
    words: one paragraph, not scikit-learn's guide and version history."""

    def __get__(self, instance, owner):
        method = super().__get__(instance, owner)
        method.__doc__ = (
            f"Say which metadata a meta-estimator passes to ``{self.name}``.\n\n"
            "Only used when metadata routing is on "
            "(``sklearn.set_config(enable_metadata_routing=True)``) and this network is "
            "a step of a meta-estimator, such as a Pipeline in a GridSearchCV. Each "
            f"parameter ({', '.join(f'``{key}``' for key in self.keys)}) takes True "
            "(pass it when given), False (do not), None (an error if given) or a string "
            "(pass the metadata given under that name).\n\n"
            "Returns\n-------\nself : object\n    The estimator.\n"
        )
        return method


class BaseMLP(CallbackSupportMixin, TransformerMixin, BaseEstimator):
    """Base class of skembed's networks. Not to be used directly."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if isinstance(value, RequestMethod) and not isinstance(value, _Request):
                setattr(cls, name, _Request(value.name, value.keys, value.validate_keys))

    # ------------------------------------------------------------------
    # fitted attributes, read from the network, the codec and the history
    # ------------------------------------------------------------------
    def __sklearn_is_fitted__(self):
        return "_network" in self.__dict__

    def _fitted(self, name):
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(
                f"This {type(self).__name__} instance is not fitted yet; call fit."
            ) from None

    @property
    def coefs_(self):
        """list of ndarray: weight matrix of each layer, ``(fan_in, fan_out)``.

        The arrays are views into the estimator's single parameter vector:
        editing them in place edits the network.
        """
        return self._fitted("_network").views.coefs

    @coefs_.setter
    def coefs_(self, values):
        self._assign_views(self.coefs_, values, "coefs_")

    @property
    def intercepts_(self):
        """list of ndarray: bias vector of each layer, ``(fan_out,)``."""
        return self._fitted("_network").views.intercepts

    @intercepts_.setter
    def intercepts_(self, values):
        self._assign_views(self.intercepts_, values, "intercepts_")

    @property
    def skip_coef_(self):
        """ndarray of shape (input embedding width, n_outputs) or None: the
        skip connection's weights, from the input embedding (``embed(X,
        layer="input")``) straight to the output pre-activation; None without
        ``skip_connection``. A view into the parameter vector, as ``coefs_``.
        """
        return self._fitted("_network").views.skip

    @skip_coef_.setter
    def skip_coef_(self, value):
        current = self.skip_coef_
        if current is None:
            raise ValueError("skip_coef_: this network has no skip connection "
                             "(skip_connection=False).")
        self._assign_views([current], [value], "skip_coef_")

    def _assign_views(self, current, values, name):
        if len(values) != len(current):
            raise ValueError(f"{name} needs {len(current)} arrays, got {len(values)}.")
        new = [np.asarray(v, dtype=current[0].dtype) for v in values]
        for old, value in zip(current, new):
            if old.shape != value.shape:
                raise ValueError(
                    f"{name}: expected an array of shape {old.shape}, got {value.shape}."
                )
        for old, value in zip(current, new):
            old[...] = value

    @property
    def categorical_embeddings_(self):
        """dict: the learned vector of every category, per categorical column.

        Column name -> DataFrame indexed by the categories seen in training
        (in at least ``min_frequency`` rows: the rarer ones share
        ``"<unknown>"``), then the reserved ``"<unknown>"`` and
        ``"<missing>"`` rows (underscores are prepended if a real category
        already has that name), one column per embedding dimension. A
        snapshot: editing it does not edit the network.
        """
        tables = self._fitted("_network").views.tables
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

    @property
    def layer_sizes_(self):
        """list of int: width of every layer, the input embedding first."""
        return list(self._fitted("_network").layout.layer_sizes)

    @property
    def n_layers_(self):
        """int: number of layers, input and output included."""
        return len(self.layer_sizes_)

    @property
    def n_outputs_(self):
        """int: number of output units."""
        return self.layer_sizes_[-1]

    @property
    def out_activation_(self):
        """str: the output layer's activation, fixed by the loss."""
        return self._fitted("_network").out_activation

    @property
    def n_iter_(self):
        """int: epochs (iterations for lbfgs) run by the last call to fit."""
        return self._fitted("_history").n_iter

    @property
    def t_(self):
        """int: training samples seen by the solver."""
        return self._fitted("_history").t

    @property
    def loss_curve_(self):
        """list of float: the loss of every epoch (every iteration for lbfgs)."""
        return self._fitted("_history").loss_curve

    @property
    def loss_(self):
        """float: the loss of the last epoch or iteration."""
        curve = self.loss_curve_
        return curve[-1] if curve else np.nan

    @property
    def best_loss_(self):
        """float or None: the lowest training loss (None with early stopping)."""
        return self._fitted("_history").best_loss

    @property
    def validation_scores_(self):
        """list of float or None: the validation score of every epoch, when
        there is validation data."""
        return self._fitted("_history").validation_scores

    @property
    def best_validation_score_(self):
        """float or None: the best of ``validation_scores_``."""
        history = self._fitted("_history")
        return history.best_validation_score if history.validation_scores else None

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
        validation = (X_val, y_val, sample_weight_val)
        return _fitting.fit(self, (X, y, sample_weight), validation=validation)


    # ------------------------------------------------------------------
    # input validation
    # ------------------------------------------------------------------
    def _validate_X(self, X, *, reset=False, spec=None, dtype=None, min_frequency=None):
        """Validated ``Inputs`` of X, the categorical spec in force, and the
        floating dtype of outputs for X.

        Checks the number and names of the columns like every scikit-learn
        estimator; the categorical columns (see ``categorical_features``)
        become integer codes, the others the numeric block in the compute
        dtype (a CSR matrix for sparse X). On ``reset`` the spec is learned
        from X (leaving out the categories in fewer than ``min_frequency``
        rows) unless ``spec`` is given, otherwise ``spec`` (default: the
        fitted one) is applied.
        Outputs follow X's floating dtype whatever the compute dtype is:
        float32 stays float32, anything else gives float64.
        """
        if dtype is None:
            dtype = self._compute_dtype(reset, X)
        if is_polars(X):  # converted once, here: everything below reads pandas
            X = X.to_pandas()
        if reset and spec is None:
            spec = fit_spec(X, self.categorical_features, self.embedding_dims, min_frequency)
        elif spec is None:
            spec = self.__dict__.get("_categorical")
        finite = "allow-nan" if self._allows_nan(reset) else True
        if spec is None:
            numeric = self._validate_numeric(X, reset, (dtype, finite))
            return Inputs(numeric), None, output_dtype(X)
        validate_data(self, X, reset=reset, skip_check_array=True)
        if isinstance(dtype, tuple):
            dtype = dtype if spec.numeric else dtype[0]
        numeric, codes = spec.transform(X, dtype, ensure_all_finite=finite)
        if numeric.shape[0] < 1:
            raise ValueError(
                f"Found array with 0 sample(s) (shape={numeric.shape}) while a minimum "
                "of 1 is required."
            )
        return Inputs(numeric, codes), spec, output_dtype(as_frame(X).iloc[:, spec.numeric])

    def _validate_numeric(self, X, reset, checks):
        """The numeric block of X; ``checks`` is (dtype, ensure_all_finite)."""
        dtype, finite = checks
        if not reset:
            checked = self._checked_float_array(X, dtype)
            if checked is not None:
                return checked
        if is_frame(X):
            validate_data(self, X, reset=reset, skip_check_array=True)
            return check_numeric_frame(as_frame(X), dtype, estimator=self,
                                       ensure_all_finite=finite)
        if sp.issparse(X):
            finite = True  # a missing value would make a stored zero something else
        X = validate_data(self, X, reset=reset, dtype=dtype, order="C",
                          accept_sparse=["csr", "csc"], ensure_all_finite=finite)
        # batches are rows: the first layer multiplies CSR rows as they are
        return X.tocsr() if sp.issparse(X) else X

    def _allows_nan(self, reset):
        """Whether NaN is a missing value (with a numeric scaling) or an error."""
        if reset or "_network" not in self.__dict__:  # a first fit's validation set too
            return self.numeric_scaling is not None
        pre = self._network.preprocessing
        return pre is not None and pre.scale is not None

    def _checked_float_array(self, X, dtype):
        """X in ``dtype``, when it is a float ndarray that ``validate_data`` would
        accept as it is: the right width, finite, at least one row, and no
        feature names expected. None otherwise, and ``validate_data`` decides
        (and words any error). The same checks, without its generic dispatch:
        a one-row ``predict`` costs what the network does."""
        if (type(X) is not np.ndarray or X.ndim != 2 or X.dtype.kind != "f"
                or X.dtype.itemsize > 8 or X.shape[0] < 1
                or X.shape[1] != self.n_features_in_
                or "feature_names_in_" in self.__dict__):
            return None
        X = np.asarray(X, dtype=dtype, order="C")
        with np.errstate(over="ignore", invalid="ignore"):
            if not np.isfinite(X.sum()) and not np.isfinite(X).all():
                return None
        return X

    def _compute_dtype(self, reset, X=None):
        if not reset:
            return self._network.dtype.type
        if self.dtype is None:
            return (np.float64, np.float32)
        if self.dtype == "auto":
            return np.float64 if _fitting.trains_full_batch(self, X) else np.float32
        return np.dtype(self.dtype).type

    # ------------------------------------------------------------------
    # prediction and embeddings
    # ------------------------------------------------------------------
    def _output(self, X, decode):
        """``decode`` of the output layer's activation on X, in X's floating
        dtype: the finite values of a prediction, or a ValueError that names
        the rows that overflowed."""
        check_is_fitted(self)
        inputs, _, dtype = self._validate_X(X)
        with quiet_overflow():
            # decoded in the output dtype: undoing the target scaling adds no
            # rounding of the compute dtype
            output = self._mean_output(inputs).astype(dtype, copy=False)
            return check_finite_output(decode(check_finite_output(output)))

    def _mean_output(self, inputs):
        """The output layer's activation on ``inputs``: the network's, or the
        mean of the networks' with ``n_networks`` (predictions, or
        probabilities, averaged)."""
        output = infer(self._network, inputs)
        members = self.__dict__.get("_members", ())
        for member in members:
            output += infer(member.network, inputs)
        if members:
            output /= len(members) + 1
        return output

    def _infer_finite(self, inputs, layer, output, dtype):
        """``infer`` on validated inputs, in ``dtype``; a ValueError if the
        network overflows."""
        with quiet_overflow():
            values = check_finite_output(infer(self._network, inputs, layer, output))
        return values.astype(dtype, copy=False)

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
        n_hidden = _reading.n_hidden(self)
        if not (isinstance(layer, str) and layer == "all"):
            layer = _reading.resolve_layer(n_hidden, layer, accept=("input", "output"))
        inputs, _, dtype = self._validate_X(X)
        if layer == "all":
            return [self._infer_finite(inputs, k, output, dtype) for k in range(n_hidden)]
        return self._infer_finite(inputs, None if layer == "output" else layer, output, dtype)

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
            _check_feature_names_in(self, input_features)
        layer = _reading.resolve_layer(_reading.n_hidden(self), self.embedding_layer)
        return np.asarray(_reading.neuron_names(self, layer), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.input_tags.sparse = True
        # with a numeric scaling, NaN is a missing value (as in
        # HistGradientBoosting); without one, an error as in scikit-learn's MLP
        tags.input_tags.allow_nan = self.numeric_scaling is not None
        return tags


def check_finite_output(values):
    """``values``, or a ValueError naming the samples where they are not finite.

    Finite inputs can still be too large for a network (a non-finite value
    comes out of some layer, or out of undoing the target scaling): that is
    bad input, reported as such rather than handed on as inf or NaN. Call it
    under ``quiet_overflow()``.
    """
    if sp.issparse(values):  # the input embedding of sparse X: validated finite
        return values
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


def output_dtype(X):
    """The floating dtype of outputs for input ``X``: float32 when X is float32
    (an array, a sparse matrix, or a frame whose numeric columns all are),
    float64 otherwise, as scikit-learn's own float32 support goes."""
    if hasattr(X, "dtypes") and not hasattr(X, "dtype"):  # a DataFrame
        dtypes = list(X.dtypes)
        float32 = bool(dtypes) and all(d == np.float32 for d in dtypes)
    else:
        float32 = getattr(X, "dtype", None) == np.float32
    return np.dtype(np.float32 if float32 else np.float64)


def check_hidden_layer_sizes(sizes, embedding_layer):
    """The hidden widths as a list of ints; ``embedding_layer`` must be one of them."""
    sizes = list(sizes) if np.iterable(sizes) else [sizes]
    if any(not isinstance(s, Integral) or s <= 0 for s in sizes):
        raise ValueError(f"hidden_layer_sizes must be positive integers, got {sizes}.")
    if sizes:
        _reading.check_hidden_index(embedding_layer, len(sizes), "embedding_layer")
    return [int(s) for s in sizes]
