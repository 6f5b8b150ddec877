"""Bad input, failed updates, divergence and Ctrl-C (SPEC §6).

Every bad input raises a ValueError or TypeError whose message names the
problem; a fit or partial_fit that raises leaves the estimator exactly as it
was; training that diverges or is interrupted keeps a usable, finite model.

NaN in X is an error for the twins (``numeric_scaling=None``, as in
scikit-learn) and a missing value for the model for tables (its
``numeric_scaling="robust"``); each family is held to its own rule.
"""

import copy
import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

import skembed._training as training
from skembed import (
    DivergenceWarning,
    EmbeddingMLPClassifier,
    EmbeddingMLPRegressor,
    MLPClassifier,
    MLPRegressor,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SMALL = dict(hidden_layer_sizes=(6,), max_iter=5, random_state=0)
REGRESSORS = (MLPRegressor, EmbeddingMLPRegressor)
CLASSIFIERS = (MLPClassifier, EmbeddingMLPClassifier)
ESTIMATORS = [*REGRESSORS, *CLASSIFIERS]


@pytest.fixture(scope="module")
def reg_data():
    X, y = make_regression(n_samples=120, n_features=4, noise=1.0, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def clf_data():
    X, y = make_classification(n_samples=120, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=3, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def frame_data(reg_data):
    X, y = reg_data
    frame = pd.DataFrame(X, columns=["size", "rooms", "age", "floor"])
    frame["zone"] = pd.Categorical(np.where(X[:, 0] > 0, "north", "south"))
    return frame, y


def with_value(X, value, row=3, col=1):
    X = np.array(X, dtype=float)
    X[row, col] = value
    return X


# ----------------------------------------------------------------------
# one clear error per bad input
# ----------------------------------------------------------------------
BAD_FIT_INPUT = {
    "nan in X": (lambda X, y: (with_value(X, np.nan), y, None), ValueError, "NaN"),
    "inf in X": (lambda X, y: (with_value(X, np.inf), y, None), ValueError, "infinity"),
    "nan in y": (lambda X, y: (X, with_value(y[:, None], np.nan, col=0).ravel(), None),
                 ValueError, "NaN"),
    "no rows": (lambda X, y: (X[:0], y[:0], None), ValueError, "0 sample"),
    "no columns": (lambda X, y: (X[:, :0], y, None), ValueError, "0 feature"),
    "1-D X": (lambda X, y: (X[:, 0], y, None), ValueError, "Expected 2D array"),
    "3-D X": (lambda X, y: (X[:, :, None], y, None), ValueError, "dim 3"),
    "rows mismatch": (lambda X, y: (X, y[:-1], None), ValueError, "inconsistent numbers"),
    "string in X": (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, "oops",
                                           X.astype(object)), y, None),
                    ValueError, "oops"),
    "complex X": (lambda X, y: (X.astype(complex), y, None), ValueError, "Complex"),
    "nan sample_weight": (lambda X, y: (X, y, with_value(np.ones((len(y), 1)), np.nan,
                                                         col=0).ravel()),
                          ValueError, "sample_weight contains NaN"),
    "inf sample_weight": (lambda X, y: (X, y, with_value(np.ones((len(y), 1)), np.inf,
                                                         col=0).ravel()),
                          ValueError, "sample_weight contains infinity"),
    "negative sample_weight": (lambda X, y: (X, y, with_value(np.ones((len(y), 1)), -1.0,
                                                              col=0).ravel()),
                               ValueError, "Negative values.*sample_weight"),
    "zero sample_weight": (lambda X, y: (X, y, np.zeros(len(y))), ValueError, "non-zero"),
    "short sample_weight": (lambda X, y: (X, y, np.ones(3)), ValueError, "sample_weight"),
}


@pytest.mark.parametrize("case, Estimator", [
    (case, Estimator) for Estimator in ESTIMATORS for case in sorted(BAD_FIT_INPUT)
    # NaN in X is a missing value for the model for tables: see the next test
    if not (case == "nan in X" and Estimator in (EmbeddingMLPRegressor, EmbeddingMLPClassifier))
])
def test_bad_fit_input_raises_a_clear_error(case, Estimator, reg_data, clf_data):
    X, y = reg_data if Estimator in REGRESSORS else clf_data
    make, error, match = BAD_FIT_INPUT[case]
    X_bad, y_bad, sample_weight = make(X, y)
    if Estimator in CLASSIFIERS and case == "nan in y":
        y_bad = y_bad.astype(float)
    with pytest.raises(error, match=match):
        Estimator(**SMALL).fit(X_bad, y_bad, sample_weight=sample_weight)


@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, EmbeddingMLPClassifier])
def test_nan_in_X_is_a_missing_value_for_the_model_for_tables(Estimator, reg_data, clf_data):
    X, y = reg_data if Estimator in REGRESSORS else clf_data
    X_nan = with_value(X, np.nan)
    est = Estimator(**SMALL).fit(X_nan, y)
    assert est.layer_sizes_[0] == 4 * 9 + 1  # the column with NaN gets an indicator
    for values in (est.predict(X_nan), est.transform(X_nan), est.embed(X_nan, layer="input")):
        assert np.isfinite(np.asarray(values, dtype=float)).all()
    # without a numeric scaling, NaN is an error, as in scikit-learn
    with pytest.raises(ValueError, match="NaN"):
        Estimator(**SMALL, numeric_scaling=None).fit(X_nan, y)


