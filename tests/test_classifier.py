"""The classifiers against scikit-learn's MLPClassifier and their own promises.

Accuracy comparisons with the same parameters are like for like with the
twin; the model for tables is compared with its own defaults.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits, load_iris, make_classification
from sklearn.metrics import log_loss, recall_score
from sklearn.model_selection import train_test_split
from sklearn import neural_network

from skembed import EmbeddingMLPClassifier, MLPClassifier
from skembed.datasets import make_xor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_digits_accuracy_at_least_sklearns(solver):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0, stratify=y)
    common = dict(hidden_layer_sizes=(64,), solver=solver, random_state=0, max_iter=200)
    if solver == "sgd":
        common["learning_rate_init"] = 0.1
    ours = MLPClassifier(**common).fit(X_tr, y_tr).score(X_te, y_te)
    theirs = neural_network.MLPClassifier(**common).fit(X_tr, y_tr).score(X_te, y_te)
    assert ours >= theirs - 0.015, (ours, theirs)
    assert ours > 0.94


def test_digits_accuracy_of_the_model_for_tables_near_sklearns():
    """The model for tables with its own defaults against scikit-learn's MLP
    with its defaults, fitted through the twin: the same results (the test
    above and test_twins.py), in a second rather than half a minute.

    Pixels are not the tables its defaults were chosen on (a column of 0s
    with a few other values is a poor fit for quantile bins), and it does
    lose here: 0.964 against 0.980 on this split. The test keeps it from
    falling further behind."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0, stratify=y)
    ours = EmbeddingMLPClassifier(random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
    theirs = MLPClassifier(random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
    assert ours >= theirs - 0.025, (ours, theirs)
    assert ours > 0.95


@pytest.mark.parametrize("Classifier", [MLPClassifier, EmbeddingMLPClassifier])
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_iris_accuracy_at_least_sklearns(solver, Classifier):
    X, y = load_iris(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=1, stratify=y)
    # scikit-learn's settings for both, training on every row: the model for
    # tables would otherwise hold out a tenth of these 112 rows to stop on
    common = dict(hidden_layer_sizes=(16,), solver=solver, random_state=0, max_iter=1000,
                  early_stopping=False)
    ours = Classifier(**common).fit(X_tr, y_tr).score(X_te, y_te)
    theirs = neural_network.MLPClassifier(**common).fit(X_tr, y_tr).score(X_te, y_te)
    assert ours >= theirs - 0.03, (ours, theirs)


def test_xor_is_learned():
    X, y = make_xor(400, random_state=0)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    assert clf.fit(X, y).score(X, y) > 0.95


def test_binary_output_and_probabilities():
    X, y = make_classification(n_samples=200, random_state=0)
    labels = np.array(["no", "yes"])[y]
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0)
    clf.fit(X, labels)
    assert clf.out_activation_ == "logistic"
    assert clf.n_outputs_ == 1
    proba = clf.predict_proba(X)
    assert proba.shape == (200, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba))


def test_multiclass_softmax():
    X, y = load_iris(return_X_y=True)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0).fit(X, y)
    assert clf.out_activation_ == "softmax"
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1, rtol=1e-6)


def test_float32_softmax_sums_to_one_in_float64():
    # trained in float32 (dtype="auto" on more rows than one batch), predicted
    # for float64 X: each row sums to 1 in float64, so log_loss takes it quietly
    X, y = make_classification(n_samples=600, n_classes=4, n_informative=6, random_state=0)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(16,), max_iter=5, random_state=0).fit(X, y)
    assert clf._network.dtype == np.float32
    proba = clf.predict_proba(X)
    assert proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=0, atol=4 * np.finfo(np.float64).eps)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_loss(y, proba)


def test_multilabel():
    X, _ = make_classification(n_samples=300, n_features=6, random_state=0)
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 0] + X[:, 1] > 0]).astype(int)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    clf.fit(X, Y)
    assert clf.out_activation_ == "logistic"
    assert clf.predict(X).shape == Y.shape
    assert clf.predict_proba(X).shape == Y.shape
    assert clf.score(X, Y) > 0.9


def test_one_class_target_is_rejected():
    X = np.random.RandomState(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match="only one class"):
        EmbeddingMLPClassifier().fit(X, np.zeros(20))


def test_class_weight_balanced_raises_minority_recall():
    X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05, class_sep=0.5,
                               n_informative=3, random_state=0)
    X_tr, X_te, y_tr, y_te = X[:600], X[600:], y[:600], y[600:]
    params = dict(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0, max_iter=200,
                  alpha=10.0)
    plain = recall_score(y_te, EmbeddingMLPClassifier(**params).fit(X_tr, y_tr).predict(X_te))
    balanced = EmbeddingMLPClassifier(**params, class_weight="balanced").fit(X_tr, y_tr)
    assert recall_score(y_te, balanced.predict(X_te)) > plain + 0.1
    explicit = EmbeddingMLPClassifier(**params, class_weight={0: 1.0, 1: 9.0}).fit(X_tr, y_tr)
    assert recall_score(y_te, explicit.predict(X_te)) > plain + 0.1


def test_partial_fit_needs_classes_first():
    X, y = load_iris(return_X_y=True)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    assert not hasattr(clf, "classes_")
    clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])
    clf.partial_fit(X, y)
    assert list(clf.classes_) == [0, 1, 2]
    with pytest.raises(ValueError, match="not seen before"):
        clf.partial_fit(X, y + 1)
    with pytest.raises(ValueError, match="balanced"):
        EmbeddingMLPClassifier(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


@pytest.mark.parametrize("Classifier", [MLPClassifier, EmbeddingMLPClassifier])
@pytest.mark.parametrize("hole", [None, np.nan])
@pytest.mark.parametrize("as_container", [
    np.asarray,
    lambda values: pd.Series(values),
    lambda values: pd.Series(values, dtype="category"),
])
def test_missing_labels_get_an_error_that_says_where(Classifier, hole, as_container):
    X, labels = make_classification(n_samples=120, n_features=4, random_state=0)
    y = np.where(labels == 1, "yes", "no").astype(object)
    holed = y.copy()
    holed[[7, 30]] = hole
    holed = as_container(holed)
    with pytest.raises(ValueError, match=r"y has 2 missing label\(s\).*first at row 7"):
        Classifier(max_iter=2).fit(X, holed)
    with pytest.raises(ValueError, match=r"y_val has 2 missing label\(s\)"):
        Classifier(max_iter=2).fit(X, y, X_val=X, y_val=holed)
    fitted = Classifier(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=r"y has 2 missing label\(s\)"):
        fitted.partial_fit(X, holed)
