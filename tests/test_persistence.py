"""Pickle, joblib and skops round trips: the same predictions, the same training after.

A fitted estimator's state is numpy arrays and builtins, held by a handful of
small skembed records (plus scikit-learn's LabelBinarizer); ``skops.io`` loads
it with skembed's own types as the only ones trusted.
"""

import dataclasses
import io
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.preprocessing import LabelBinarizer

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPClassifier
from skembed._categorical import CategoricalSpec
from skembed._classifier import LabelCodec
from skembed._fitting import TrainingState
from skembed._input_layer import NumericEmbedding, Preprocessing
from skembed._network import Layout, Network
from skembed._optimizers import SGD, Adam
from skembed._regressor import TargetScaler
from skembed._stopping import History
from skembed.datasets import make_houses

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SKEMBED_RECORDS = (Network, Layout, CategoricalSpec, TargetScaler, LabelCodec, History, Adam,
                   SGD, NumericEmbedding, Preprocessing, TrainingState)


def houses():
    X, y = make_houses(300, random_state=0)
    X["renovated"] = X["age_years"] < 10  # a bool column: embedded too
    return X, y.to_numpy()


def multiclass():
    X, y = make_classification(n_samples=200, n_features=5, n_informative=3, n_classes=3,
                               random_state=0)
    return X.astype(np.float32), np.array(["cat", "dog", "fish"])[y]


def multilabel():
    return make_multilabel_classification(n_samples=150, n_features=5, n_classes=3,
                                          random_state=0)


def fit_case(name):
    """(estimator, X, y): one kind of fitted state per name. The model for
    tables' states hold its input layer (scaling statistics, missing-value
    indicators, numeric embeddings); the twin's is the engine's alone."""
    small = dict(hidden_layer_sizes=(8, 4), max_iter=15, random_state=0)
    if name == "regressor-categorical-adam":
        X, y = houses()
        return EmbeddingMLPRegressor(**small).fit(X, y), X, y
    if name == "regressor-lbfgs-early-stopping-missing-values":
        X, y = houses()
        X = X.select_dtypes("number")
        X.loc[X.index[::7], "age_years"] = np.nan  # a missing-value indicator column
        est = EmbeddingMLPRegressor(**small, solver="lbfgs", early_stopping=True)
        return est.fit(X, y), X, y
    if name == "twin-classifier-strings-float32-sgd":
        # the twin follows float32 data (dtype=None): a float32 state
        X, y = multiclass()
        return MLPClassifier(**small, solver="sgd").fit(X, y), X, y
    if name == "regressor-two-networks":  # the second network's state too
        X, y = houses()
        return EmbeddingMLPRegressor(**small, n_networks=2).fit(X, y), X, y
    if name == "classifier-binary-categorical":
        X, y = houses()
        y = y > np.median(y)
        return EmbeddingMLPClassifier(**small).fit(X, y), X, y
    X, y = multilabel()
    return EmbeddingMLPClassifier(**small).fit(X, y), X, y


CASE_NAMES = ["regressor-categorical-adam", "regressor-lbfgs-early-stopping-missing-values",
              "twin-classifier-strings-float32-sgd", "regressor-two-networks",
              "classifier-binary-categorical", "classifier-multilabel"]


@pytest.fixture(scope="module", params=CASE_NAMES)
def case(request):
    return fit_case(request.param)


def outputs(est, X):
    """Everything a fitted estimator computes, as a dict of arrays."""
    result = {"predict": est.predict(X), "transform": est.transform(X),
              "input": est.embed(X, layer="input"), "output": est.embed(X, layer="output")}
    for k, layer in enumerate(est.embed(X, layer="all", output="pre_activation")):
        result[f"pre_activation{k}"] = layer
    if hasattr(est, "predict_proba"):
        result["proba"] = est.predict_proba(X)
    for name, table in est.categorical_embeddings_.items():
        result[f"table {name}"] = table.to_numpy()
        result[f"index {name}"] = table.index.to_numpy(dtype=object)
    return result


def assert_same_outputs(a, b, X):
    expected, got = outputs(a, X), outputs(b, X)
    assert expected.keys() == got.keys()
    for key in expected:
        assert expected[key].dtype == got[key].dtype, key
        np.testing.assert_array_equal(expected[key], got[key], err_msg=key)


def pickle_round_trip(est):
    return pickle.loads(pickle.dumps(est))