@pytest.mark.parametrize("n_rows", [None, 1], ids=["all rows", "one row"])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_bad_predict_input_raises_a_clear_error(Estimator, n_rows, reg_data, clf_data):
    X, y = reg_data if Estimator in REGRESSORS else clf_data
    est = Estimator(**SMALL).fit(X, y)
    rows = X[:n_rows]  # a single row takes the same checks as a batch
    for method in (est.predict, est.transform, est.embed):
        with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 4"):
            method(rows[:, :3])
        if est.numeric_scaling is None:  # the twins: NaN is an error
            with pytest.raises(ValueError, match="NaN"):
                method(with_value(rows, np.nan, row=0))
        else:  # the model for tables: a missing value
            assert np.isfinite(method(with_value(rows, np.nan, row=0))).all()
        with pytest.raises(ValueError, match="infinity"):
            method(with_value(rows, np.inf, row=0))
        with pytest.raises(ValueError, match="0 sample"):
            method(X[:0])
        with pytest.raises(ValueError, match="Expected 2D array"):
            method(rows[0])
        with pytest.raises(ValueError, match="Complex"):
            method(rows.astype(complex))
    # feature names: fitted without, given with, warns as any estimator does
    with pytest.warns(UserWarning, match="fitted without feature names"):
        est.predict(pd.DataFrame(rows, columns=["a", "b", "c", "d"]))


def test_lbfgs_with_dropout_is_refused(reg_data):
    X, y = reg_data
    est = EmbeddingMLPRegressor(**SMALL, solver="lbfgs", dropout=0.2)
    with pytest.raises(ValueError, match="dropout=0.2 needs a stochastic solver"):
        est.fit(X, y)
    assert not hasattr(est, "n_features_in_")


def test_renamed_and_reordered_columns_are_named(frame_data):
    frame, y = frame_data
    est = EmbeddingMLPRegressor(**SMALL).fit(frame, y)
    with pytest.raises(ValueError, match="(?s)unseen at fit time:\n- area.*missing:\n- size"):
        est.predict(frame.rename(columns={"size": "area"}))
    with pytest.raises(ValueError, match="same order"):
        est.predict(frame[["rooms", "size", "age", "floor", "zone"]])
    with pytest.raises(ValueError, match="missing:\n- age"):
        est.predict(frame.drop(columns="age"))


