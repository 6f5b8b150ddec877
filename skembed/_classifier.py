"""The classifiers: label encoding, class weights, predict_proba."""

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target, unique_labels

from . import _fitting
from ._base import BaseMLP, check_solver
from ._docs import ATTRIBUTES, PARTIAL_FIT, compose, documented
from ._parameters import EXTRAS, SKLEARN_MLP, TABLE_CLASSIFIER_DEFAULTS, Signature, make_init


class LabelCodec:
    """The classifier's target codec: labels to output units and back.

    Binary targets are one logistic unit, multiclass targets a softmax over
    one unit per class, multilabel indicator targets one logistic unit per
    label (scikit-learn's ``LabelBinarizer`` encodes them all).
    """

    def __init__(self, binarizer, smoothing=0.0):
        self.binarizer = binarizer
        self.smoothing = smoothing

    @property
    def classes(self):
        return self.binarizer.classes_

    @property
    def loss(self):
        return "log_loss" if self.binarizer.y_type_ == "multiclass" else "binary_log_loss"

    def encode(self, y, dtype):
        """The training targets: one column per output unit, moved toward
        uniform by ``smoothing``."""
        encoded = np.ascontiguousarray(self.binarizer.transform(y), dtype=dtype)
        if self.smoothing:
            n_choices = encoded.shape[1] if self.loss == "log_loss" else 2
            encoded *= 1.0 - self.smoothing
            encoded += self.smoothing / n_choices
        return encoded

    def decode(self, output):
        if output.shape[1] == 1:
            output = output.ravel()
        return self.binarizer.inverse_transform(output)

    @staticmethod
    def score(y_true, y_pred, sample_weight=None):
        return accuracy_score(y_true, y_pred, sample_weight=sample_weight)

    def validation_target(self, y_true):
        """The labels as given (no smoothing), one float64 column per output
        unit: what ``validation_loss`` compares the output with."""
        return self.binarizer.transform(y_true).astype(np.float64)

    def validation_loss(self, target, output, sample_weight=None):
        """The log-loss of the output probabilities on ``validation_target``'s
        ``target``, summed over the output units as in training, weighted
        mean over the rows; probabilities clipped to the output dtype's
        epsilon, as scikit-learn's ``log_loss`` clips them."""
        eps = np.finfo(output.dtype).eps
        p = np.clip(output.astype(np.float64), eps, 1.0 - eps)
        if self.loss == "log_loss":
            per_row = -np.log((target * p).sum(axis=1))
        else:
            per_row = -(target * np.log(p) + (1.0 - target) * np.log1p(-p)).sum(axis=1)
        return float(np.average(per_row, weights=sample_weight))

    def check_targets(self, y, where="seen before"):
        """A ValueError if ``y`` has labels outside the classes (missing labels
        are refused earlier, by ``_fitting._check_target``)."""
        check_known_labels(y, self.classes, where)


def check_known_labels(y, known, where):
    """Raise if y has labels outside ``known`` (one set lookup per distinct label)."""
    known = np.asarray(known).tolist()
    known_set = set(known)
    unknown = [label for label in unique_labels(y).tolist() if label not in known_set]
    if unknown:
        raise ValueError(f"y has labels {unknown} not {where}; the classes are {known}.")


def _check_warm_start_classes(y, classes):
    """scikit-learn's rule: a warm start needs exactly the classes of the last fit."""
    found = unique_labels(y)
    if set(found) != set(classes):
        raise ValueError(
            "warm_start can only be used where `y` has the same classes as in the "
            f"previous call to fit. Previously got {classes}, `y` has {found}"
        )


def _same(values):
    return values


