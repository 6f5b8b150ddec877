"""The model for tables' own choices: its defaults and the parameters behind
them (dtype="auto", scoring="loss", the cosine schedule, early_stopping="auto",
label smoothing), each as a parameter a user can set."""

import copy
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPClassifier, MLPRegressor
from skembed._optimizers import Adam, cosine_factor
from skembed._training import flush_subnormals

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def regression(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ [1.0, -2.0, 0.5] + np.sin(3 * X[:, 0]) + rng.normal(0, 0.1, n)


def classification(n, seed=0):
    X, y = regression(n, seed)
    return X, np.where(y > 0, "up", "down")


# --------------------------------------------------------------------------
# every differing default is documented with its measurement
# --------------------------------------------------------------------------
@pytest.mark.parametrize("Table, Twin", [(EmbeddingMLPRegressor, MLPRegressor),
                                         (EmbeddingMLPClassifier, MLPClassifier)])
def test_each_default_that_differs_is_listed_in_the_docstring(Table, Twin):
    ours, twins = Table().get_params(), Twin().get_params()
    differing = [name for name in ours if ours[name] != twins[name]]
    assert len(differing) >= 10
    listed = Table.__doc__.split("Defaults that differ from scikit-learn's")[1]
    listed = listed.split("Parameters\n")[0]
    for name in differing:
        assert f"``{name}=" in listed, name


# --------------------------------------------------------------------------
# dtype="auto"
# --------------------------------------------------------------------------
def test_dtype_auto_is_float32_for_mini_batches_and_float64_for_full_batches():
    X, y = regression(600)
    assert EmbeddingMLPRegressor(max_iter=2).fit(X, y)._network.dtype == np.float32
    assert EmbeddingMLPRegressor(max_iter=2).fit(X[:150], y[:150])._network.dtype == np.float64
    assert EmbeddingMLPRegressor(max_iter=2, batch_size=1000).fit(X, y)._network.dtype \
        == np.float64
    lbfgs = EmbeddingMLPRegressor(solver="lbfgs", max_iter=5).fit(X, y)
    assert lbfgs._network.dtype == np.float64
    # outputs follow the input, whatever the compute precision
    assert EmbeddingMLPRegressor(max_iter=2).fit(X, y).predict(X).dtype == np.float64


# --------------------------------------------------------------------------
# scoring="loss"
# --------------------------------------------------------------------------
def test_scoring_loss_records_the_negative_validation_log_loss():
    X, y = classification(600)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(16,), max_iter=4, early_stopping=False,
                                 random_state=0)
    clf.fit(X[:500], y[:500], X_val=X[500:], y_val=y[500:])
    assert len(clf.validation_scores_) == 4
    # the last epoch's parameters are kept (no early stopping), so its score is theirs
    expected = -log_loss(y[500:], clf.predict_proba(X[500:]))
    assert clf.validation_scores_[-1] == pytest.approx(expected, rel=1e-5)
    accuracy = MLPClassifier(hidden_layer_sizes=(16,), max_iter=4, random_state=0)
    accuracy.fit(X[:500], y[:500], X_val=X[500:], y_val=y[500:])
    assert accuracy.validation_scores_[-1] == accuracy.score(X[500:], y[500:])


def test_scoring_loss_of_a_regressor_is_its_loss_on_the_scaled_target():
    X, y = regression(600)
    reg = EmbeddingMLPRegressor(hidden_layer_sizes=(16,), max_iter=3, early_stopping=False,
                                random_state=0)
    reg.fit(X[:500], y[:500], X_val=X[500:], y_val=y[500:])
    scale = np.std(y[:500])
    half_mse = 0.5 * np.mean(((reg.predict(X[500:]) - y[500:]) / scale) ** 2)
    assert reg.validation_scores_[-1] == pytest.approx(-half_mse, rel=1e-4)


# --------------------------------------------------------------------------
# the cosine schedule
# --------------------------------------------------------------------------
def test_cosine_goes_from_one_to_zero_then_restarts():
    assert cosine_factor(0, 100) == 1.0
    assert cosine_factor(50, 100) == pytest.approx(0.5)
    assert cosine_factor(99, 100) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.99)))
    assert cosine_factor(100, 100) == 1.0  # the next cycle
    assert cosine_factor(7, 0) == 1.0  # no schedule


def test_adam_steps_shrink_along_the_cosine():
    params = np.zeros(3)
    adam = Adam(learning_rate_init=0.1, cosine_steps=10).start(params)
    rates = []
    for _ in range(10):
        adam.step(params, np.ones(3))
        rates.append(adam.learning_rate)
    undecayed = [0.1 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) for t in range(1, 11)]
    np.testing.assert_allclose(np.array(rates) / undecayed,
                               [cosine_factor(t, 10) for t in range(10)])


