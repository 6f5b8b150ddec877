"""EmbeddingMLPRegressor: target scaling, output activation, loss, predict."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import StrOptions

from ._base import PARAMETERS_DOC, BaseEmbeddingMLP, _check_finite_output


class EmbeddingMLPRegressor(RegressorMixin, BaseEmbeddingMLP):
    __doc__ = (
        """Multi-layer perceptron regressor whose hidden layers are embeddings.

    A drop-in replacement for :class:`sklearn.neural_network.MLPRegressor`:
    the same parameters, defaults and fitted attributes, on a faster float32
    capable engine. On top of it, ``transform`` returns the embedding of a
    hidden layer (``embedding_layer``), so the network can be a step of a
    Pipeline, and ``embed`` returns any layer.

    Each layer is a linear combination ``z = a W + b`` (the columns of ``W``
    and the entries of ``b`` are pattern detectors) followed by a
    non-linearity ``a = f(z)``.

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        Half squared error, or half Poisson deviance with an exponential
        output (for counts and other non-negative targets).
"""
        + PARAMETERS_DOC.replace("{metric}", "R²")
        + """    target_scaling : bool, default=True
        Standardise ``y`` internally (divide by its mean for
        ``loss="poisson"``), so raw targets such as prices train well.
        Predictions are in the original units; ``loss_curve_`` is on the
        scaled target.

    Attributes
    ----------
    coefs_ : list of ndarray
        Weight matrix of each layer, views into one flat parameter vector.
    intercepts_ : list of ndarray
        Bias vector of each layer.
    loss_ : float
        Loss of the last epoch or iteration.
    best_loss_ : float or None
        Lowest training loss (``None`` with early stopping).
    loss_curve_ : list of float
        Loss of every epoch (every iteration for lbfgs).
    validation_scores_ : list of float or None
        R² on the validation data at every epoch, when there is one.
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    n_iter_ : int
        Epochs (iterations for lbfgs) run.
    t_ : int
        Training samples seen by the solver.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of outputs.
    out_activation_ : str
        ``"identity"``, or ``"exp"`` for the Poisson loss.
    layer_sizes_ : list of int
        Width of every layer, the input embedding first.
    categorical_embeddings_ : dict
        Column name to DataFrame of learned category vectors.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen in ``fit``, when X had string column names.

    See Also
    --------
    EmbeddingMLPClassifier : The classifier.
    sklearn.neural_network.MLPRegressor : The MLP regressor of scikit-learn.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skembed import EmbeddingMLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    >>> reg = EmbeddingMLPRegressor(hidden_layer_sizes=(16, 8), solver="lbfgs",
    ...                             max_iter=500, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.99
    True
    >>> reg.transform(X[:3]).shape
    (3, 8)
    >>> list(reg.get_feature_names_out()[:2])
    ['hidden2_0', 'hidden2_1']
"""
    )


    _parameter_constraints = {
        **BaseEmbeddingMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
        "target_scaling": ["boolean"],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        embedding_layer=-1,
        embedding_output="activation",
        categorical_features="from_dtype",
        embedding_dims="auto",
        dropout=0.0,
        activity_l1=0.0,
        dtype=None,
        target_scaling=True,
    ):
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.embedding_layer = embedding_layer
        self.embedding_output = embedding_output
        self.categorical_features = categorical_features
        self.embedding_dims = embedding_dims
        self.dropout = dropout
        self.activity_l1 = activity_l1
        self.dtype = dtype
        self.target_scaling = target_scaling

    def _encode_target(self, y, dtype, first_pass, incremental, classes, sample_weight):
        if y.dtype.kind not in "biuf":
            raise ValueError(
                f"y must be numeric for a regressor, got values of dtype {y.dtype} (for "
                f"example {y.ravel()[:1].tolist()[0]!r}). Encode the target as numbers, or "
                "use EmbeddingMLPClassifier for class labels."
            )
        y = y.reshape(-1, 1) if y.ndim == 1 else y
        if self.loss == "poisson" and (y < 0).any():
            raise ValueError("loss='poisson' needs non-negative targets; y has negative values.")
        if first_pass:
            shift, scale = self._target_scaling_of(y, sample_weight)
        else:
            shift, scale = self._y_shift, self._y_scale
        with np.errstate(over="ignore", invalid="ignore"):
            y_enc = ((y - shift) / scale).astype(dtype, copy=False)
        if not np.isfinite(y_enc).all():
            raise ValueError(
                "Some target values are too large to represent in the compute dtype "
                f"{np.dtype(y_enc.dtype).name} after scaling; rescale y or use "
                "target_scaling=True."
            )
        return np.ascontiguousarray(y_enc), {"_y_shift": shift, "_y_scale": scale}

    def _target_scaling_of(self, y, sample_weight):
        """Shift and scale of each output; weighted like the loss, so that a
        sample weight of 2 acts exactly as a repeated sample."""
        n_out = y.shape[1]
        if not self.target_scaling:
            return np.zeros(n_out), np.ones(n_out)
        with np.errstate(over="ignore", invalid="ignore"):
            mean = np.average(y, axis=0, weights=sample_weight)
            if self.loss == "poisson":
                return np.zeros(n_out), np.where(mean > 0, mean, 1.0)
            std = np.sqrt(np.average((y - mean) ** 2, axis=0, weights=sample_weight))
        if not (np.isfinite(mean).all() and np.isfinite(std).all()):
            raise ValueError(
                "Some target values are too large to scale in float64; rescale y."
            )
        return mean, np.where(std > 0, std, 1.0)

    def _loss_for(self, target_state):
        return self.loss

    def _decode_output(self, output, state):
        y = output * state["_y_scale"].astype(output.dtype) + state["_y_shift"].astype(
            output.dtype
        )
        return y.ravel() if y.shape[1] == 1 else y

    def _validation_metric(self, y_true, y_pred, sample_weight):
        return r2_score(y_true, y_pred, sample_weight=sample_weight)

    def predict(self, X):
        """Predict the target of X, in the target's own units.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predicted values.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            y = self._decode_output(self._forward_output(X), self.__dict__)
        return _check_finite_output(y)  # undoing the target scaling may overflow too

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
