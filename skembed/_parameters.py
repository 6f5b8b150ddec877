"""The constructor parameters of every estimator, declared once.

Each parameter is one :class:`Parameter`: its name, what values it accepts
(scikit-learn's declarative constraints), its default (scikit-learn's, or for
skembed's own parameters the one that changes nothing scikit-learn does: the
twins' defaults), and its documentation.
An estimator class lists the names it takes, in signature order, with the
defaults that differ for it; :func:`make_init` builds its ``__init__`` (which
stores each argument under its own name and does nothing else, as
scikit-learn requires) and :func:`parameters_doc` the "Parameters" section of
its docstring. The signature is a real one: ``inspect.signature``,
``get_params``, ``clone`` and ``help`` see every parameter.
"""

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, Options, StrOptions

from ._activations import ACTIVATIONS


@dataclass(frozen=True)
class Parameter:
    """One constructor parameter: what it accepts, its default, its documentation.

    ``kind`` is the numpydoc type before ", default=..."; ``doc`` the
    description, indented by four spaces per line.
    """

    name: str
    constraints: list
    default: object
    kind: str
    doc: str


def _doc(text):
    return "\n".join("    " + line if line else line for line in text.strip().splitlines())


PARAMETERS = {
    p.name: p
    for p in [
        Parameter("loss", [StrOptions({"squared_error", "poisson"})], "squared_error",
                  '{"squared_error", "poisson"}', _doc("""
Half squared error, or the Poisson deviance with an exponential output (for
counts and other non-negative targets).""")),
        Parameter("hidden_layer_sizes",
                  ["array-like", Interval(Integral, 1, None, closed="left")], (100,),
                  "array-like of shape (n_layers - 2,) or int", _doc("""
Width of each hidden layer.""")),
        Parameter("activation", [StrOptions(set(ACTIVATIONS))], "relu",
                  '{"relu", "identity", "tanh", "logistic", "leaky_relu", "gelu"}', _doc("""
Non-linearity of the hidden layers. ``"leaky_relu"`` has slope 0.01 below
zero; ``"gelu"`` is the tanh approximation
``0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))``.""")),
        Parameter("solver", [StrOptions({"lbfgs", "sgd", "adam"})], "adam",
                  '{"adam", "sgd", "lbfgs"}', _doc("""
``"lbfgs"`` runs scipy's L-BFGS-B on the whole data; the others run
mini-batches.""")),
        Parameter("alpha", [Interval(Real, 0, None, closed="left")], 0.0001, "float", _doc("""
Strength of the L2 penalty on the weights (and embedding tables), divided by
the sample size when added to the loss (see ``alpha_scaling`` for which
size).""")),
        Parameter("alpha_scaling", [StrOptions({"batch", "n_samples"})], "batch",
                  '{"batch", "n_samples"}', _doc("""
What ``alpha`` is divided by. ``"batch"`` (scikit-learn's MLP): the rows of
each mini-batch, so that each step's penalty is ``alpha / (2 batch_size)
||w||^2`` whatever the number of training rows. ``"n_samples"``: the number
of rows trained on (without the validation split; with ``sample_weight``,
their summed weight), so that the whole objective is the mean loss plus
``alpha / (2 n_samples) ||w||^2``: a prior of fixed strength on the weights,
which counts for less as rows grow (a maximum a posteriori estimate). The
two are the same for ``solver="lbfgs"``. With ``partial_fit``, the rows of
the call.""")),
        Parameter("batch_size",
                  [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")], "auto",
                  'int or "auto"', _doc("""
Mini-batch size of the stochastic solvers; ``"auto"`` is
``min(200, n_samples)``.""")),
        Parameter("learning_rate",
                  [StrOptions({"constant", "invscaling", "adaptive", "cosine"})],
                  "constant", '{"constant", "invscaling", "adaptive", "cosine"}', _doc("""
Learning-rate schedule: ``"constant"``, ``"invscaling"`` and ``"adaptive"``
are scikit-learn's schedules of ``solver="sgd"`` (Adam ignores them, as in
scikit-learn); ``"cosine"``, for both stochastic solvers, lowers the step size
from ``learning_rate_init`` to 0 along a cosine over ``max_iter`` epochs (of
the first call's size, for ``partial_fit``), and starts it again after them:
``partial_fit`` calls or a warm-started ``fit`` past ``max_iter`` epochs go
on learning.""")),
        Parameter("learning_rate_init", [Interval(Real, 0, None, closed="neither")], 0.001,
                  "float", _doc("""
Initial step size of the stochastic solvers.""")),
        Parameter("power_t", [Interval(Real, 0, None, closed="left")], 0.5, "float", _doc("""
Exponent of the ``"invscaling"`` schedule.""")),
        Parameter("max_iter", [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
                  200, 'int or "auto"', _doc("""
Maximum number of epochs (stochastic solvers) or iterations (lbfgs).
``"auto"`` is 100 epochs, or 150 where an epoch is a single optimizer step:
an epoch takes ``ceil(n_rows / batch_size)`` steps (``n_rows`` the rows
trained on, after any held out), so on up to one mini-batch (200 rows at the
``"auto"`` batch size, or any lbfgs fit) 100 epochs are only 100 steps; the
budget is the larger of 100 epochs and 150 steps.""")),
        Parameter("shuffle", ["boolean"], True, "bool", _doc("""
Whether to shuffle the samples each epoch.""")),
        Parameter("random_state", ["random_state"], None,
                  "int, RandomState instance or None", _doc("""
Seeds weight initialisation, the validation split, shuffling and dropout. An
int gives identical results on every run.""")),
        Parameter("tol", [Interval(Real, 0, None, closed="left")], 1e-4, "float", _doc("""
Improvement below which an epoch counts as no progress: an absolute change
of the validation score with early stopping, of the training loss
otherwise.""")),
        Parameter("verbose", ["verbose"], False, "bool", _doc("""
Print the loss (and validation score) of every epoch.""")),
        Parameter("warm_start", ["boolean"], False, "bool", _doc("""
Start ``fit`` from the previous solution.""")),
        Parameter("momentum", [Interval(Real, 0, 1, closed="both")], 0.9, "float", _doc("""
Momentum of ``solver="sgd"``.""")),
        Parameter("nesterovs_momentum", ["boolean"], True, "bool", _doc("""
Whether ``solver="sgd"`` uses Nesterov's momentum.""")),
        Parameter("early_stopping", ["boolean", StrOptions({"auto"})], False,
                  'bool or "auto"', _doc("""
Hold out ``validation_fraction`` of the data (or use ``X_val``), stop when the
validation score stalls for ``n_iter_no_change`` epochs, and keep the best
parameters seen. ``"auto"`` does so for the stochastic solvers when the
training data has at least 100 rows (the held-out share then has 10 or more to
score an epoch on): trained on all its rows, a network overfits a small noisy
table within a few epochs, a classifier drives its probabilities to 0 and 1,
and the best epoch is worth more than the rows held out. Under 100 rows it
trains on all of them. A class found in a single row stays in training, where
``True`` raises scikit-learn's stratification error. ``partial_fit`` never
holds data out.""")),
        Parameter("scoring", [StrOptions({"loss"}), None], None, '"loss" or None', _doc("""
What the validation score of early stopping measures: ``None`` the
estimator's ``score`` (R² for a regressor, accuracy for a classifier), as
scikit-learn's MLP; ``"loss"`` the negative loss on the validation data, as
``scoring="loss"`` of scikit-learn's histogram gradient boosting (the
classifier's log-loss on the labels as given, the regressor's loss on the
scaled target). Accuracy moves in steps of one validation row and stalls
while the probabilities still improve; the log-loss sees every change, so
it picks the best epoch more reliably. ``validation_scores_`` holds these
scores.""")),
        Parameter("validation_fraction", [Interval(Real, 0, 1, closed="left")], 0.1,
                  "float", _doc("""
Share of the training data held out for early stopping.""")),
        Parameter("beta_1", [Interval(Real, 0, 1, closed="left")], 0.9, "float", _doc("""
Decay rate of Adam's first-moment estimate.""")),
        Parameter("beta_2", [Interval(Real, 0, 1, closed="left")], 0.999, "float", _doc("""
Decay rate of Adam's second-moment estimate.""")),
        Parameter("epsilon", [Interval(Real, 0, None, closed="neither")], 1e-8, "float", _doc("""
Adam's numerical-stability constant.""")),
        Parameter("n_iter_no_change",
                  [Interval(Integral, 1, None, closed="left"), Options(Real, {np.inf}),
                   StrOptions({"auto"})], 10, 'int or "auto"', _doc("""
Epochs without progress before stopping. ``"auto"`` is the larger of 20
epochs and 30 optimizer steps, counted as ``max_iter="auto"`` counts them:
30 epochs where an epoch is a single step, 20 otherwise.""")),
        Parameter("max_fun", [Interval(Integral, 1, None, closed="left")], 15000, "int", _doc("""
Maximum number of loss evaluations of ``solver="lbfgs"``.""")),
        Parameter("embedding_layer", [Integral], -1, "int", _doc("""
The hidden layer that ``transform`` returns (0-based, negative from the
end).""")),
        Parameter("embedding_output", [StrOptions({"activation", "pre_activation"})],
                  "activation", '{"activation", "pre_activation"}', _doc("""
``transform`` returns the layer's activations, or its linear combination
``z`` before the non-linearity.""")),
        Parameter("categorical_features",
                  [StrOptions({"auto", "from_dtype"}), "array-like", None], None,
                  '"auto", "from_dtype", array-like or None', _doc("""
Columns to learn through embedding lookup tables: ``"from_dtype"`` (a
DataFrame's ``category``, ``object``, ``string`` and ``bool`` columns), a list
of column names or indices, a boolean mask, or ``None``. A text column picked
by its dtype whose values are numbers with some stray strings (what
``read_csv`` makes of a numeric column with a ``"?"``) raises a
``ValueError``: declare it categorical explicitly if it is one.
``"auto"``: the columns ``"from_dtype"`` picks, and the codes stored as
whole numbers (a state's number, a firm's or a school's id): a numeric
column of whole numbers with more distinct values than its piecewise-linear
embedding has bins becomes a table when, on the first ``fit``'s rows, the
mean target of the other rows of each value (a table's reading; a value in
fewer than 3 other rows, or ``min_frequency`` if lower, counts as unknown)
predicts the target better, by 5% of its variance or more, than a piecewise-linear
function of the number (leave-one-out errors of both). An age, a count or a
year reads as a function of the number and stays numeric. The columns it
picked are the keys of ``categorical_embeddings_``; a value of such a
column needs 3 training rows (or ``min_frequency`` if lower) for a row of
its own, the pick having shown that a value's few rows tell its target (a
respondent's or a firm's handful of years); ``partial_fit`` picks by dtype
only. To decide yourself, cast a code to ``category`` and pass
``"from_dtype"``.""")),
        Parameter("embedding_dims",
                  [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left"), dict],
                  "auto", '"auto", int or dict', _doc("""
Width of each categorical embedding: ``"auto"`` gives a column of ``n``
categories ``min(50, round(1.6 * n ** 0.56))`` dimensions (2 for 2
categories, 6 for 10, 21 for 100, 50 from 459 on); an int gives every column
that width; a dict maps column names to widths (columns it leaves out get
``"auto"``).""")),
        Parameter("min_frequency", [Interval(Integral, 1, None, closed="left"), None], None,
                  "int or None", _doc("""
The categories of a categorical column found in fewer rows than this in the
training data get no row of their own in its embedding table: they share
the row of the categories never seen (``unknown``), which learns from them.
A category seen in one or two rows would otherwise get an embedding fitted
to those rows alone, and an id-like column (a car's model in a table of one
row per model) would be memorised rather than learned from; and a category
first seen at predict time then gets the embedding learned for the rare
ones. Counted on the first ``fit``; ``partial_fit`` keeps every category,
its first batch being no measure of frequency. ``None``: every category,
including a pandas categorical dtype's categories absent from the data,
gets a row of its own. A column whose rare values still carry meaning shared
with new rows (first names, postcodes) is better served by 2 or ``None``, and
best by a target-encoded copy beside it (the user guide's "When the rare
categories are the signal": a runner's sex from first names, held-out error
0.31 at 5, 0.14 with the copy); a column that names each row or a
handful of rows, by a larger threshold. The codes stored as numbers that
``categorical_features="auto"`` picks are held to ``min(min_frequency, 3)``
rows.""")),
        Parameter("numeric_scaling", [StrOptions({"standard", "robust"}), None], None,
                  '{"standard", "robust"} or None', _doc("""
How numeric columns are scaled inside the estimator, before anything else:
``None`` takes them as given (and NaN is an error, as in scikit-learn);
``"standard"`` subtracts each column's mean and divides by its standard
deviation; ``"robust"`` subtracts the median, divides by the interquartile
range and then applies the smooth clip ``z / sqrt(1 + (z / 3) ** 2)``, which
keeps outliers finite and in order. With a scaling, NaN is a missing value:
it becomes the neutral value 0 after scaling, and each column that had NaN at
fit gets one 0/1 indicator column. The statistics are learned on the first
``fit`` or ``partial_fit`` (from at most 100,000 evenly spaced rows) and kept
by ``warm_start`` and later ``partial_fit`` calls. Sparse X is never centred:
each value is divided by its column's standard deviation (``"standard"``) or
by the median magnitude of its stored values, then clipped (``"robust"``), so
zeros stay zeros.""")),
        Parameter("numeric_embedding", [StrOptions({"periodic", "piecewise_linear"}), None],
                  None, '{"periodic", "piecewise_linear"} or None', _doc("""
How each numeric column enters the network: ``None`` as the scaled number
itself; ``"periodic"`` as the number and 8 learned functions of it, a learned
linear map of ``cos(2 pi (f x + p))`` over 16 learned frequencies ``f`` and
phases ``p`` per column; ``"piecewise_linear"`` as the number and 8 learned
functions of it, a learned linear map of its piecewise-linear encoding over
quantile bins per column (one per 64 rows of the first fit, from 2 to 16, so
that each bin's slope is learned from enough rows). The embeddings are
trained with the network by every solver. After ``numeric_scaling="robust"``
the number keeps its tail: it is smooth-clipped not at 3 but at 3 times the
column's 99th-percentile distance from the median (at least 3), so that a
trend along a long tail (counts, money) reaches the network nearly linear
while an outlier stays finite and in order; the learned functions read the
value clipped at 3. Not applied to sparse X, which stays sparse.""")),
        Parameter("skip_connection", ["boolean"], False, "bool", _doc("""
Add a linear map from the input embedding straight to the output, beside the
hidden layers: the network is then a linear model of its input embedding
(of the numeric columns, their embeddings and the categories' embeddings)
plus what the hidden layers learn. Its weights start at zero (at a linear
fit with ``linear_start``), are trained with the rest by every solver and
are under the same ``alpha``; they are in ``skip_coef_``. ``False``: the
output reads the last hidden layer alone, as scikit-learn's MLP.""")),
        Parameter("linear_start", [StrOptions({"auto"}), "boolean"], False,
                  '"auto" or bool', _doc("""
Start the network at a linear model of its inputs instead of at the output
of random layers. ``True``: before the first epoch, a ridge regression (its
penalty chosen by generalised cross-validation) of the scaled target, or a
logistic regression (``C=1``) for a classifier, is fitted in closed form on
the training rows: on each numeric column's scaled value, the missing-value
indicators and the categories' embeddings. It is put in the skip connection
and the output bias, and the output layer's weights start at zero, so the
network starts as that linear model and its hidden layers learn what the
model misses; the L2 penalty then pulls the skip weights toward the fit
rather than toward zero. Needs ``skip_connection=True``; not with
``loss="poisson"``; the first ``fit`` only (``warm_start`` goes on from the
trained weights; ``partial_fit`` ignores it). ``"auto"``: as ``True`` for a
regressor with the squared error where the fit stops early on validation
data (``early_stopping``), as ``False`` otherwise. ``False``: the skip weights
start at zero, as described there.""")),
        Parameter("dropout", [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})], 0.0,
                  'float or "auto"', _doc("""
Inverted-dropout rate on the hidden activations while training. Not with
``solver="lbfgs"``, whose line search needs one objective. ``"auto"``:
where the fit stops early on validation data and keeps its best epoch
(``early_stopping``), 0.15 (RealMLP's rate) on up to 1,000 training rows
(less those held out), then falling as 1 / rows (0.015 on 10,000), a
regulariser that weighs less as the data grows, as the L2 penalty of
``alpha_scaling="n_samples"`` does; 0 otherwise (``solver="lbfgs"``,
``partial_fit``, and a fit that trains on every row, where a row weighted 2
then stays the same as the row given twice).""")),
        Parameter("weight_averaging", [Interval(Real, 0, 1, closed="neither"), None], None,
                  "float or None", _doc("""
Make the model a moving average of the weights over the training steps
(Polyak averaging), with this decay per step: after step ``t`` of a call,
``average = d * average + (1 - d) * weights`` with
``d = min(weight_averaging, (1 + t) / (10 + t))``, so that the first steps
average over a window that grows with them. The average is what each
epoch's validation score measures, what early stopping keeps as the best
epoch, what the callbacks see and what the fit leaves in ``coefs_``; the
steps themselves go on from the weights. Averaging the last steps' weights
evens out the noise of the mini-batches, as an ensemble of the steps would,
in one network. Stochastic solvers only (L-BFGS ignores it); each call to
``fit`` or ``partial_fit`` starts a new average from the current weights;
the embedding tables of categorical columns are not averaged. ``None``:
the weights of the last step, as scikit-learn's MLP.""")),
        Parameter("n_networks", [Interval(Integral, 1, None, closed="left")], 1, "int",
                  _doc("""
How many networks to train and average: ``predict`` averages their
predictions, ``predict_proba`` their probabilities (soft voting). Each
network trains as the first one does, on the same input layer (scaling,
missing-value columns, bins) and the same data, from its own seed drawn
from ``random_state``: its own initial weights, validation split and batch
order. The fit takes about ``n_networks`` times as long. ``coefs_``,
``transform``, ``embed`` and the training record (``loss_curve_``,
``n_iter_``, ``validation_scores_``) describe the first network, which is
the one ``n_networks=1`` trains; ``warm_start`` and ``partial_fit`` go on
training every network, and the callbacks follow the first. 1: one
network, as scikit-learn's MLP. Five networks of the model for tables
lowered the error on 21 of 27 real tables outside the development set, at
five times the fit (the user guide's "Averaging several networks" gives the
figures).""")),
        Parameter("activity_l1", [Interval(Real, 0, None, closed="left")], 0.0, "float",
                  _doc("""
L1 penalty on the hidden activations, for sparse, specialised detectors.""")),
        Parameter("dtype", [StrOptions({"float32", "float64", "auto"}), None], None,
                  '{"float32", "float64", "auto"} or None', _doc("""
Compute precision. ``None`` follows the data (float32 stays float32, anything
else becomes float64). ``"float32"`` is the fast choice, about twice as fast
as float64. ``"auto"`` computes mini-batch training in float32, whose
rounding is far below the noise of sampling batches, and full-batch training
in float64: ``solver="lbfgs"``, or a first fit on no more rows than one
batch (200 for ``batch_size="auto"``), where float32 would save little and
float64 makes results exact (a row of weight 2 trains as the row twice).
Outputs follow the input's floating dtype.""")),
        Parameter("target_scaling", ["boolean"], False, "bool", _doc("""
Standardise ``y`` internally (divide by its mean for ``loss="poisson"``), so
raw targets such as prices train well. Predictions are in the original units;
``loss_curve_`` is on the scaled target.""")),
        Parameter("label_smoothing", [Interval(Real, 0, 1, closed="left")], 0.0, "float",
                  _doc("""
Label smoothing: the classifier learns targets moved from 0 and 1 toward
``1 / n_classes`` by this share (``1 / 2`` for each label of a binary or
multilabel target), which keeps it from pushing its probabilities to 0 and
1. Scores and predictions use the labels as given.""")),
        Parameter("class_weight", [dict, StrOptions({"balanced"}), None], None,
                  'dict, "balanced" or None', _doc("""
Weights of the classes in the loss, as in scikit-learn's linear models:
``"balanced"`` uses ``n_samples / (n_classes * bincount(y))``. Multiplied with
``sample_weight``. Not for multilabel targets, nor ``"balanced"`` with
``partial_fit``.""")),
    ]
}

# scikit-learn's MLP parameters, in its signature order
SKLEARN_MLP = (
    "hidden_layer_sizes", "activation", "solver", "alpha", "batch_size", "learning_rate",
    "learning_rate_init", "power_t", "max_iter", "shuffle", "random_state", "tol",
    "verbose", "warm_start", "momentum", "nesterovs_momentum", "early_stopping",
    "validation_fraction", "beta_1", "beta_2", "epsilon", "n_iter_no_change", "max_fun",
)
# what every skembed estimator adds, keyword-only
EXTRAS = (
    "embedding_layer", "embedding_output", "categorical_features", "embedding_dims",
    "min_frequency", "numeric_scaling", "numeric_embedding", "skip_connection",
    "linear_start", "dropout", "weight_averaging",
    "n_networks", "activity_l1", "alpha_scaling", "dtype", "scoring",
)


# the EmbeddingMLP* family's defaults where they differ from the twins',
# chosen by benchmarks/bench_defaults.py (the class docstrings give the figures)
TABLE_DEFAULTS = {
    "hidden_layer_sizes": (256, 256),
    "alpha": 0.5,
    "learning_rate_init": 0.003,
    "max_iter": "auto",
    "early_stopping": "auto",
    "n_iter_no_change": "auto",
    "tol": 1e-7,
    "categorical_features": "auto",
    "min_frequency": 5,
    "numeric_scaling": "robust",
    "numeric_embedding": "piecewise_linear",
    "skip_connection": True,
    "linear_start": "auto",
    "alpha_scaling": "n_samples",
    "dtype": "auto",
    "scoring": "loss",
    "target_scaling": True,
    "weight_averaging": 0.99,
}
# the classifier's own: a stronger weight decay, which with the averaged weights
# lowered the error on 11 of 27 classification tables and raised it on one
# (benchmarks/results/defaults_classifier.md; the class docstring gives the figures)
TABLE_CLASSIFIER_DEFAULTS = {**TABLE_DEFAULTS, "alpha": 1.0,
                             # a logistic start raised the error on 8 of 21
                             # classification tables and lowered it on 6 (the
                             # class docstring gives the figures)
                             "linear_start": False,
                             # dropout on the hidden activations, as RealMLP's:
                             # the error fell on more classification tables than
                             # it rose (defaults_dropout.md; the class docstring
                             # gives the figures); the regressor's rose
                             "dropout": "auto",
                             # 100 and 20 epochs whatever the steps an epoch
                             # takes: counting steps ("auto") raised the error on
                             # 2 of 11 small classification tables and lowered it
                             # on none (the class docstring gives the figures)
                             "max_iter": 100, "n_iter_no_change": 20}


@dataclass(frozen=True)
class Signature:
    """An estimator's parameters: names in order, how many come before ``*``,
    and the defaults that differ from the table's."""

    names: tuple
    n_positional: int
    defaults: dict

    def default(self, name):
        return self.defaults.get(name, PARAMETERS[name].default)

    def constraints(self):
        return {name: PARAMETERS[name].constraints for name in self.names}


def make_init(signature):
    """An ``__init__`` with ``signature``'s parameters that stores each one.

    Built from source text, as :mod:`dataclasses` builds its ``__init__``:
    the defaults are bound by name, never written out as literals.
    """
    names = signature.names
    parts = [f"{name}=_default_{name}" for name in names]
    parts.insert(signature.n_positional, "*")
    body = "".join(f"    self.{name} = {name}\n" for name in names)
    source = f"def __init__(self, {', '.join(parts)}):\n{body}"
    defaults = {f"_default_{name}": signature.default(name) for name in names}
    namespace = {}
    exec(source, defaults, namespace)  # noqa: S102 - source built from the names above
    init = namespace["__init__"]
    init.__module__ = __name__
    return init


def parameters_doc(signature):
    """The numpydoc "Parameters" section of an estimator with ``signature``."""
    lines = ["    Parameters", "    ----------"]
    for name in signature.names:
        parameter = PARAMETERS[name]
        default = signature.default(name)
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        lines.append(f"    {name} : {parameter.kind}, default={shown}")
        lines.extend("    " + line if line else line for line in parameter.doc.splitlines())
    return "\n".join(lines) + "\n"