def test_partial_fit_past_max_iter_goes_on_learning():
    X, y = regression(400)
    reg = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), max_iter=2, random_state=0)
    for _ in range(4):  # two whole cosine cycles
        reg.partial_fit(X, y)
    before = reg._network.params.copy()
    reg.partial_fit(X, y)
    assert np.abs(reg._network.params - before).max() > 1e-4


# --------------------------------------------------------------------------
# early_stopping="auto"
# --------------------------------------------------------------------------
# from 100 training rows, a regressor as a classifier: trained on every row, a
# network fits a small noisy table's noise
@pytest.mark.parametrize("Estimator, data", [
    (EmbeddingMLPRegressor, regression),
    (EmbeddingMLPClassifier, classification),
])
def test_early_stopping_auto_holds_data_out_from_enough_rows(Estimator, data):
    X, y = data(300)
    threshold = 100
    small = Estimator(hidden_layer_sizes=(8,), max_iter=3).fit(X[:threshold - 1],
                                                             y[:threshold - 1])
    assert small.validation_scores_ is None
    large = Estimator(hidden_layer_sizes=(8,), max_iter=3).fit(X[:threshold], y[:threshold])
    assert len(large.validation_scores_) == large.n_iter_
    assert large.best_loss_ is None  # it keeps the best validation epoch
    lbfgs = Estimator(hidden_layer_sizes=(8,), max_iter=3, solver="lbfgs")
    assert lbfgs.fit(X, y).validation_scores_ is None  # lbfgs has no epochs to stop between


def test_early_stopping_auto_keeps_a_class_of_one_row_in_training():
    # a binary target with one row of a class cannot be split stratified:
    # asked for, that is scikit-learn's error; chosen by "auto", the row trains
    X, _ = regression(150)
    y = np.array(["common"] * 149 + ["once"])
    with pytest.raises(ValueError, match="least populated class"):
        EmbeddingMLPClassifier(early_stopping=True, max_iter=2).fit(X, y)
    model = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), max_iter=2, random_state=0).fit(X, y)
    assert len(model.validation_scores_) == model.n_iter_
    assert list(model.classes_) == ["common", "once"]
    again = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), max_iter=2, random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.predict_proba(X), again.predict_proba(X))


# --------------------------------------------------------------------------
# max_iter="auto" and n_iter_no_change="auto": epochs, or steps where more
# --------------------------------------------------------------------------
# (training rows, epochs of max_iter="auto", of n_iter_no_change="auto"):
# one step an epoch up to 200 rows (150 steps, 30 of patience), two or more
# from 201 (100 and 20 epochs are more steps than that)
@pytest.mark.parametrize("n_rows, max_iter, patience", [
    (90, 150, 30), (200, 150, 30), (201, 100, 20), (700, 100, 20),
])
def test_auto_budgets_count_optimizer_steps_where_epochs_are_short(n_rows, max_iter, patience):
    X, y = regression(n_rows)
    kwargs = dict(hidden_layer_sizes=(8,), early_stopping=False, random_state=0)
    # no epoch improves by tol: training stops once the patience has run out
    stalled = EmbeddingMLPRegressor(tol=1e9, **kwargs)
    assert stalled.n_iter_no_change == "auto"
    as_int = EmbeddingMLPRegressor(tol=1e9, n_iter_no_change=patience, **kwargs)
    assert stalled.fit(X, y).n_iter_ == as_int.fit(X, y).n_iter_ < max_iter
    # every epoch counts as progress: training runs to the budget, and says so
    with pytest.warns(ConvergenceWarning,
                      match=rf'Maximum iterations \({max_iter}, from max_iter="auto"\)'):
        full = EmbeddingMLPRegressor(tol=0, n_iter_no_change=np.inf, **kwargs).fit(X, y)
    assert full.max_iter == "auto"
    assert full.n_iter_ == len(full.loss_curve_) == max_iter


def test_auto_budgets_of_a_batch_size_and_of_lbfgs():
    X, y = regression(300)
    # batches of 50 rows: 6 steps an epoch, so 100 epochs
    small_batches = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), batch_size=50, tol=0,
                                          n_iter_no_change=np.inf, early_stopping=False,
                                          random_state=0).fit(X, y)
    assert small_batches.n_iter_ == 100
    # an L-BFGS iteration is one step on every row: 150 iterations at most
    lbfgs = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), solver="lbfgs", tol=0,
                                  max_fun=10**6, random_state=0).fit(X, y)
    assert 100 < lbfgs.n_iter_ <= 150