def joblib_round_trip(est):
    buffer = io.BytesIO()
    joblib.dump(est, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


@pytest.mark.parametrize("round_trip", [pickle_round_trip, joblib_round_trip])
def test_round_trip_gives_identical_outputs(case, round_trip):
    est, X, _ = case
    loaded = round_trip(est)
    assert_same_outputs(est, loaded, X)
    assert loaded._network.params.dtype == est._network.params.dtype
    for name in ("n_iter_", "t_", "loss_curve_", "best_loss_", "validation_scores_",
                 "layer_sizes_", "n_features_in_", "out_activation_"):
        assert getattr(loaded, name) == getattr(est, name), name
    if hasattr(est, "feature_names_in_"):
        np.testing.assert_array_equal(loaded.feature_names_in_, est.feature_names_in_)


def test_parameters_are_pickled_once():
    """``coefs_``/``intercepts_`` are views of one vector, not stored copies."""
    est, _, _ = fit_case("regressor-categorical-adam")
    state = est.__getstate__()
    assert "coefs_" not in state and "intercepts_" not in state
    loaded = pickle_round_trip(est)
    assert np.shares_memory(loaded.coefs_[0], loaded._network.params)
    assert len(pickle.dumps(est)) < 6 * est._network.params.nbytes + 20_000


def plain_leaves(value, path="state"):
    """Yield (path, type) of everything in ``value`` that is not plain data."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            for i, item in enumerate(value.ravel().tolist()):
                yield from plain_leaves(item, f"{path}[{i}]")
    elif isinstance(value, (np.generic, int, float, str, bool, type(None))):
        return
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from plain_leaves(key, f"{path} key")
            yield from plain_leaves(item, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from plain_leaves(item, f"{path}[{i}]")
    elif isinstance(value, SKEMBED_RECORDS + (LabelBinarizer,)):
        fields = vars(value)
        if dataclasses.is_dataclass(value):
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        yield from plain_leaves(fields, f"{path}.")
    else:
        yield path, type(value)


def test_fitted_state_is_plain_arrays_and_builtins(case):
    est, _, _ = case
    assert list(plain_leaves(est.__getstate__())) == []


def continue_training(est, X, y, classes):
    extra = {"classes": classes} if classes is not None else {}
    for start in range(0, len(X), 100):
        est.partial_fit(X[start:start + 100], y[start:start + 100], **extra)
    return est


@pytest.mark.parametrize("round_trip", [pickle_round_trip, joblib_round_trip])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_partial_fit_after_unpickling_continues_exactly(kind, solver, round_trip):
    if kind == "regressor":
        X, y = houses()
        est, classes = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), solver=solver,
                                             random_state=0), None
    else:
        X, y = multiclass()
        est, classes = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), solver=solver,
                                              random_state=0), np.unique(y)
    continue_training(est, X, y, classes)
    loaded = round_trip(est)
    continue_training(est, X, y, classes)
    continue_training(loaded, X, y, classes)
    np.testing.assert_array_equal(est._network.params, loaded._network.params)
    assert loaded.n_iter_ == est.n_iter_ and loaded.t_ == est.t_
    assert loaded.loss_curve_ == est.loss_curve_
    assert_same_outputs(est, loaded, X)


def test_warm_start_after_unpickling_continues_exactly():
    X, y = houses()
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), max_iter=5, warm_start=True,
                                random_state=0).fit(X, y)
    loaded = pickle_round_trip(est)
    np.testing.assert_array_equal(est.fit(X, y)._network.params, loaded.fit(X, y)._network.params)


# ----------------------------------------------------------------------
# skops: the secure format
# ----------------------------------------------------------------------
def skembed_types(path):
    """The documented recipe: trust skembed's own types, and nothing else."""
    sio = pytest.importorskip("skops.io")
    return [name for name in sio.get_untrusted_types(file=path) if name.startswith("skembed.")]


def test_skops_loads_with_only_skembed_types_trusted(case, tmp_path):
    sio = pytest.importorskip("skops.io")
    est, X, _ = case
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    untrusted = sio.get_untrusted_types(file=path)
    # everything skops does not already trust is skembed's own: the estimator
    # and its small records, never a pandas or numpy internal
    assert untrusted and all(name.startswith("skembed.") for name in untrusted)
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        sio.load(path, trusted=[])
    loaded = sio.load(path, trusted=skembed_types(path))
    assert_same_outputs(est, loaded, X)


def test_skops_round_trip_keeps_training_state(tmp_path):
    sio = pytest.importorskip("skops.io")
    X, y = multiclass()
    est = continue_training(EmbeddingMLPClassifier(hidden_layer_sizes=(8,), random_state=0),
                            X, y, np.unique(y))
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    loaded = sio.load(path, trusted=skembed_types(path))
    continue_training(est, X, y, None)
    continue_training(loaded, X, y, None)
    np.testing.assert_array_equal(est._network.params, loaded._network.params)


def test_skops_sees_a_categorical_frame_model_without_pandas_types(tmp_path):
    sio = pytest.importorskip("skops.io")
    X, y = houses()
    X["zone"] = pd.Categorical(np.where(X["size_sqft"] > 1500, "big", "small"))
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, y)
    untrusted = sio.get_untrusted_types(data=sio.dumps(est))
    assert not [name for name in untrusted if name.startswith(("pandas.", "numpy."))]