def test_string_in_a_numeric_column_is_named(frame_data):
    frame, y = frame_data
    est = EmbeddingMLPRegressor(**SMALL).fit(frame, y)
    dirty = frame.astype({"age": object})
    dirty.loc[7, "age"] = "unknown"
    with pytest.raises(ValueError, match=r"\['age'\].*non-numeric"):
        est.predict(dirty)
    # at fit time, a column of numbers with stray text is not silently
    # embedded as a category per number
    with pytest.raises(ValueError, match=r"'age' holds numbers.*\['unknown'\]"):
        EmbeddingMLPRegressor(**SMALL).fit(dirty, y)
    as_text = frame.assign(age=frame["age"].round(2).astype(str))
    as_text.loc[7, "age"] = "?"  # what read_csv gives for a numeric column with a "?"
    with pytest.raises(ValueError, match=r"'age' holds numbers.*\['\?'\]"):
        EmbeddingMLPRegressor(**SMALL).fit(as_text, y)
    # declared categorical, the same column is learned as categories
    EmbeddingMLPRegressor(**SMALL).fit(as_text.astype({"age": "category"}), y)


def test_text_categories_with_some_numeric_codes_stay_categorical(reg_data):
    X, y = reg_data
    sizes = np.array(["S", "M", "L", "XL", "10", "12"])[np.arange(len(y)) % 6]
    frame = pd.DataFrame({"x": X[:, 0], "size": sizes})
    est = EmbeddingMLPRegressor(**SMALL).fit(frame, y)
    assert list(est.categorical_embeddings_) == ["size"]


@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, EmbeddingMLPClassifier])
def test_categories_never_seen_are_not_errors(Estimator, frame_data):
    frame, y = frame_data
    y = y if Estimator is EmbeddingMLPRegressor else (y > 0)
    est = Estimator(**SMALL).fit(frame, y)
    new = frame.head(3).astype({"zone": object})
    new.loc[0, "zone"] = "east"
    new.loc[1, "zone"] = None
    assert np.isfinite(est.embed(new, layer="input")).all()


def test_one_class_target(clf_data):
    X, _ = clf_data
    with pytest.raises(ValueError, match="only one class"):
        EmbeddingMLPClassifier(**SMALL).fit(X, np.full(len(X), "spam"))
    with pytest.raises(ValueError, match="only one class"):
        EmbeddingMLPClassifier(**SMALL).partial_fit(X, np.zeros(len(X)), classes=[0])


def test_target_types(reg_data, clf_data):
    X, y = reg_data
    with pytest.raises(ValueError, match="y must be numeric.*'a'"):
        EmbeddingMLPRegressor(**SMALL).fit(X, np.array(["a", "b"])[np.arange(len(X)) % 2])
    with pytest.raises(ValueError, match="continuous"):
        EmbeddingMLPClassifier(**SMALL).fit(X, y)
    with pytest.raises(ValueError, match="requires y"):
        EmbeddingMLPRegressor(**SMALL).fit(X, None)


def test_partial_fit_classes(clf_data):
    X, y = clf_data
    with pytest.raises(ValueError, match="classes must be passed"):
        EmbeddingMLPClassifier(**SMALL).partial_fit(X, y)
    with pytest.raises(ValueError, match=r"labels \[2\] not listed in classes="):
        EmbeddingMLPClassifier(**SMALL).partial_fit(X, y, classes=[0, 1])
    est = EmbeddingMLPClassifier(**SMALL).partial_fit(X, y, classes=[0, 1, 2])
    est.partial_fit(X, y, classes=[2, 1, 0])  # the same classes again: dask-ml passes them
    with pytest.raises(ValueError, match=r"classes=\[0, 1, 2, 3\] is not the same"):
        est.partial_fit(X, y, classes=[0, 1, 2, 3])
    with pytest.raises(ValueError, match=r"labels \[7\] not seen before"):
        est.partial_fit(X, np.where(np.arange(len(y)) == 0, 7, y))


