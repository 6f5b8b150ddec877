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

    def validation_target(self, y_true):
        """The scaled target in float64: what ``validation_loss`` compares the
        output with."""
        return self.encode(y_true, np.float64)

    def validation_loss(self, target, output, sample_weight=None):
        """The training loss of the output on ``validation_target``'s scaled
        ``target``, without the penalty: half squared error averaged over the
        outputs, or half Poisson deviance summed over them; weighted mean over
        the rows."""
        output = output.astype(np.float64)
        if self.poisson:
            with np.errstate(divide="ignore"):
                per_row = (xlogy(target, target) - xlogy(target, output) - target
                           + output).sum(axis=1)
        else:
            per_row = 0.5 * ((output - target) ** 2).mean(axis=1)
        return float(np.average(per_row, weights=sample_weight))

    check_targets = staticmethod(_fitting.check_numeric_target)


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


_INTRO = """Multi-layer perceptron regressor for tables, whose layers are embeddings.

    The model for tables: fit it on the raw DataFrame, numbers on any scale,
    missing values and categorical columns (pandas ``category``, string and
    boolean dtypes), with no scaler or encoder in front. Numeric columns are
    scaled and embedded inside the network (``numeric_scaling``,
    ``numeric_embedding``), categorical columns learned as embedding tables
    (``categorical_embeddings_``), and a validation split keeps the best
    epoch. It takes the parameters of scikit-learn's ``MLPRegressor`` (and of
    :class:`MLPRegressor`, skembed's twin of it), with defaults chosen for
    tables.

    ``transform`` returns the embedding of hidden layer ``embedding_layer``,
    so the network can be a step of a Pipeline, and ``embed`` returns any
    layer, the input embedding included. Each layer is a linear combination
    ``z = a W + b`` (the columns of ``W`` and the entries of ``b`` are pattern
    detectors) followed by a non-linearity ``a = f(z)``.

    Defaults that differ from scikit-learn's, each measured by
    ``benchmarks/bench_defaults.py``: the regression tables of
    ``bench_realdata.py`` (concrete, hotel_rates, diamonds, cpssw8), 3 seeds,
    80/20 splits, one thread; the figures are the held-out 1 - R², mean over
    the seeds, with the default as shipped and then set back to
    scikit-learn's, everything else unchanged; fit seconds are summed over
    all seven development tables, classification included. The runs that
    looked at one default across the tables outside the development set
    (``--only``, 4 to 8 seeds) are named where they are quoted; those of
    ``min_frequency``, the tail and ``tol`` were made while ``alpha`` was
    still scikit-learn's 1e-4, and those of ``alpha`` without the skip
    connection; all but ``linear_start``'s were made before it was on.

    - ``categorical_features="auto"`` (scikit-learn: None): category,
      string and boolean columns become embedding tables, and so do codes
      stored as whole numbers (a firm's or a county's id; the rule is under
      ``categorical_features``). Set back, a frame with text columns is
      refused (hotel_rates, diamonds, cpssw8). Against ``"from_dtype"``, the
      dtype alone, over 8 seeds (``bench_defaults.py --only none --try
      categorical_features=from_dtype``,
      ``benchmarks/results/defaults_codes.md``): on the eleven panel and
      multilevel tables of ``bench_realdata.py --set codes``, where it was
      chosen, the error fell on nine (Ecdat/Males 0.545 against 0.733,
      plm/Snmesp 0.008 against 0.033, plm/EmplUK 0.012 against 0.051,
      plm/Grunfeld 0.026 against 0.048, Ecdat/Crime 0.105 against 0.196,
      plm/Hedonic 0.124 against 0.165, mlmRev/Socatt 0.692 against 0.843,
      carData/KosteckiDillon 0.253 against 0.261, wooldridge/benefits 0.330
      against 0.336) and two picked no column (HLMdiag/autism, whose
      children's effects hide behind their age's when each column is
      compared alone; mlmRev/guImmun, whose communities tell little). Of
      the 27 tables outside the development set, six pick a column in some
      splits: lower on Ecdat/Cigar (0.028 against 0.047), Ecdat/Computers
      (0.058 against 0.064) and mtcars (0.422 against 0.455), higher on
      MASS/Boston (0.151 against 0.145: its tax rate, one value per town,
      in five splits of eight), MASS/Cars93 (0.0142 against 0.0137) and Mroz
      (0.0017 against 0, two test rows in eight splits). Of the development
      tables only concrete picks one (its age, in one split of eight:
      0.0685 against 0.0712).
      A value of a picked column needs 3 rows for a row of its own in the
      table, not ``min_frequency``'s 5: over 8 seeds
      (``bench_defaults.py --only codes_at_min_frequency``,
      ``benchmarks/results/defaults_code_frequency.md``), held to 5 the
      error rises on 10 of 18 tables (mlmRev/Socatt, four rows per
      respondent, 0.843 against 0.692; plm/EmplUK 0.023 against 0.012;
      Ecdat/Crime 0.126 against 0.105; plm/Snmesp 0.014 against 0.008) and
      falls on MASS/Boston (0.145 against 0.151, its tax rate picked in
      five splits of eight) and Mroz (one test row). The 3 was chosen over
      2 on the codes tables (Hedonic 0.124 at 3, 0.146 at 2).
    - ``min_frequency=5`` (None): the categories found in fewer than 5
      training rows share the ``<unknown>`` row, so that a column that names
      each row is not memorised. Measured with ``bench_defaults.py --only
      min_frequency`` on the development tables and on the 21 tables of
      ``bench_realdata.py --set outside`` that have categorical columns:
      MASS/Cars93 (three of its columns name the car) 0.013 against 0.096,
      ggplot2/mpg 0.031 against 0.041, AER/Fatalities 0.0050 against
      0.0070, hotel_rates 0.0474 against 0.0478; it loses on AER/CASchools
      (0.200 against 0.193), and changes none of the other 22. In the
      current run: hotel_rates 0.0458 against 0.0470, the other three the
      same.
    - ``numeric_scaling="robust"`` (None): median and interquartile range
      with a smooth clip, so that numbers on their own scales train. concrete
      0.080 against 0.257, hotel_rates 0.046 against 0.080, diamonds 0.0071
      against 0.0082; cpssw8 about the same (0.7254 against 0.7256).
    - ``numeric_embedding="piecewise_linear"`` (None): concrete 0.080 against
      0.120, hotel_rates 0.046 against 0.058, diamonds 0.0071 against
      0.0078, cpssw8 0.7254 against 0.7263. After robust scaling, the number in
      each column's embedding keeps the column's tail (see
      ``numeric_embedding``): measured against the number clipped at 3 (the
      ablation ``tail_clipped_at_3``, 8 seeds), the error fell on 17 of the
      27 tables outside the development set and rose on 9 (ISLR/College
      0.078 against 0.139, MASS/Boston 0.173 against 0.145); on the
      development tables it moves by 1.5% at most (in the current run
      concrete 0.0797 against 0.0788, hotel_rates 0.0458 against 0.0461).
    - ``skip_connection=True`` (False): a linear map from the input
      embedding straight to the output, beside the hidden layers, so that
      the network holds a linear model of its inputs and the hidden layers
      learn what it misses. Over 4 seeds on 40 tables (``bench_defaults.py
      --only skip_connection``: the development tables, the 27 outside them
      and six small classification tables) the error fell on 18 and rose on
      15, about the same on the geometric mean of the ratios (1.003). It
      falls most where the linear model is strong (ISLR/OJ 0.185 against
      0.203, ISLR/Hitters 0.426 against 0.459, AER/HousePrices 0.409
      against 0.430, AER/CPS1985 0.700 against 0.722) and rises most on
      MASS/Cars93 (0.0076 against 0.0060), MASS/biopsy (0.052 against
      0.046), AER/Fatalities (0.0054 against 0.0050) and MASS/Boston (0.143
      against 0.137). On the regression tables: concrete 0.0762 against
      0.0773, cpssw8 0.7252 against 0.7255; hotel_rates 0.0461 against
      0.0458, diamonds 0.0071 against 0.0070. Fits take about as long (74.5 s
      against 75.5 s over the 40 tables). In the current run (3 seeds):
      concrete 0.0797 against 0.0807, cpssw8 0.7254 against 0.7259,
      hotel_rates the same (0.0458), diamonds 0.0071 against 0.0070; 60.2 s
      against 62.7 s. In ``bench_realdata.py --set
      outside`` (3 seeds) it took the model from 19 to 20 of the 27 tables
      on which it beats scikit-learn's MLP, from 24 to 26 on which it is
      within RealMLP-TD's error, and from 16 to 18 on which the raw frame
      scores at least the linear model's.
    - ``linear_start="auto"`` (False; scikit-learn's MLP has none): where
      the fit stops early on held-out rows (``early_stopping="auto"``: 100
      training rows or more), the network starts as a ridge regression of
      its inputs (each column's scaled value, the missing-value indicators,
      the categories' embeddings), fitted in closed form before the first
      epoch, with its output layer at zero; weight decay then pulls the skip
      weights toward that fit rather than toward zero (see
      ``linear_start``). Over 8 seeds on 24 regression tables
      (``benchmarks/results/defaults_linear_start.md``: concrete,
      hotel_rates, cpssw8, the 19 of ``bench_realdata.py --set outside`` and
      the two of ``--set rare``), set back to False the error rises on 10
      and falls on 3. It rises most where a linear model is strong:
      AER/Fatalities 0.0056 against 0.0024, ISLR/Carseats 0.215 against
      0.164, AER/HousePrices 0.403 against 0.368, MASS/Boston 0.174 against
      0.145, Ecdat/Doctor 1.028 against 0.996 (which takes both Carseats and
      Doctor past scikit-learn's MLP, 0.180 and 1.011); hotel_rates 0.0453
      against 0.0447, concrete 0.0714 against 0.0712, cpssw8 0.7253 against
      0.7249. It falls on ISLR/Hitters (0.460 against 0.482), AER/Affairs
      (0.976 against 1.015, which is worse than predicting the mean) and
      AER/Guns (0.0121 against 0.0125); AER/CPS1985 0.699 against 0.704. Fits stop later
      (65.1 s against 49.1 s summed over the 45 tables of the run; the start
      itself takes milliseconds). On tables that hold nothing out it stays
      off: with ``linear_start=True`` there (no held-out rows; 100
      full-batch steps) MASS/Cars93 falls from 0.0137 to 0.0015, but
      datasets/mtcars rises from 0.455 to 0.595 and carData/Prestige from
      0.166 to 0.177 (and ggplot2/mpg from 0.033 to 0.043, which then held
      nothing out). Where the small tables of ``--set small_regression``
      hold rows out, the start matters more: set to False there the error
      rises on 25 of the 37 and falls on 7, and 17 rather than 22 score at
      least the linear model
      (``benchmarks/results/defaults_small_regression.md``).
    - ``hidden_layer_sizes=(256, 256)`` ((100,)): concrete 0.080 against
      0.099, hotel_rates 0.0458 against 0.0461, diamonds 0.0071 against
      0.0074, cpssw8 0.7254 against 0.7262; 2.6 times the fit time (60.2 s
      against 23.4 s).
    - ``alpha=0.5`` with ``alpha_scaling="n_samples"`` (1e-4, ``"batch"``):
      an L2 penalty of 0.5 / (2 n) on the squared weights, n the training
      rows, added to the mean loss: a prior of fixed strength that weighs
      much on a table of a few hundred rows and little on one of fifty
      thousand, where scikit-learn's 1e-4 per batch weighs the same on both.
      Against ``alpha`` set back to 1e-4 (next to no penalty): hotel_rates
      0.0458 against 0.0478, diamonds 0.0071 against 0.0073; concrete and
      cpssw8 about the same (0.0797 against 0.0798, 0.7254 against 0.7255).
      Against ``alpha_scaling="batch"`` at 0.5 (0.5 / 400 at every step,
      however many rows): concrete 0.080 against 0.089, hotel_rates 0.046
      against 0.054, diamonds 0.0071 against 0.0147. Over 4 seeds on 40 tables
      (``bench_defaults.py --only alpha``: the development tables, the 27
      outside them and six small classification tables) the error fell on
      25 (MASS/Cars93 0.006 against 0.011, datasets/mtcars 0.44 against
      0.70, carData/Prestige 0.162 against 0.191) and rose on 11
      (ggplot2/mpg 0.033 against 0.028, AER/Guns 0.0115 against 0.0095,
      Ecdat/Cigar 0.046 against 0.041, MASS/cats 0.267 against 0.233);
      the geometric mean of the ratios is 0.96. Fits are longer (60.2 s
      against 41.8 s).
    - ``learning_rate_init=0.003`` (0.001): hotel_rates 0.0458 against
      0.0473, concrete 0.0797 against 0.0811; diamonds and cpssw8 about the
      same (0.0071, 0.7254 against 0.7260).
    - ``early_stopping="auto"`` (False): hold out ``validation_fraction``
      and keep the best epoch, for the stochastic solvers, when the training
      data has 100 rows or more (fewer rows train on all of them), as the
      classifier does. On the 37 tables of 100 to 198 training rows of
      ``bench_realdata.py --set small_regression`` (8 seeds,
      ``benchmarks/results/defaults_small_regression.md``), the former
      threshold of 200 rows, which trained them on every row, lowered the
      error on 16 and raised it on 19; it left 7 of them worse than
      predicting the mean (1 - R² over 1: MASS/survey 1.80 against 1.07,
      modeldata/steroidogenic_toxicity 2.97 against 1.49, heplots/NLSY 1.38
      against 0.88), 100 rows leaves 4, and the model beats
      HistGradientBoosting on 24 of the 37 (18 before) and scored at least
      the linear model on 22 (19; both fitted on the same splits in
      ``benchmarks/results/realdata_small_regression.md``, where with
      ``max_iter="auto"`` it is 23, and RealMLP-TD is ahead on 8 of them,
      wooldridge/barium 0.0099). It loses most where
      the target is close to a function of the columns (wooldridge/barium
      0.098 against 0.040, carData/Davis 0.381 against 0.129,
      wooldridge/lawsch85 0.056 against 0.031), and fits take half the time
      (5.7 s against 11.2 s). On the development tables: cpssw8 0.7254
      against 0.7312, diamonds about the same (0.0071 against 0.0070), and
      twice as fast (60.2 s against 117.6 s); it loses on concrete (0.0797
      against 0.0791) and hotel_rates (0.0458 against 0.0442), and is chosen
      for the classification tables above all (stackoverflow 0.103 against
      0.146, taxi 0.079 against 0.124, see :class:`EmbeddingMLPClassifier`).
    - ``n_iter_no_change="auto"`` (10): 20 epochs, or 30 where an epoch is
      a single optimizer step (see ``max_iter``). 20 epochs
      rather than 10: a validation loss that stalls for 10
      epochs often falls again. Chosen when ``tol`` was scikit-learn's 1e-4
      (diamonds 0.0074 against 0.0077 then); in the current run diamonds
      0.0071 against 0.0072, the other three the same; fits are longer
      (60.2 s against 43.0 s).
    - ``tol=1e-7`` (1e-4): the smallest fall of the validation loss that
      counts as progress, HistGradientBoosting's early-stopping tolerance. The
      loss is that of the standardised target, so on a table the network fits
      closely 1e-4 is a large step: diamonds (half the mean squared error near
      0.004) stopped after about 28 epochs, the last of them its best. In the
      current run diamonds 0.0071 against 0.0074, the other three the same,
      at about twice the fit time (60.2 s against 32.0 s). Measured over 8
      seeds on the 34 tables of the development and outside sets
      (``bench_defaults.py --only tol``): the error is lower on 7 (among them
      AER/Fatalities 0.0055 against 0.0069, MASS/Cars93 0.0183 against 0.0195,
      AER/Guns 0.0106 against 0.0113), higher on one (ISLR/College 0.0778
      against 0.0776) and the same on 26.
    - ``scoring="loss"`` (None): early stopping on the validation loss, as
      HistGradientBoosting's. For the squared error it picks the same epochs
      as R² on the four tables (the same errors); for a Poisson loss it
      follows the deviance the network minimises.
    - ``max_iter="auto"`` (200): 100 epochs, or 150 where an epoch is a
      single optimizer step (200 rows or fewer trained on, at batches of
      200), with ``n_iter_no_change="auto"`` 30 epochs of patience there:
      such a table took 100 steps in all and stopped after 20 without
      progress. Against 100 and 20 epochs over 8 seeds on the 51 regression
      tables of ``bench_realdata.py`` fitted on up to 400 rows
      (``benchmarks/results/defaults_budget.md``: the 37 of ``--set
      small_regression``, 12 of ``--set outside``, 2 of ``--set codes``)
      the error is lower on 12 (MASS/Cars93 0.0103 against 0.0142,
      Ecdat/Money 0.237 against 0.275, plm/Grunfeld 0.0279 against 0.0297,
      carData/UN 0.093 against 0.097, ggplot2/mpg 0.047 against 0.049) and
      higher on 2 (carData/Prestige 0.170 against 0.166); the geometric
      mean of the ratios is 0.98, and these fits take 1.3 times as long
      (10.1 s against 7.6 s over the 51). 300 steps and 60 of patience
      (the first version of ``defaults_budget.md``, in the repository's
      history) lowered the error on 16 of the 51 and raised it on 5, but
      took the smallest tables' fits past a fifth of RealMLP-TD's time
      (wooldridge/ceosal1 0.86 s against 3.09 s). For 100
      epochs rather than 200: the same errors on hotel_rates, diamonds and
      cpssw8 (early stopping ends those fits sooner); 100 bounds the fit
      where it does not stop early. Concrete's fits reach the bound, and
      200 epochs lower its error (0.0789 against 0.0797). A fit that reaches
      it while its validation loss still falls warns
      (``ConvergenceWarning``), as scikit-learn's MLP does. On the 13
      regression tables of ``benchmarks/results/defaults_small_tables.md``
      (8 seeds; a table under 200 training rows then held nothing out and
      took one step an epoch) 200 lowered the error on 3 (MASS/Cars93 0.0090
      against 0.0137, ggplot2/mpg, AER/Fatalities) and raised it on 2
      (datasets/mtcars 0.465 against 0.455, carData/Prestige 0.172 against
      0.166); 1000 took Cars93 to 0.0035 and Prestige to 0.184, at 2.6
      times the fit time over the 30 tables.
    - ``dtype="auto"`` (None): float32 for mini-batch training, float64 for
      full-batch training (lbfgs, or one batch). The errors stay within the
      seeds' noise (concrete 0.0797 against 0.0792, hotel_rates 0.0458
      against 0.0457, diamonds and cpssw8 the same), and fits are 1.8 times
      faster (60.2 s against 107.0 s).
    - ``target_scaling=True`` (False): the network learns the standardised
      target. concrete 0.080 against 0.103, hotel_rates 0.0458 against
      0.0463, diamonds 0.0071 against 0.0078; cpssw8 the same (0.7254).
    - ``weight_averaging=0.99`` (None, scikit-learn's last step): the model
      is the moving average of the weights over about the last hundred
      steps. concrete 0.080 against 0.083, hotel_rates 0.0458 against
      0.0498, diamonds 0.0071 against 0.0076, cpssw8 0.7254 against 0.7261;
      fits are longer (60.2 s against 49.5 s).

    ``n_networks`` stays 1: each estimator is one network, whose layers
    ``transform`` and ``embed`` return. Five averaged networks
    (``n_networks=5``) lowered the error on hotel_rates (0.0403 against
    0.0453), diamonds and cpssw8 (concrete 0.0763 against 0.0747), and on
    14 of 27 tables outside the development set (10 rose), at about five
    times the fit
    (``benchmarks/results/ensemble.md``, ``ensemble_outside.md``; the user
    guide's "Averaging several networks").

    ``dropout`` stays 0, where the classifier's is ``"auto"``: with
    ``dropout="auto"`` (where the fit holds rows out, 0.15 up to 1,000
    training rows and falling as 1 / rows past them) the error fell on 2 of
    24 regression tables and rose on 9 (8 seeds,
    ``benchmarks/results/defaults_dropout_regression.md``; the four tables
    under 200 rows, which then held nothing out, unchanged): MASS/Boston 0.140
    against 0.145, Ecdat/Computers 0.0636 against 0.0643; ISLR/Carseats
    0.172 against 0.164, ISLR/College 0.080 against 0.073, AER/Cigar 0.052
    against 0.047, AER/HousePrices 0.378 against 0.368, concrete 0.0720
    against 0.0712.

    For scikit-learn's defaults and results, use :class:`MLPRegressor`.

"""