def test_the_classifier_keeps_budgets_in_epochs_and_takes_auto():
    X, y = classification(150)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), tol=0, n_iter_no_change=np.inf,
                                 early_stopping=False, random_state=0)
    assert (clf.max_iter, EmbeddingMLPClassifier().n_iter_no_change) == (100, 20)
    assert clf.fit(X, y).n_iter_ == 100
    assert clf.set_params(max_iter="auto").fit(X, y).n_iter_ == 150
    with pytest.raises(ValueError, match="max_iter"):
        clf.set_params(max_iter="long").fit(X, y)


def test_default_tol_counts_small_validation_gains_as_progress():
    # low noise: late in training the validation loss (on the standardised
    # target) falls by less than 1e-4 per epoch, and still falls
    X, y = regression(2000)
    shipped = EmbeddingMLPRegressor(hidden_layer_sizes=(32,), random_state=0).fit(X, y)
    coarse = EmbeddingMLPRegressor(hidden_layer_sizes=(32,), tol=1e-4,
                                   random_state=0).fit(X, y)
    assert shipped.tol == 1e-7
    # scikit-learn's tol stops a fit whose last epoch was its best
    assert coarse.n_iter_ < 100  # max_iter="auto" on 1,800 rows: 100 epochs
    assert np.argmax(coarse.validation_scores_) == coarse.n_iter_ - 1
    # the shipped one goes on, to a lower validation loss
    assert shipped.n_iter_ > coarse.n_iter_
    assert max(shipped.validation_scores_) > max(coarse.validation_scores_)


def test_piecewise_linear_bins_grow_with_the_rows():
    for n, bins in [(100, 2), (300, 4), (640, 10), (5000, 16)]:
        X, y = regression(n)
        est = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=1).fit(X, y)
        assert est._network.layout.numeric_embedding.n_basis == bins
        assert est._network.preprocessing.edges.shape == (3, bins + 1)


# --------------------------------------------------------------------------
# label smoothing
# --------------------------------------------------------------------------
def test_label_smoothing_moves_the_targets_toward_uniform():
    X, y = classification(300)
    clf = EmbeddingMLPClassifier(max_iter=1, label_smoothing=0.1).fit(X, y)
    encoded = clf._codec.encode(np.array(["down", "up"]), np.float64)
    np.testing.assert_allclose(encoded.ravel(), [0.05, 0.95])
    three = np.array(["a", "b", "c"] * 100)
    clf3 = EmbeddingMLPClassifier(max_iter=1, label_smoothing=0.3).fit(X, three)
    np.testing.assert_allclose(clf3._codec.encode(np.array(["b"]), np.float64),
                               [[0.1, 0.8, 0.1]])
    # predictions are labels, probabilities sum to one
    assert set(clf.predict(X)) <= {"down", "up"}
    np.testing.assert_allclose(clf3.predict_proba(X).sum(axis=1), 1.0, rtol=1e-6)


# --------------------------------------------------------------------------
# subnormal numbers are flushed to zero
# --------------------------------------------------------------------------
def test_subnormal_parameters_and_moments_are_set_to_zero():
    class Trainer:
        n_lazy = 2
        params = np.array([1e-40, 1e-40, 1e-40, 1.0, -1e-39, 0.0], dtype=np.float32)

    trainer = Trainer()
    adam = Adam().start(trainer.params.copy())
    adam.ms[:] = [1e-40, 0, 1e-41, 2.0, 0, 0]
    flush_subnormals(trainer, adam)
    # the tables' rows (the first n_lazy values) are left to their own updates
    assert trainer.params.tolist() == pytest.approx([1e-40, 1e-40, 0.0, 1.0, 0.0, 0.0])
    assert adam.ms.tolist() == pytest.approx([1e-40, 0.0, 0.0, 2.0, 0.0, 0.0])


def test_the_model_for_tables_takes_a_raw_frame():
    rng = np.random.default_rng(3)
    n = 1500
    X = pd.DataFrame({
        "price_eur": rng.lognormal(12, 0.5, n),  # hundreds of thousands
        "rooms": rng.integers(1, 7, n),
        "city": rng.choice(["Lyon", "Lille", "Nice"], n),
    })
    X.loc[X.index[::20], "price_eur"] = np.nan
    y = np.log(X["price_eur"].fillna(X["price_eur"].median())) + 0.2 * X["rooms"] \
        + (X["city"] == "Nice") + rng.normal(0, 0.05, n)
    reg = EmbeddingMLPRegressor(random_state=0).fit(X[:1200], y[:1200])
    assert reg.score(X[1200:], y[1200:]) > 0.9