BAD_PARAMS = [
    (dict(alpha=-1.0), InvalidParameterError, "alpha"),
    (dict(hidden_layer_sizes=(4, 0)), ValueError, "hidden_layer_sizes"),
    (dict(hidden_layer_sizes=(2.5,)), ValueError, "hidden_layer_sizes"),
    (dict(hidden_layer_sizes="wide"), InvalidParameterError, "hidden_layer_sizes"),
    (dict(activation="swish"), InvalidParameterError, "activation"),
    (dict(solver="newton"), InvalidParameterError, "solver"),
    (dict(learning_rate_init=0.0), InvalidParameterError, "learning_rate_init"),
    (dict(max_iter=0), InvalidParameterError, "max_iter"),
    (dict(batch_size=0), InvalidParameterError, "batch_size"),
    (dict(validation_fraction=1.0), InvalidParameterError, "validation_fraction"),
    (dict(dropout=1.0), InvalidParameterError, "dropout"),
    (dict(dtype="float16"), InvalidParameterError, "dtype"),
    (dict(embedding_layer=3), ValueError, "embedding_layer=3 is out of range"),
    (dict(embedding_output="both"), InvalidParameterError, "embedding_output"),
    (dict(categorical_features=["colour"]), ValueError, "'colour'"),
    (dict(embedding_dims={"zone": 0}), ValueError, r"embedding_dims\['zone'\]"),
]


@pytest.mark.parametrize("params, error, match", BAD_PARAMS)
def test_bad_parameters_are_named(params, error, match, frame_data):
    frame, y = frame_data
    assert issubclass(InvalidParameterError, ValueError)
    with pytest.raises(error, match=match):
        EmbeddingMLPRegressor(**{**SMALL, **params}).fit(frame, y)


def test_early_stopping_with_too_little_data(reg_data):
    X, y = reg_data
    with pytest.raises(ValueError, match="validation set is too small"):
        EmbeddingMLPRegressor(**SMALL, early_stopping=True).fit(X[:10], y[:10])


def test_inputs_that_overflow_the_network_are_named(reg_data):
    X, y = reg_data
    # the twin: the inputs reach the first layer as they are
    est = MLPRegressor(**SMALL).fit(X, y)
    est.coefs_[0][...] = 1.0  # every hidden unit sums the inputs
    huge = X.copy()
    huge[5] = 1e308  # finite, but four of them add up to more than float64 holds
    for method in (est.predict, est.transform, est.embed):
        with pytest.raises(ValueError, match="overflowed .* 1 of 120 sample.*row 5"):
            method(huge)
    with pytest.raises(ValueError, match="too large for dtype\\('float32'\\)"):
        MLPRegressor(**SMALL, dtype="float32").fit(X * 1e300, y)
    with pytest.raises(ValueError, match="too large for dtype\\('float32'\\)"):
        EmbeddingMLPRegressor(**SMALL, dtype="float32").fit(X * 1e300, y)


@pytest.mark.parametrize("dtype, value", [("float64", 1e25), ("float64", 1e200),
                                          ("float64", 1e308), ("float32", 1e10),
                                          ("float32", 1e25)])
def test_the_model_for_tables_clips_huge_inputs_to_the_top_of_the_scale(reg_data, dtype, value):
    """numeric_scaling="robust" ends with the smooth clip z / sqrt(1 + (z/3)^2),
    documented to keep outliers finite and in order: a huge value comes out
    just below 3, above every ordinary value, never as the neutral 0 that
    stands for the median and for a missing value. The numeric embedding's
    value channel, which keeps the tail, bounds it the same way at each
    column's own bound."""
    X, y = reg_data
    est = EmbeddingMLPRegressor(**SMALL, dtype=dtype).fit(X, y)
    huge = X.copy()
    huge[5] = value
    assert np.isfinite(est.predict(huge)).all()
    channel = est.embed(huge, layer="input")[:, ::9]  # each column's value channel
    assert (channel[5] > np.delete(channel, 5, axis=0).max(axis=0)).all(), channel[5]
    np.testing.assert_allclose(channel[5], est._network.preprocessing.bound, rtol=1e-6)
    scaled = MLPRegressor(**SMALL, dtype=dtype, numeric_scaling="robust").fit(X, y)
    np.testing.assert_allclose(scaled.embed(huge, layer="input")[5], 3.0, rtol=1e-6)