_EXAMPLES = """
    See Also
    --------
    EmbeddingMLPClassifier : The model for tables, for classes.
    MLPRegressor : The MLP regressor of scikit-learn, twinned.

    Examples
    --------
    >>> from sklearn.model_selection import train_test_split
    >>> from skembed import EmbeddingMLPRegressor
    >>> from skembed.datasets import make_houses
    >>> X, y = make_houses(2000, random_state=0)  # 4 numeric columns, 2 categorical
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> reg = EmbeddingMLPRegressor(random_state=0).fit(X_train, y_train)
    >>> reg.score(X_test, y_test) > 0.95
    True
    >>> reg.transform(X_test[:3]).shape
    (3, 256)
    >>> reg.categorical_embeddings_["neighbourhood"].shape  # 20 + unknown + missing
    (22, 9)

    Five networks averaged, in five times the fit (``n_networks``):

    >>> five = EmbeddingMLPRegressor(n_networks=5, random_state=0).fit(X_train, y_train)
    >>> round(reg.score(X_test, y_test), 4), round(five.score(X_test, y_test), 4)
    (0.9959, 0.9963)
"""


class EmbeddingMLPRegressor(_Regressor):
    _signature = Signature(_SIGNATURE, 3, TABLE_DEFAULTS)
    __init__ = make_init(_signature)
    _parameter_constraints = _signature.constraints()
    __doc__ = compose(_INTRO, _signature, ATTRIBUTES["regressor"], _EXAMPLES)