# --------------------------------------------------------------------------
# weight_averaging
# --------------------------------------------------------------------------
def flat_weights(est):
    return np.concatenate([a.ravel() for a in (*est.coefs_, *est.intercepts_)])


def test_weight_averaging_leaves_the_moving_average_of_the_steps():
    X, y = regression(6)
    start = MLPRegressor(hidden_layer_sizes=(4,), solver="sgd", momentum=0.0, batch_size=1,
                         shuffle=False, learning_rate_init=0.05, max_iter=1,
                         warm_start=True, random_state=0).fit(X, y)
    # from the same weights: the weights after each step of one epoch, one row a step
    stepper = copy.deepcopy(start)
    steps = [flat_weights(start)]
    for i in range(len(X)):
        stepper.partial_fit(X[i : i + 1], y[i : i + 1])
        steps.append(flat_weights(stepper))
    plain = flat_weights(copy.deepcopy(start).fit(X, y))
    np.testing.assert_allclose(plain, steps[-1], rtol=1e-12)  # the same steps
    averaged = copy.deepcopy(start).set_params(weight_averaging=0.15).fit(X, y)
    expected = steps[0]
    for t, weights in enumerate(steps[1:], start=1):
        d = min(0.15, (1 + t) / (10 + t))
        expected = d * expected + (1 - d) * weights
    np.testing.assert_allclose(flat_weights(averaged), expected, rtol=1e-12)
    assert np.abs(expected - steps[-1]).max() > 1e-3


def test_weight_averaging_scores_and_keeps_the_average():
    X, y = regression(700)
    params = dict(hidden_layer_sizes=(16,), max_iter=30, n_iter_no_change=5,
                  scoring=None, random_state=0)
    reg = EmbeddingMLPRegressor(**params).fit(X[:600], y[:600], X_val=X[600:],
                                              y_val=y[600:])
    assert reg.weight_averaging == 0.99
    # the best epoch's score is the score of the model kept
    assert reg.best_validation_score_ == pytest.approx(reg.score(X[600:], y[600:]),
                                                       rel=1e-5)
    last = EmbeddingMLPRegressor(**params, weight_averaging=None)
    last.fit(X[:600], y[:600], X_val=X[600:], y_val=y[600:])
    assert not np.allclose(flat_weights(reg), flat_weights(last))
    assert last.best_validation_score_ == pytest.approx(last.score(X[600:], y[600:]),
                                                        rel=1e-5)


def test_weight_averaging_is_ignored_by_lbfgs_and_refused_out_of_range():
    X, y = regression(100)
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=5, random_state=0)
    np.testing.assert_array_equal(
        flat_weights(MLPRegressor(**params, weight_averaging=0.9).fit(X, y)),
        flat_weights(MLPRegressor(**params).fit(X, y)))
    for bad in (1.0, 0.0, -0.5, "yes"):
        with pytest.raises(ValueError, match="weight_averaging"):
            MLPRegressor(weight_averaging=bad).fit(X, y)


# --------------------------------------------------------------------------
# dropout="auto"
# --------------------------------------------------------------------------
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_dropout_auto_is_0_15_for_the_stochastic_solvers(solver):
    X, y = classification(150)
    params = dict(hidden_layer_sizes=(8,), solver=solver, max_iter=3, random_state=0)
    auto = EmbeddingMLPClassifier(**params).fit(X, y)
    assert auto.dropout == "auto"
    np.testing.assert_array_equal(
        flat_weights(auto), flat_weights(EmbeddingMLPClassifier(**params, dropout=0.15).fit(X, y)))
    assert not np.array_equal(
        flat_weights(auto), flat_weights(EmbeddingMLPClassifier(**params, dropout=0.0).fit(X, y)))


def test_dropout_auto_falls_as_one_over_the_rows_past_1000():
    from skembed._fitting import dropout_rate

    est = EmbeddingMLPClassifier()
    assert [dropout_rate(est, n, True) for n in (10, 1000)] == [0.15, 0.15]
    assert dropout_rate(est, 10_000, True) == pytest.approx(0.015)
    assert dropout_rate(est, 10, False) == 0.0
    assert dropout_rate(est.set_params(solver="lbfgs"), 10, True) == 0.0
    assert dropout_rate(EmbeddingMLPRegressor(), 10, True) == 0.0
    # the rows trained on: 2,500 less a fifth held out train at 0.075
    X, y = classification(2500)
    params = dict(hidden_layer_sizes=(8,), validation_fraction=0.2, max_iter=2,
                  random_state=0)
    np.testing.assert_array_equal(
        flat_weights(EmbeddingMLPClassifier(**params).fit(X, y)),
        flat_weights(EmbeddingMLPClassifier(**params, dropout=0.075).fit(X, y)))