# ----------------------------------------------------------------------
# a failed fit or partial_fit changes nothing
# ----------------------------------------------------------------------
CACHES = ("_lookups",)


def assert_same_state(before, after, path="est"):
    """Deep equality of two estimator states, arrays bit for bit."""
    assert type(before) is type(after), path
    if isinstance(before, np.ndarray):
        assert before.dtype == after.dtype and before.shape == after.shape, path
        assert np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"), path
    elif isinstance(before, dict):
        assert before.keys() == after.keys(), f"{path}: {set(before) ^ set(after)}"
        for key in before:
            assert_same_state(before[key], after[key], f"{path}[{key!r}]")
    elif isinstance(before, (list, tuple)):
        assert len(before) == len(after), path
        for i, (a, b) in enumerate(zip(before, after)):
            assert_same_state(a, b, f"{path}[{i}]")
    elif isinstance(before, float) and math.isnan(before):
        assert math.isnan(after), path
    elif dataclasses.is_dataclass(before) or hasattr(before, "__dict__"):
        # caches hold no state: they are rebuilt, not copied (a categorical
        # spec's lookup of its categories)
        state = {k: v for k, v in vars(before).items() if k not in CACHES}
        assert_same_state(state, {k: v for k, v in vars(after).items() if k not in CACHES},
                          f"{path}.")
    else:
        assert before == after, path


FAILING_UPDATES = {
    "nan chunk": lambda X, y: (with_value(X, np.nan), y, {}),
    "inf chunk": lambda X, y: (with_value(X, np.inf), y, {}),
    "wrong width": lambda X, y: (X[:, :3], y, {}),
    "inf sample_weight": lambda X, y: (
        X, y, {"sample_weight": with_value(np.ones((len(y), 1)), np.inf, col=0).ravel()}),
    "two outputs": lambda X, y: (X, np.c_[y, y], {}),
    "renamed column": lambda X, y: (pd.DataFrame(X, columns=["a", "b", "c", "z"]), y, {}),
}


@pytest.mark.parametrize("case, Estimator", [
    (case, Estimator) for Estimator in ESTIMATORS for case in sorted(FAILING_UPDATES)
    # a NaN chunk fails only without a numeric scaling: the twins
    if not (case == "nan chunk"
            and Estimator in (EmbeddingMLPRegressor, EmbeddingMLPClassifier))
])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_failed_partial_fit_changes_nothing(case, solver, Estimator, reg_data, clf_data):
    X, y = reg_data if Estimator in REGRESSORS else clf_data
    X = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    extra = {"classes": [0, 1, 2]} if Estimator in CLASSIFIERS else {}
    est = Estimator(**SMALL, solver=solver)
    for _ in range(2):
        est.partial_fit(X, y, **extra)
    before = copy.deepcopy(est.__dict__)
    X_bad, y_bad, kwargs = FAILING_UPDATES[case](X.to_numpy(), y)
    if case != "renamed column" and case != "wrong width":
        X_bad = pd.DataFrame(X_bad, columns=X.columns)
    with pytest.raises(ValueError):
        est.partial_fit(X_bad, y_bad, **kwargs)
    assert_same_state(before, est.__dict__)
    # ... and it still learns from the next good chunk
    est.partial_fit(X, y)
    assert len(est.loss_curve_) == 3 and est.n_iter_ == 1


@pytest.mark.parametrize("case, Classifier", [
    *[(case, Classifier) for Classifier in CLASSIFIERS
      for case in ["new class", "other classes=", "inf chunk"]],
    ("nan chunk", MLPClassifier),  # the model for tables takes NaN as a missing value
])
def test_failed_classifier_partial_fit_changes_nothing(case, Classifier, clf_data):
    X, y = clf_data
    est = Classifier(**SMALL).partial_fit(X, y, classes=[0, 1, 2])
    before = copy.deepcopy(est.__dict__)
    kwargs = {}
    if case == "new class":
        y = np.where(np.arange(len(y)) == 4, 3, y)
    elif case == "other classes=":
        kwargs = {"classes": [0, 1, 2, 3]}
    else:
        X = with_value(X, np.nan if case == "nan chunk" else np.inf)
    with pytest.raises(ValueError):
        est.partial_fit(X, y, **kwargs)
    assert_same_state(before, est.__dict__)


