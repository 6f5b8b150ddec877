"""The regressors: target scaling, the loss, predict."""

import numpy as np
from scipy.special import xlogy
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if

from . import _fitting
from ._base import BaseMLP, check_solver
from ._docs import ATTRIBUTES, PARTIAL_FIT, compose, documented
from ._parameters import EXTRAS, SKLEARN_MLP, TABLE_DEFAULTS, Signature, make_init


class TargetScaler:
    """The regressor's target codec: ``(y - shift) / scale`` and back.

    ``shift`` and ``scale`` hold one float64 value per output.
    """

    def __init__(self, shift, scale, poisson=False):
        self.shift = shift
        self.scale = scale
        self.poisson = poisson  # the loss the validation loss follows

    @classmethod
    def fit(cls, y, *, scaling, poisson, sample_weight=None):
        """The scaling of ``y`` (2-D): standardised, divided by its mean for a
        Poisson loss, or none. Weighted like the loss, so that a sample weight
        of 2 acts exactly as a repeated sample."""
        n_outputs = y.shape[1]
        if not scaling:
            return cls(np.zeros(n_outputs), np.ones(n_outputs), poisson)
        with np.errstate(over="ignore", invalid="ignore"):
            mean = np.average(y, axis=0, weights=sample_weight)
            if poisson:
                return cls(np.zeros(n_outputs), np.where(mean > 0, mean, 1.0), poisson)
            std = np.sqrt(np.average((y - mean) ** 2, axis=0, weights=sample_weight))
        if not (np.isfinite(mean).all() and np.isfinite(std).all()):
            raise ValueError("Some target values are too large to scale in float64; rescale y.")
        return cls(mean, np.where(std > 0, std, 1.0), poisson)

    def encode(self, y, dtype):
        """``y`` scaled, of shape (n_samples, n_outputs), in ``dtype``."""
        y = y.reshape(-1, 1) if y.ndim == 1 else y
        with np.errstate(over="ignore", invalid="ignore"):
            encoded = ((y - self.shift) / self.scale).astype(dtype, copy=False)
        if not np.isfinite(encoded).all():
            raise ValueError(
                "Some target values are too large to represent in the compute dtype "
                f"{np.dtype(dtype).name} after scaling; rescale y or use target_scaling=True."
            )
        return np.ascontiguousarray(encoded)

    def decode(self, output):
        """Predictions in the target's own units from the network's output."""
        y = output * self.scale.astype(output.dtype) + self.shift.astype(output.dtype)
        return y.ravel() if y.shape[1] == 1 else y

    @staticmethod
    def score(y_true, y_pred, sample_weight=None):
        return r2_score(y_true, y_pred, sample_weight=sample_weight)

    def validation_loss(self, y_true, output, sample_weight=None):
        """The training loss of the output on the scaled target, without the
        penalty: half squared error averaged over the outputs, or half Poisson
        deviance summed over them; weighted mean over the rows."""
        target = self.encode(y_true, np.float64)
        output = output.astype(np.float64)
        if self.poisson:
            with np.errstate(divide="ignore"):
                per_row = (xlogy(target, target) - xlogy(target, output) - target
                           + output).sum(axis=1)
        else:
            per_row = 0.5 * ((output - target) ** 2).mean(axis=1)
        return float(np.average(per_row, weights=sample_weight))

    @staticmethod
    def check_targets(y, where="in y"):
        """A ValueError unless ``y`` holds numbers."""
        if y.dtype.kind not in "biuf":
            raise ValueError(
                f"y must be numeric for a regressor, got values of dtype {y.dtype} {where} "
                f"(for example {y.ravel()[:1].tolist()[0]!r}). Encode the target as numbers, "
                "or use a classifier for class labels."
            )


class _Regressor(RegressorMixin, BaseMLP):
    """What both regressors share: the codec, the loss and ``predict``."""

    @available_if(check_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    @documented(PARTIAL_FIT["regressor"])
    def partial_fit(self, X, y, sample_weight=None):  # noqa: D102 - documented above
        return _fitting.fit(self, (X, y, sample_weight), incremental=True)

    def _fit_codec(self, y, first_pass, incremental, classes, sample_weight):
        TargetScaler.check_targets(y)
        y2 = y.reshape(-1, 1) if y.ndim == 1 else y
        if self.loss == "poisson" and (y2 < 0).any():
            raise ValueError("loss='poisson' needs non-negative targets; y has negative values.")
        if not first_pass:
            return self._codec
        return TargetScaler.fit(y2, scaling=self.target_scaling,
                                poisson=self.loss == "poisson", sample_weight=sample_weight)

    def _fit_sample_weight(self, y, sample_weight, incremental):
        return sample_weight

    def _loss_for(self, codec):
        return self.loss

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
        return self._output(X, self._decode)  # undoing the target scaling may overflow too

    def _decode(self, output):
        return self._codec.decode(output)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


_SIGNATURE = ("loss", *SKLEARN_MLP, *EXTRAS, "target_scaling")

_TWIN_INTRO = """Multi-layer perceptron regressor: scikit-learn's, twinned.

    The same class name, parameters, defaults, fitted attributes and results
    (up to floating point) as :class:`sklearn.neural_network.MLPRegressor`:
    change the import and code keeps working, with the same random numbers
    drawn in the same order. It runs on skembed's engine (several times
    faster, float32 end to end, sparse input) and adds ``transform`` and
    ``embed``, which return the embedding of a hidden layer, a validation set
    of your own in ``fit``, and the keyword-only parameters after
    ``max_fun``, whose defaults change nothing scikit-learn does. The
    differences that remain are listed in the documentation page
    "Differences from scikit-learn's MLP".

    For a raw table (numbers on any scale, categorical columns), see
    :class:`EmbeddingMLPRegressor`.

"""

_TWIN_EXAMPLES = """
    See Also
    --------
    EmbeddingMLPRegressor : The model for tables.
    sklearn.neural_network.MLPRegressor : The regressor this one twins.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skembed import MLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1.0, random_state=0)
    >>> reg = MLPRegressor(hidden_layer_sizes=(16, 8), solver="lbfgs", max_iter=500,
    ...                    random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.99
    True
    >>> reg.transform(X[:3]).shape
    (3, 8)
"""


class MLPRegressor(_Regressor):
    _signature = Signature(_SIGNATURE, 3, {})
    __init__ = make_init(_signature)
    _parameter_constraints = _signature.constraints()
    __doc__ = compose(_TWIN_INTRO, _signature, ATTRIBUTES["regressor"], _TWIN_EXAMPLES)


_INTRO = """Multi-layer perceptron regressor whose hidden layers are embeddings.

    A drop-in replacement for :class:`sklearn.neural_network.MLPRegressor`:
    the same parameters, defaults and fitted attributes, on a faster float32
    capable engine. On top of it, ``transform`` returns the embedding of a
    hidden layer (``embedding_layer``), so the network can be a step of a
    Pipeline, and ``embed`` returns any layer.

    Each layer is a linear combination ``z = a W + b`` (the columns of ``W``
    and the entries of ``b`` are pattern detectors) followed by a
    non-linearity ``a = f(z)``.

"""

_EXAMPLES = """
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


class EmbeddingMLPRegressor(_Regressor):
    _signature = Signature(_SIGNATURE, 3, TABLE_DEFAULTS)
    __init__ = make_init(_signature)
    _parameter_constraints = _signature.constraints()
    __doc__ = compose(_INTRO, _signature, ATTRIBUTES["regressor"], _EXAMPLES)