class _Classifier(ClassifierMixin, BaseMLP):
    """What both classifiers share: the codec, class weights and predictions."""

    @available_if(check_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    @documented(PARTIAL_FIT["classifier"])
    def partial_fit(self, X, y, sample_weight=None, classes=None):  # noqa: D102
        return _fitting.fit(self, (X, y, sample_weight), incremental=True, classes=classes)

    @property
    def classes_(self):
        """ndarray: the class labels."""
        return self._fitted("_codec").classes

    def _fit_codec(self, y, first_pass, incremental, classes, sample_weight):
        target_type = type_of_target(y, input_name="y")
        if target_type not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(
                f"Unknown label type: {target_type!r}. {type(self).__name__} handles "
                "binary, multiclass and multilabel-indicator targets."
            )
        fitted = "_codec" in self.__dict__
        if incremental and fitted and classes is not None:
            if not np.array_equal(unique_labels(classes), self.classes_):
                raise ValueError(
                    f"classes={unique_labels(classes).tolist()} is not the same as on "
                    f"the first call to partial_fit, which was {self.classes_.tolist()}."
                )
        if incremental and not fitted:
            if classes is None and target_type != "multilabel-indicator":
                raise ValueError("classes must be passed on the first call to partial_fit.")
        if fitted and not incremental and not first_pass:
            _check_warm_start_classes(y, self.classes_)
            return self._codec
        if fitted and incremental:
            self._codec.check_targets(y)
            return self._codec
        binarizer = self._new_binarizer(y, incremental, classes, target_type)
        return LabelCodec(binarizer, float(self.label_smoothing))

    @staticmethod
    def _new_binarizer(y, incremental, classes, target_type):
        binarizer = LabelBinarizer()
        if incremental and target_type != "multilabel-indicator":
            binarizer.fit(np.asarray(classes))
            check_known_labels(y, binarizer.classes_, "listed in classes=")
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
        dtype = y.dtype if y.dtype.kind == "f" else np.float64
        weights = compute_sample_weight(self.class_weight, y).astype(dtype)
        return weights if sample_weight is None else weights * sample_weight

    def _loss_for(self, codec):
        return codec.loss

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
        output = self._output(X, _same)
        return self._codec.decode(output)

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
        proba = self._output(X, _same)
        y_type = self._codec.binarizer.y_type_
        if proba.shape[1] == 1 and y_type == "binary":
            return np.hstack([1 - proba, proba])
        if y_type == "multiclass" and proba.dtype != self._network.dtype:
            # a softmax computed in float32 sums to 1 only to float32's precision;
            # in X's float64 a row must sum to 1 (log_loss warns otherwise)
            proba /= proba.sum(axis=1, keepdims=True)
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


_SIGNATURE = (*SKLEARN_MLP, *EXTRAS, "class_weight", "label_smoothing")

_TWIN_INTRO = """Multi-layer perceptron classifier: scikit-learn's, twinned.

    The same class name, parameters, defaults, fitted attributes and results
    (up to floating point) as :class:`sklearn.neural_network.MLPClassifier`:
    change the import and code keeps working, with the same random numbers
    drawn in the same order. It runs on skembed's engine (several times
    faster, float32 end to end, sparse input) and adds ``transform`` and
    ``embed``, which return the embedding of a hidden layer, a validation set
    of your own in ``fit``, and the keyword-only parameters after
    ``max_fun``, whose defaults change nothing scikit-learn does. The
    differences that remain are listed in the documentation page
    "Differences from scikit-learn's MLP".

    For a raw table (numbers on any scale, categorical columns), see
    :class:`EmbeddingMLPClassifier`.

"""

_TWIN_EXAMPLES = """
    See Also
    --------
    EmbeddingMLPClassifier : The model for tables.
    sklearn.neural_network.MLPClassifier : The classifier this one twins.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skembed import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=1000,
    ...                     random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
"""


class MLPClassifier(_Classifier):
    _signature = Signature(_SIGNATURE, 2, {})
    __init__ = make_init(_signature)
    _parameter_constraints = _signature.constraints()
    __doc__ = compose(_TWIN_INTRO, _signature, ATTRIBUTES["classifier"], _TWIN_EXAMPLES)


_INTRO = """Multi-layer perceptron classifier for tables, whose layers are embeddings.

    The model for tables: fit it on the raw DataFrame, numbers on any scale,
    missing values and categorical columns (pandas ``category``, string and
    boolean dtypes), with no scaler or encoder in front. Numeric columns are
    scaled and embedded inside the network (``numeric_scaling``,
    ``numeric_embedding``), categorical columns learned as embedding tables
    (``categorical_embeddings_``), and a validation split keeps the best
    epoch. It takes the parameters of scikit-learn's ``MLPClassifier`` (and
    of :class:`MLPClassifier`, skembed's twin of it), with defaults chosen for
    tables. Binary targets get one logistic output unit, multiclass targets a
    softmax, multilabel indicator targets one logistic unit per label.

    ``transform`` returns the embedding of hidden layer ``embedding_layer``,
    so the network can be a step of a Pipeline, and ``embed`` returns any
    layer, the input embedding included.

    Defaults that differ from scikit-learn's, each measured by
    ``benchmarks/bench_defaults.py``: the classification tables of
    ``bench_realdata.py`` (hmda, stackoverflow, taxi), 3 seeds, 80/20 splits,
    one thread; the figures are the held-out 1 - accuracy, mean over the
    seeds, with the default as shipped and then set back to scikit-learn's,
    everything else unchanged; fit seconds are summed over all seven
    development tables, regression included. On stackoverflow and taxi most
    contenders predict the majority class (errors 0.1028 and 0.0790), so
    that many defaults leave them unchanged. The runs that looked at one
    default across more tables (``--only``) are named where they are quoted;
    the figures of the other bullets were made before ``alpha`` rose from
    0.5 to 1.0 and ``weight_averaging`` came in (their own bullets);
    those of ``min_frequency``, the tail, ``tol`` and the small tables were
    made while ``alpha`` was still scikit-learn's 1e-4, and those of
    ``alpha`` without the skip connection.

    - ``categorical_features="auto"`` (scikit-learn: None): category,
      string and boolean columns become embedding tables, and so do codes
      stored as whole numbers (a patient's or a firm's id; the rule is under
      ``categorical_features``). Set back, a frame with text columns is
      refused (all three tables). Chosen on the regression and
      classification tables of ``bench_realdata.py --set codes`` (see
      :class:`EmbeddingMLPRegressor`); of their classification tables,
      carData/KosteckiDillon (133 patients) 0.253 against 0.261 with
      ``"from_dtype"``, and mlmRev/guImmun picks no column; of the
      classification tables outside the development set only Mroz picks one
      (0.0017 against 0, two test rows in eight splits). None of the
      development tables does. A picked column's values need 3 rows for
      a row of their own, not ``min_frequency``'s 5 (chosen on the
      regression tables, see :class:`EmbeddingMLPRegressor`): Kostecki
      0.2527 against 0.2553 held to 5, guImmun unchanged, Mroz one test
      row more (``benchmarks/results/defaults_code_frequency.md``).
    - ``min_frequency=5`` (None): the categories found in fewer than 5
      training rows share the ``<unknown>`` row, so that a column that names
      each row is not memorised. Chosen on the regression tables (MASS/Cars93
      1 - R² 0.013 against 0.096, ggplot2/mpg 0.031 against 0.041; see
      :class:`EmbeddingMLPRegressor`); the classification tables with
      categorical columns, these three and six outside the development set,
      are unchanged (``bench_defaults.py --only min_frequency``).
    - ``numeric_scaling="robust"`` (None): median and interquartile range
      with a smooth clip, so that numbers on their own scales train.
      stackoverflow 0.103 against 0.109, hmda 0.093 against 0.096; taxi
      about the same (0.0788 against 0.0790).
    - ``numeric_embedding="piecewise_linear"`` (None): hmda 0.0931 against
      0.0945; stackoverflow the same, taxi 0.0788 against 0.0790 (and
      concrete 0.080 against 0.120 in 1 - R², see
      :class:`EmbeddingMLPRegressor`). Keeping each column's tail in its
      embedding (see ``numeric_embedding``) loses a little on hmda in the
      current run (0.0931 against 0.0924 clipped at 3); over 8 seeds, both
      0.1011 (the ablation ``tail_clipped_at_3``).
    - ``skip_connection=True`` (False): a linear map from the input
      embedding straight to the output logits, beside the hidden layers, so
      that the network holds a logistic regression of its inputs and the
      hidden layers learn what it misses. Over 4 seeds: hmda 0.0982 against
      0.0987, stackoverflow 0.1028 against 0.1030, taxi 0.0789 against
      0.0790; ISLR/OJ 0.185 against 0.203, MASS/fgl 0.262 against 0.273;
      it rises on MASS/biopsy (0.052 against 0.046), MASS/Pima.tr (0.263
      against 0.256) and MASS/infert (0.330 against 0.320). Over the 40
      tables of ``bench_defaults.py --only skip_connection`` the error fell
      on 18 and rose on 15 (see :class:`EmbeddingMLPRegressor`). In the
      current run (3 seeds): taxi 0.0788 against 0.0790, hmda and
      stackoverflow the same.
    - ``hidden_layer_sizes=(256, 256)`` ((100,)): hmda 0.0931 against 0.1008,
      stackoverflow 0.1028 against 0.1034, taxi 0.0788 against 0.0790; 2.6
      times the fit time (60.2 s against 23.4 s).
    - ``alpha=1.0`` with ``alpha_scaling="n_samples"`` (1e-4, ``"batch"``):
      an L2 penalty of 1.0 / (2 n) on the squared weights, n the training
      rows, added to the mean loss: strong on small tables, faint on large
      ones. Twice the regressor's 0.5, which was chosen on the regression
      tables and the 40 tables of ``bench_defaults.py --only alpha`` (see
      :class:`EmbeddingMLPRegressor`). Measured on the 27 classification
      tables of ``benchmarks/results/defaults_classifier.md`` (16 seeds: the
      three development tables, those of ``bench_realdata.py``'s outside,
      small and rare sets, and its ``--set classification``; "rises" and
      "falls" by more than 1 %). At 0.5, the weights averaged as shipped,
      the error rises on 5 tables and falls on 3 (MASS/Pima.tr 0.272
      against 0.261, TitanicSurvival 0.223 against 0.219; datasets/infert
      0.275 against 0.280). At 2.0 it falls on 7 and rises on 3, but taxi
      rises to 0.0790, scikit-learn's MLP's (the majority-class rate). Set
      back to 1e-4 it rises on 12 tables and falls on one (MASS/cats 0.216
      against 0.224).
    - ``learning_rate_init=0.003`` (0.001): stackoverflow 0.1028 against
      0.1031, hmda the same (0.0931); it loses on taxi (0.0788 against
      0.0787). Chosen on the regression tables (see
      :class:`EmbeddingMLPRegressor`).
    - ``early_stopping="auto"`` (False): hold out ``validation_fraction``
      and keep the best epoch, for the stochastic solvers, when the training
      data has 100 rows or more (fewer rows train on all of them). hmda
      0.093 against 0.102, stackoverflow 0.103 against 0.146, taxi 0.079
      against 0.124, and twice as fast (60.2 s against 117.6 s). The
      classifier held out from 100 rows first; the regressor, which waited
      for 200, now does too (see :class:`EmbeddingMLPRegressor`).
      On the seven small tables of ``bench_realdata.py --set small`` (115 to
      198 training rows), training on every row left a log-loss of 0.96 to
      3.47 on five of them (Pima.tr 1.69, the linear model's 0.48). Stopping
      on the held-out tenth lowered it on six (Pima.tr 0.49, birthwt 3.47 to
      0.61, infert 1.50 to 0.65), crabs the exception (0.031 against 0.026).
      Accuracy moved both ways: birthwt 0.658 against 0.614, infert 0.660
      against 0.640, cats 0.701 against 0.736, fgl 0.736 against 0.775, the
      other three the same (mean 0.783 against 0.784).
    - ``n_iter_no_change=20`` (10): a validation loss that stalls for 10
      epochs often falls again. The same errors on the three tables, chosen
      on the regression tables (see :class:`EmbeddingMLPRegressor`); fits
      are longer (60.2 s against 43.0 s).
    - ``tol=1e-7`` (1e-4): the smallest fall of the validation loss that
      counts as progress, HistGradientBoosting's early-stopping tolerance,
      chosen on the regression tables (see :class:`EmbeddingMLPRegressor`).
      The same errors on the three tables; over 8 seeds (``bench_defaults.py
      --only tol``) it changes no classification table's error but
      MASS/Aids2's (0.0046 against 0.0048).
    - ``scoring="loss"`` (None): early stopping on the validation log-loss, as
      HistGradientBoosting's, rather than on accuracy, which moves in steps
      of one validation row. stackoverflow 0.1028 against 0.1040, hmda the
      same (0.0931); it loses on taxi (0.0788 against 0.0783). In the run
      that chose it, hmda 0.093 against 0.096.
    - ``max_iter=100`` (200): the same errors on the three tables (early
      stopping ends those fits sooner); 100 bounds the fit where it does not
      stop early. The regressor's ``"auto"`` (150 epochs, and 30 of
      patience, where an epoch is a single optimizer step) is not the
      classifier's default: over 8 seeds on the 11 classification tables of
      the benchmarks fitted on up to 400 rows
      (``benchmarks/results/defaults_budget_classifier.md``) it raised the
      error on 2 (MASS/cats 0.228 against 0.224, MASS/Pima.tr 0.244 against
      0.241) and lowered it on none by 1 % or more.
    - ``dtype="auto"`` (None): float32 for mini-batch training, float64 for
      full-batch training (lbfgs, or one batch). stackoverflow the same,
      taxi 0.0788 against 0.0790; it loses on hmda (0.0931 against 0.0896
      in float64, about two test rows in each seed's 476), and fits are
      1.8 times faster (60.2 s against 107.0 s).
    - ``weight_averaging=0.99`` (None, scikit-learn's last step): the model
      is the moving average of the weights over about the last hundred
      steps, as the regressor's. On the 27 tables of
      ``defaults_classifier.md``, set back to None the error rises on 10
      tables and falls on 2 (AER/CreditCard 0.025 against 0.022,
      carData/Wells 0.367 against 0.360, ISLR/OJ 0.187 against 0.181; iris
      0.031 against 0.033, hmda 0.1010 against 0.1020). Both set back to the classifier's former
      defaults (``alpha=0.5``, the last step): the error rises on 11 tables
      (MASS/Pima.te 0.243 against 0.226, Pima.tr 0.277 against 0.261, the
      first names of openintro/get_it_dunn_run 0.337 against 0.323,
      Ecdat/Mode 0.361 against 0.352, hmda 0.1033 against 0.1020) and
      falls on one (cats 0.216 against 0.224). On the development tables
      (the run of ``realdata.md`` that followed, 3 seeds) hmda 0.0917
      against 0.0931 and taxi 0.0785 against 0.0788; stackoverflow 0.1031
      against 0.1028, one test row in one seed, which put it that row
      behind the linear model (over 16 seeds 0.1030 against the former
      0.1030). The current ``realdata.md``, run again on another processor,
      has stackoverflow at 0.1028, level with the linear model.

    - ``dropout="auto"`` (0): inverted dropout on the hidden activations
      while training, where the fit holds out rows and keeps its best epoch
      (``early_stopping="auto"``: 100 training rows or more), at RealMLP's
      rate of 0.15 on up to 1,000 training rows and falling as 1 / rows past
      them (see ``dropout``); 0 with ``solver="lbfgs"``, in ``partial_fit``
      and on fewer rows. Measured on the 27 classification tables of
      ``benchmarks/results/defaults_dropout.md`` (8 seeds; "rises" and
      "falls" by more than 1 %): set back to 0, the error rises on 12 and
      falls on 5. Rises: MASS/biopsy 0.048 against 0.041, MASS/Aids2 0.0040
      against 0.0037, Ecdat/Mode 0.346 against 0.335, AER/SwissLabor 0.334
      against 0.328, MASS/Pima.te 0.230 against 0.226, the first names of
      openintro/get_it_dunn_run 0.309 against 0.301, MASS/birthwt 0.326
      against 0.313, ISLR/Default 0.0268 against 0.0263. Falls: carData/Wells
      0.352 against 0.362, AER/CreditCard 0.0185 against 0.0199, carData/Chile
      0.322 against 0.327, MASS/Pima.tr 0.2375 against 0.2406,
      datasets/infert 0.310 against 0.318. hmda 0.1003 against 0.0998 and
      taxi the same (0.0788); stackoverflow 0.1029 against 0.1037. At 0.15
      on every table (no fall past 1,000 rows) the larger tables lose:
      hmda 0.1016, stackoverflow 0.1040, taxi 0.0790, Wells 0.357; on the
      3 seeds of ``bench_realdata.py`` (a scratch run) taxi rose to
      scikit-learn's MLP's 0.0790, the majority-class rate, and hmda from
      0.0917 to 0.0959.
      The regressor keeps 0: with dropout its error rose on more regression
      tables than it fell (see :class:`EmbeddingMLPRegressor`). Fits take a
      little longer (23.8 s against 21.1 s summed over the 27 tables).

    ``n_networks`` stays 1: each estimator is one network, whose layers
    ``transform`` and ``embed`` return. Five averaged networks
    (``n_networks=5``, probabilities averaged) lowered the log-loss on the
    three tables (hmda 0.270 against 0.274, stackoverflow 0.303 against
    0.306, taxi 0.267 against 0.269) but not the error: stackoverflow
    0.1025 against 0.1028, taxi 0.0790 against 0.0787, hmda 0.0959
    against 0.0910 (``benchmarks/results/ensemble.md``). The fit takes
    about five times as long.

    ``linear_start`` stays False, where the regressor's is ``"auto"``: a
    start at a logistic regression of the inputs (``linear_start=True``)
    lowered the error on 6 of 21 classification tables and raised it on 8
    (8 seeds, ``benchmarks/results/defaults_linear_start.md``): hmda 0.0985
    against 0.1003, MASS/biopsy 0.044 against 0.048, Ecdat/Mode 0.330
    against 0.346, the first names of openintro/get_it_dunn_run 0.293
    against 0.309; stackoverflow 0.1041 against 0.1029, MASS/Pima.te 0.235
    against 0.230, carData/Womenlf 0.359 against 0.351, carData/Wells 0.359
    against 0.352, AER/CreditCard 0.021 against 0.019.

    For scikit-learn's defaults and results, use :class:`MLPClassifier`.

"""

_EXAMPLES = """
    See Also
    --------
    EmbeddingMLPRegressor : The model for tables, for numbers.
    MLPClassifier : The MLP classifier of scikit-learn, twinned.

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from skembed import EmbeddingMLPClassifier
    >>> from skembed.datasets import make_houses
    >>> X, price = make_houses(2000, random_state=0)  # 4 numeric columns, 2 categorical
    >>> expensive = price > price.median()
    >>> X_train, X_test, y_train, y_test = train_test_split(X, expensive, random_state=0)
    >>> clf = EmbeddingMLPClassifier(random_state=0).fit(X_train, y_train)
    >>> clf.score(X_test, y_test) > 0.9
    True
    >>> clf.predict_proba(X_test[:2]).shape
    (2, 2)
"""


class EmbeddingMLPClassifier(_Classifier):
    _signature = Signature(_SIGNATURE, 2, TABLE_CLASSIFIER_DEFAULTS)
    __init__ = make_init(_signature)
    _parameter_constraints = _signature.constraints()
    __doc__ = compose(_INTRO, _signature, ATTRIBUTES["classifier"], _EXAMPLES)
