"""EmbeddingMLPClassifier: label encoding, class weights, predict_proba."""

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import type_of_target, unique_labels

from ._base import PARAMETERS_DOC, BaseEmbeddingMLP, _check_solver


def _check_known_labels(y, known, where):
    """Raise if y has labels outside ``known`` (one set lookup per distinct label)."""
    known = np.asarray(known).tolist()
    known_set = set(known)
    unknown = [label for label in unique_labels(y).tolist() if label not in known_set]
    if unknown:
        raise ValueError(f"y has labels {unknown} not {where}; the classes are {known}.")


class EmbeddingMLPClassifier(ClassifierMixin, BaseEmbeddingMLP):
    __doc__ = (
        """Multi-layer perceptron classifier whose hidden layers are embeddings.

    A drop-in replacement for :class:`sklearn.neural_network.MLPClassifier`:
    the same parameters, defaults and fitted attributes, on a faster float32
    capable engine. Binary targets get one logistic output unit, multiclass
    targets a softmax, multilabel indicator targets one logistic unit per
    label. ``transform`` returns the embedding of hidden layer
    ``embedding_layer`` and ``embed`` any layer.

    Parameters
    ----------
"""
        + PARAMETERS_DOC.replace("{metric}", "accuracy")
        + """    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn's linear
        models: ``"balanced"`` uses ``n_samples / (n_classes * bincount(y))``.
        Multiplied with ``sample_weight``. Not for multilabel targets, nor
        ``"balanced"`` with ``partial_fit``.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray
        Class labels.
    coefs_ : list of ndarray
        Weight matrix of each layer, views into one flat parameter vector.
    intercepts_ : list of ndarray
        Bias vector of each layer.
    loss_ : float
        Log-loss of the last epoch or iteration.
    best_loss_ : float or None
        Lowest training loss (``None`` with early stopping).
    loss_curve_ : list of float
        Loss of every epoch (every iteration for lbfgs).
    validation_scores_ : list of float or None
        Accuracy on the validation data at every epoch, when there is one.
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    n_iter_ : int
        Epochs (iterations for lbfgs) run.
    t_ : int
        Training samples seen by the solver.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        ``"logistic"`` or ``"softmax"``.
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
    EmbeddingMLPRegressor : The regressor.
    sklearn.neural_network.MLPClassifier : The MLP classifier of scikit-learn.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skembed import EmbeddingMLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs",
    ...                              max_iter=1000, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    >>> clf.transform(X[:2]).shape
    (2, 16)
"""
    )


    _parameter_constraints = {
        **BaseEmbeddingMLP._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
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
        class_weight=None,
    ):
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
        self.class_weight = class_weight

    @available_if(_check_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with one epoch over the given data.

        Only for the stochastic solvers (``"sgd"``, ``"adam"``). The optimizer's
        state is kept between calls, so data that does not fit in memory can be
        learned chunk by chunk.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the loss.
        classes : array of shape (n_classes,), default=None
            Every class that can occur. Required on the first call (it cannot
            be inferred from one chunk); ignored afterwards.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, validation=None, incremental=True,
                         classes=classes)

    def _encode_target(self, y, dtype, first_pass, incremental, classes, sample_weight):
        binarizer = self._binarizer_for(y, first_pass, incremental, classes)
        y_enc = binarizer.transform(y).astype(dtype)
        return np.ascontiguousarray(y_enc), {
            "_label_binarizer": binarizer, "classes_": binarizer.classes_,
        }

    def _binarizer_for(self, y, first_pass, incremental, classes):
        target_type = type_of_target(y, input_name="y")
        if target_type not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(
                f"Unknown label type: {target_type!r}. EmbeddingMLPClassifier handles "
                "binary, multiclass and multilabel-indicator targets."
            )
        fitted = hasattr(self, "_label_binarizer")
        if incremental and fitted and classes is not None:
            if not np.array_equal(unique_labels(classes), self.classes_):
                raise ValueError(
                    f"classes={unique_labels(classes).tolist()} is not the same as on "
                    f"the first call to partial_fit, which was {self.classes_.tolist()}."
                )
        if incremental and not fitted:
            if classes is None and target_type != "multilabel-indicator":
                raise ValueError("classes must be passed on the first call to partial_fit.")
        if fitted and (incremental or not first_pass):
            _check_known_labels(y, self._label_binarizer.classes_, "seen before")
            return self._label_binarizer
        binarizer = LabelBinarizer()
        if incremental and target_type != "multilabel-indicator":
            binarizer.fit(np.asarray(classes))
            _check_known_labels(y, binarizer.classes_, "listed in classes=")
        else:
            binarizer.fit(y)
        if len(binarizer.classes_) < 2:
            raise ValueError(
                f"The target has only one class ({binarizer.classes_.tolist()[0]!r}); a "
                "classifier needs samples of at least 2 classes."
            )
        return binarizer

    def _fit_sample_weight(self, y, sample_weight, incremental):
        if self.class_weight is None:
            return sample_weight
        if type_of_target(y) == "multilabel-indicator":
            raise ValueError("class_weight is not supported for multilabel targets.")
        if incremental and self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' is not supported by partial_fit: one chunk "
                "does not show the class frequencies. Pass a dict of class weights."
            )
        weights = compute_sample_weight(self.class_weight, y).astype(y.dtype if
                                                                     y.dtype.kind == "f" else np.float64)
        return weights if sample_weight is None else weights * sample_weight

    def _loss_for(self, target_state):
        if target_state["_label_binarizer"].y_type_ == "multiclass":
            return "log_loss"
        return "binary_log_loss"

    def _decode_output(self, output, state):
        if output.shape[1] == 1:
            output = output.ravel()
        return state["_label_binarizer"].inverse_transform(output)

    def _validation_metric(self, y_true, y_pred, sample_weight):
        return accuracy_score(y_true, y_pred, sample_weight=sample_weight)

    def predict(self, X):
        """Predict the class of each sample of X.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            The predicted classes (an indicator matrix for multilabel targets).
        """
        return self._decode_output(self._forward_output(X), self.__dict__)

    def predict_proba(self, X):
        """Probability of each class for each sample of X.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities in the order of ``classes_``; for multilabel
            targets, the probability of each label independently.
        """
        proba = self._forward_output(X)
        if proba.shape[1] == 1 and self._label_binarizer.y_type_ == "binary":
            return np.hstack([1 - proba, proba])
        return proba

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            The log-probabilities.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