@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, EmbeddingMLPClassifier])
def test_failed_warm_start_or_refit_changes_nothing(Estimator, reg_data, clf_data):
    X, y = reg_data if Estimator is EmbeddingMLPRegressor else clf_data
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    est = Estimator(**SMALL, warm_start=True).fit(frame, y)
    before = copy.deepcopy(est.__dict__)
    bad_inputs = [
        (X[:, :3], y),                                        # wrong width
        (frame, with_value(y[:, None], np.nan, col=0).ravel()),  # NaN target
        (frame.rename(columns={"a": "A"}), y),                 # renamed column
        (X, y, np.full(len(y), -1.0)),                         # negative weights
    ]
    if Estimator is EmbeddingMLPClassifier:
        bad_inputs.append((frame, np.where(np.arange(len(y)) == 0, 9, y)))  # new class
    for args in bad_inputs:
        with pytest.raises(ValueError):
            est.fit(*args)
        assert_same_state(before, est.__dict__)
    # a cold refit on other data that fails keeps the old model consistent too
    est.set_params(warm_start=False)
    before["warm_start"] = False
    with pytest.raises(ValueError):
        est.fit(np.ones((10, 7)), np.full(10, np.nan))
    assert_same_state(before, est.__dict__)
    assert est.predict(frame).shape == (len(y),)


def test_an_error_inside_training_changes_nothing(reg_data, monkeypatch):
    X, y = reg_data
    est = EmbeddingMLPRegressor(**SMALL, solver="sgd", batch_size=20).partial_fit(X, y)
    before = copy.deepcopy(est.__dict__)
    calls = {"n": 0}
    step = training.BatchTrainer.step

    def failing_step(self, rows, optimizer):
        calls["n"] += 1
        if calls["n"] == 2:  # after a step has moved the parameters and the optimizer
            raise MemoryError("simulated")
        return step(self, rows, optimizer)

    monkeypatch.setattr(training.BatchTrainer, "step", failing_step)
    with pytest.raises(MemoryError):
        est.partial_fit(X, y)
    assert_same_state(before, est.__dict__)


# ----------------------------------------------------------------------
# divergence
# ----------------------------------------------------------------------
def diverging_problem():
    rng = np.random.RandomState(0)
    X = rng.normal(scale=1e3, size=(200, 5))  # unscaled inputs
    y = X @ rng.normal(size=5) * 1e3
    return X, y


def assert_finite_model(est, X):
    assert np.isfinite(est._network.params).all()
    assert all(np.isfinite(c).all() for c in est.coefs_ + est.intercepts_)
    assert np.isfinite(est.loss_curve_).all()
    assert len(est.loss_curve_) == est.n_iter_


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_divergence_stops_and_keeps_the_last_finite_parameters(dtype):
    X, y = diverging_problem()
    params = dict(hidden_layer_sizes=(16,), solver="sgd", learning_rate_init=10.0,
                  target_scaling=False, max_iter=50, random_state=0, dtype=dtype)
    est = EmbeddingMLPRegressor(**params)
    with pytest.warns(DivergenceWarning, match=r"diverged.*n_iter_=\d"):
        est.fit(X, y)
    assert est.n_iter_ < 50
    assert_finite_model(est, X)
    # the kept parameters are those of the last whole epoch
    if est.n_iter_ > 0:
        again = EmbeddingMLPRegressor(**{**params, "max_iter": est.n_iter_}).fit(X, y)
        np.testing.assert_array_equal(again._network.params, est._network.params)