def test_dropout_auto_is_off_where_nothing_is_held_out():
    # under 100 rows the classifier trains on every row and keeps no best
    # epoch: no dropout, so a row weighted 2 is the same as the row twice
    X, y = classification(60)
    params = dict(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    np.testing.assert_array_equal(
        flat_weights(EmbeddingMLPClassifier(**params).fit(X, y)),
        flat_weights(EmbeddingMLPClassifier(**params, dropout=0.0).fit(X, y)))
    X, y = classification(150)
    streamed = EmbeddingMLPClassifier(**params).partial_fit(X, y, classes=["down", "up"])
    np.testing.assert_array_equal(
        flat_weights(streamed),
        flat_weights(EmbeddingMLPClassifier(**params, dropout=0.0).partial_fit(
            X, y, classes=["down", "up"])))


def test_dropout_auto_is_off_for_lbfgs_where_a_rate_is_refused():
    X, y = classification(150)
    params = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=5, random_state=0)
    np.testing.assert_array_equal(
        flat_weights(EmbeddingMLPClassifier(**params).fit(X, y)),
        flat_weights(EmbeddingMLPClassifier(**params, dropout=0.0).fit(X, y)))
    with pytest.raises(ValueError, match="dropout=0.15 needs a stochastic solver"):
        EmbeddingMLPClassifier(**params, dropout=0.15).fit(X, y)
    with pytest.raises(ValueError, match="dropout"):
        EmbeddingMLPClassifier(dropout="always").fit(X, y)


# --------------------------------------------------------------------------
# alpha_scaling
# --------------------------------------------------------------------------
def _sgd(**params):
    return MLPRegressor(hidden_layer_sizes=(4,), solver="sgd", momentum=0.0, batch_size=10,
                        shuffle=False, learning_rate_init=0.05, max_iter=3, random_state=0,
                        **params)


def test_alpha_scaling_n_samples_divides_alpha_by_the_training_rows():
    X, y = regression(60)
    # each step's penalty: alpha / batch_size ("batch") or alpha / 60 ("n_samples")
    per_batch = flat_weights(_sgd(alpha=0.5).fit(X, y))
    per_rows = flat_weights(_sgd(alpha=0.5 * 60 / 10, alpha_scaling="n_samples").fit(X, y))
    np.testing.assert_allclose(per_rows, per_batch, rtol=1e-10)
    weaker = flat_weights(_sgd(alpha=0.5, alpha_scaling="n_samples").fit(X, y))
    assert np.abs(weaker - per_batch).max() > 1e-3
    # with sample_weight, the rows count by their summed weight
    doubled = _sgd(alpha=1.0, alpha_scaling="n_samples").fit(X, y, sample_weight=np.full(60, 2.0))
    np.testing.assert_allclose(flat_weights(doubled), weaker, rtol=1e-10)


def test_alpha_scaling_counts_the_rows_trained_on_not_the_validation_split():
    X, y = regression(100)
    params = dict(hidden_layer_sizes=(4,), batch_size=10, max_iter=3, early_stopping=True,
                  validation_fraction=0.2, n_iter_no_change=10, random_state=0)
    per_batch = EmbeddingMLPRegressor(**params, alpha=0.5, alpha_scaling="batch").fit(X, y)
    per_rows = EmbeddingMLPRegressor(**params, alpha=0.5 * 80 / 10,
                                     alpha_scaling="n_samples").fit(X, y)
    np.testing.assert_allclose(flat_weights(per_rows), flat_weights(per_batch), rtol=1e-5)


def test_alpha_scaling_is_the_same_for_lbfgs_and_refuses_other_values():
    X, y = regression(80)
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", alpha=0.5, max_iter=5, random_state=0)
    np.testing.assert_array_equal(
        flat_weights(MLPRegressor(**params, alpha_scaling="n_samples").fit(X, y)),
        flat_weights(MLPRegressor(**params).fit(X, y)))
    for bad in ("rows", None, 1):
        with pytest.raises(ValueError, match="alpha_scaling"):
            MLPRegressor(alpha_scaling=bad).fit(X, y)