def test_diverging_partial_fit_keeps_the_state_before_the_chunk():
    X, y = diverging_problem()
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(16,), solver="sgd", learning_rate_init=1e-3,
                                batch_size=10, target_scaling=False, random_state=0)
    est.partial_fit(X / 1e3, y / 1e6)
    est._optimizer.learning_rate = 10.0  # SGD keeps its own rate between chunks
    before = copy.deepcopy(est.__dict__)
    with pytest.warns(DivergenceWarning):
        est.partial_fit(X, y)  # unscaled: diverges within the chunk
    np.testing.assert_array_equal(est._network.params, before["_network"].params)
    assert_same_state(before["_optimizer"].get_state(), est._optimizer.get_state())
    assert est.loss_curve_ == before["_history"].loss_curve
    # this call ran no whole epoch: nothing was learned from the chunk
    assert est.n_iter_ == 0 and est.t_ == len(X)


def test_lbfgs_divergence_keeps_the_last_accepted_iteration(reg_data, monkeypatch):
    X, y = reg_data
    full = training.full_loss_and_gradient
    calls = {"n": 0}

    def poisoned(trainer, grad):
        calls["n"] += 1
        loss = full(trainer, grad)
        if calls["n"] > 6:
            grad.fill(np.nan)
            return np.nan
        return loss

    reference = EmbeddingMLPRegressor(**{**SMALL, "solver": "lbfgs", "max_iter": 50})
    monkeypatch.setattr(training, "full_loss_and_gradient", poisoned)
    est = EmbeddingMLPRegressor(**{**SMALL, "solver": "lbfgs", "max_iter": 50})
    with pytest.warns(DivergenceWarning, match="last accepted iteration"):
        est.fit(X, y)
    assert_finite_model(est, X)
    monkeypatch.undo()
    reference.set_params(max_iter=est.n_iter_).fit(X, y)
    np.testing.assert_array_equal(reference._network.params, est._network.params)


def test_lbfgs_on_data_that_overflows_at_once():
    X, y = diverging_problem()
    # the twin: no input scaling between X and the first layer
    est = MLPRegressor(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    with pytest.warns(DivergenceWarning):
        est.fit(X * 1e200, y)
    assert np.isfinite(est._network.params).all()
    assert est.n_iter_ == 0


# ----------------------------------------------------------------------
# Ctrl-C
# ----------------------------------------------------------------------
def interrupt_at_step(monkeypatch, n):
    step = training.BatchTrainer.step
    calls = {"n": 0}

    def step_or_interrupt(self, rows, optimizer):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        return step(self, rows, optimizer)

    monkeypatch.setattr(training.BatchTrainer, "step", step_or_interrupt)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("Estimator", [EmbeddingMLPRegressor, EmbeddingMLPClassifier])
def test_ctrl_c_mid_epoch_keeps_the_epochs_done(Estimator, solver, reg_data, clf_data,
                                                monkeypatch):
    X, y = reg_data if Estimator is EmbeddingMLPRegressor else clf_data
    params = dict(hidden_layer_sizes=(6,), batch_size=20, solver=solver, random_state=0,
                  max_iter=20, tol=0, n_iter_no_change=100, early_stopping=False)
    interrupt_at_step(monkeypatch, 2 * 6 + 3)  # 6 batches per epoch: inside epoch 3
    est = Estimator(**params)
    with pytest.warns(UserWarning, match=r"interrupted by user.*n_iter_=2"):
        est.fit(X, y)
    monkeypatch.undo()
    assert est.n_iter_ == 2 and est.t_ == 2 * len(X)
    assert_finite_model(est, X)
    assert np.isfinite(est.predict(X)).all()
    # exactly the model of two whole epochs, optimizer state included
    two = Estimator(**{**params, "max_iter": 2}).fit(X, y)
    np.testing.assert_array_equal(est._network.params, two._network.params)
    assert_same_state(two._optimizer.get_state(), est._optimizer.get_state())


def test_ctrl_c_in_partial_fit_changes_nothing(reg_data, monkeypatch):
    X, y = reg_data
    est = EmbeddingMLPRegressor(**SMALL, batch_size=20).partial_fit(X, y)
    params, optimizer = est._network.params.copy(), est._optimizer.get_state()
    interrupt_at_step(monkeypatch, 2)
    with pytest.warns(UserWarning, match="interrupted"):
        est.partial_fit(X, y)
    np.testing.assert_array_equal(est._network.params, params)
    assert_same_state(optimizer, est._optimizer.get_state())
    assert est.n_iter_ == 0 and len(est.loss_curve_) == 1  # no whole epoch in this call


def test_ctrl_c_during_lbfgs_keeps_the_last_iteration(reg_data, monkeypatch):
    X, y = reg_data
    full = training.full_loss_and_gradient
    calls = {"n": 0}

    def interrupted(trainer, grad):
        calls["n"] += 1
        if calls["n"] == 8:
            raise KeyboardInterrupt
        return full(trainer, grad)

    monkeypatch.setattr(training, "full_loss_and_gradient", interrupted)
    est = EmbeddingMLPRegressor(**{**SMALL, "solver": "lbfgs", "max_iter": 100})
    with pytest.warns(UserWarning, match="interrupted by user.*last whole iteration"):
        est.fit(X, y)
    monkeypatch.undo()
    assert 0 < est.n_iter_ < 8
    assert_finite_model(est, X)
    reference = EmbeddingMLPRegressor(**{**SMALL, "solver": "lbfgs", "max_iter": est.n_iter_})
    np.testing.assert_array_equal(reference.fit(X, y)._network.params, est._network.params)


# ----------------------------------------------------------------------
# property: fit and predict finite values, or raise ValueError/TypeError
# ----------------------------------------------------------------------
DTYPES = st.sampled_from(
    [np.float64, np.float32, np.float16, np.int64, np.int8, np.uint8, np.bool_, object]
)
SCALES = st.sampled_from([1.0, 1e-300, 1e4, 1e30, 1e306, 1e307])  # finite; sums overflow
ODD_VALUES = st.sampled_from([np.nan, np.inf, -np.inf, 1.7e308, "x", None])


@st.composite
def datasets(draw):
    """X of a random shape, dtype and scale, maybe with one odd value; a target."""
    n_samples, n_features = draw(st.integers(1, 12)), draw(st.integers(1, 4))
    if draw(st.integers(0, 9)) == 0:  # now and then, empty in one dimension
        n_samples, n_features = draw(st.sampled_from([(0, n_features), (n_samples, 0)]))
    values = draw(hnp.arrays(np.float64, (n_samples, n_features), elements=st.floats(-10, 10)))
    values = values.astype(object) * draw(SCALES)
    if values.size and draw(st.integers(0, 3)) == 0:
        values.flat[draw(st.integers(0, values.size - 1))] = draw(ODD_VALUES)
    dtype = draw(DTYPES)
    try:
        with np.errstate(invalid="ignore", over="ignore"):
            X = values.astype(dtype)
    except (TypeError, ValueError, OverflowError):  # e.g. a string in an int dtype: keep it
        X = values
    y = draw(hnp.arrays(np.float64, n_samples, elements=st.floats(-1e6, 1e6)))
    return X, y


# scikit-learn's input check sums the data first: inf + -inf warns before it raises
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=datasets(), Estimator=st.sampled_from(ESTIMATORS),
       solver=st.sampled_from(["adam", "lbfgs"]), early_stopping=st.booleans())
def test_fit_predict_finite_or_a_clear_error(data, Estimator, solver, early_stopping):
    X, y = data
    classifier = Estimator in CLASSIFIERS
    if classifier:
        with np.errstate(invalid="ignore"):
            y = np.where(np.isfinite(y), np.abs(np.round(y)) % 3, y)
    est = Estimator(hidden_layer_sizes=(3,), max_iter=3, solver=solver, random_state=0,
                    early_stopping=early_stopping)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # DivergenceWarning included
        try:
            est.fit(X, y)
            predictions = [est.predict(X), est.transform(X)]
            if classifier:
                predictions.append(est.predict_proba(X))
        except (ValueError, TypeError) as error:
            event(f"raised {type(error).__name__}: {str(error)[:40]}")
            return
    event("fitted and predicted")
    assert np.isfinite(est._network.params).all()
    for values in predictions:
        assert np.isfinite(np.asarray(values, dtype=float)).all()
