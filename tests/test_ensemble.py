"""n_networks: several networks trained in one fit, their predictions averaged."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

from skembed import (
    EmbeddingMLPClassifier,
    EmbeddingMLPRegressor,
    MLPClassifier,
    MLPRegressor,
)
from skembed import _training as training
from skembed.exceptions import DivergenceWarning

SMALL = dict(hidden_layer_sizes=(16,), max_iter=30, random_state=0)


@pytest.fixture(scope="module")
def reg_data():
    # 300 rows: the model for tables holds out a validation split
    X, y = make_regression(n_samples=300, n_features=5, noise=10.0, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def clf_data():
    X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=3,
                               random_state=0)
    return X, y


def seeds_of(random_state, n_networks):
    """The seeds of networks 2 to n, as the documentation states them: drawn
    from random_state before the first network draws anything."""
    return np.random.RandomState(random_state).randint(
        np.iinfo(np.int32).max, size=n_networks - 1).tolist()


def data_for(Estimator, reg_data, clf_data):
    return clf_data if Estimator in (EmbeddingMLPClassifier, MLPClassifier) else reg_data


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "Estimator", [EmbeddingMLPRegressor, EmbeddingMLPClassifier, MLPRegressor, MLPClassifier])
def test_the_average_of_networks_each_trained_as_alone(Estimator, reg_data, clf_data):
    X, y = data_for(Estimator, reg_data, clf_data)
    ensemble = Estimator(**SMALL, n_networks=3).fit(X, y)
    alone = [Estimator(**SMALL).fit(X, y)] + [
        Estimator(**{**SMALL, "random_state": seed}).fit(X, y) for seed in seeds_of(0, 3)
    ]
    # the first network is the one n_networks=1 trains: the fitted
    # attributes and the embeddings describe it
    for got, want in zip(ensemble.coefs_, alone[0].coefs_):
        np.testing.assert_array_equal(got, want)
    assert ensemble.loss_curve_ == alone[0].loss_curve_
    np.testing.assert_array_equal(ensemble.transform(X), alone[0].transform(X))
    # each other network is the one its seed trains alone
    for member, single in zip(ensemble._members, alone[1:]):
        np.testing.assert_array_equal(member.network.params, single._network.params)
    # the networks differ, and predictions average theirs
    assert not np.allclose(alone[0].predict(X[:50]), alone[1].predict(X[:50]))
    if Estimator in (EmbeddingMLPClassifier, MLPClassifier):
        mean = np.mean([single.predict_proba(X) for single in alone], axis=0)
        np.testing.assert_allclose(ensemble.predict_proba(X), mean, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(ensemble.predict(X),
                                      ensemble.classes_[mean.argmax(axis=1)])
    else:
        mean = np.mean([single.predict(X) for single in alone], axis=0)
        np.testing.assert_allclose(ensemble.predict(X), mean, rtol=1e-5, atol=1e-5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_seed_does_not_depend_on_the_data(reg_data):
    # the seeds come from random_state alone, so that a weighted row and
    # the same row repeated train the same ensemble
    X, y = reg_data
    small = EmbeddingMLPRegressor(**SMALL, n_networks=2).fit(X[:100], y[:100])
    single = EmbeddingMLPRegressor(**{**SMALL, "random_state": seeds_of(0, 2)[0]}).fit(
        X[:100], y[:100])
    np.testing.assert_array_equal(small._members[0].network.params, single._network.params)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_binary_probabilities_are_averaged_and_sum_to_one():
    X, y = make_classification(n_samples=250, n_features=5, random_state=1)
    clf = EmbeddingMLPClassifier(**SMALL, n_networks=4).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (250, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert len(clf._members) == 3


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_partial_fit_trains_every_network(reg_data):
    X, y = reg_data
    est = MLPRegressor(**SMALL, n_networks=3)
    est.partial_fit(X, y)
    before = [member.network.params.copy() for member in est._members]
    est.partial_fit(X, y)
    assert est.t_ == 2 * len(X)
    for member, params in zip(est._members, before):
        assert member.history.t == 2 * len(X) and member.history.n_iter == 1
        assert not np.array_equal(member.network.params, params)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_warm_start_goes_on_training_every_network(reg_data):
    X, y = reg_data
    params = dict(**{**SMALL, "max_iter": 5}, n_networks=2, early_stopping=False, tol=0)
    warm = EmbeddingMLPRegressor(**params, warm_start=True).fit(X, y).fit(X, y)
    assert warm.n_iter_ == 5 and len(warm.loss_curve_) == 10
    assert warm._members[0].history.n_iter == 5
    assert len(warm._members[0].history.loss_curve) == 10


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_a_changed_n_networks_is_refused_and_changes_nothing(reg_data, how):
    X, y = reg_data
    est = MLPRegressor(**SMALL, n_networks=3, warm_start=how == "warm_start")
    est.fit(X, y) if how == "warm_start" else est.partial_fit(X, y)
    predictions = est.predict(X)
    est.set_params(n_networks=2)
    refit = est.fit if how == "warm_start" else est.partial_fit
    with pytest.raises(ValueError, match=r"n_networks=2 but the fitted estimator has 3 "
                                         r"network\(s\): set n_networks=3"):
        refit(X, y)
    np.testing.assert_array_equal(est.predict(X), predictions)
    # a new fit trains the new number
    est.set_params(n_networks=2, warm_start=False).fit(X, y)
    assert len(est._members) == 1


def test_n_networks_is_validated(reg_data):
    X, y = reg_data
    with pytest.raises(ValueError, match="n_networks"):
        MLPRegressor(n_networks=0).fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_an_ensemble_pickles(reg_data):
    X, y = reg_data
    est = EmbeddingMLPRegressor(**SMALL, n_networks=2).fit(X, y)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(est)).predict(X), est.predict(X))


def test_divergence_in_the_other_networks_is_named_and_leaves_finite_weights(reg_data):
    X, y = reg_data
    est = MLPRegressor(hidden_layer_sizes=(8,), solver="sgd", learning_rate_init=10.0,
                       max_iter=5, random_state=0, n_networks=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X * 1e3, y)
    messages = [str(w.message) for w in caught if issubclass(w.category, DivergenceWarning)]
    assert any(m.startswith("Training diverged: ") for m in messages)
    assert any("Training diverged in network(s) 2, 3 of 3" in m for m in messages)
    for network in [est._network] + [member.network for member in est._members]:
        assert np.isfinite(network.params).all()


def test_ctrl_c_in_a_later_network_keeps_the_networks_trained(reg_data, monkeypatch):
    X, y = reg_data
    params = dict(hidden_layer_sizes=(6,), batch_size=50, random_state=0, max_iter=4,
                  tol=0, n_iter_no_change=100, early_stopping=False, n_networks=3)
    step = training.BatchTrainer.step
    calls = {"n": 0}

    def step_or_interrupt(self, rows, optimizer):
        calls["n"] += 1
        if calls["n"] == 4 * 6 + 2 * 6 + 3:  # 6 batches an epoch: network 2's third epoch
            raise KeyboardInterrupt
        return step(self, rows, optimizer)

    monkeypatch.setattr(training.BatchTrainer, "step", step_or_interrupt)
    est = EmbeddingMLPRegressor(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(UserWarning, match=r"interrupted by user in network 2 of 3.*"
                                             r"average the 2 network\(s\)"):
            est.fit(X, y)
    monkeypatch.undo()
    assert len(est._members) == 1 and est._members[0].history.n_iter == 2
    assert est.n_iter_ == 4
    assert np.isfinite(est.predict(X)).all()


def test_an_error_in_a_later_network_leaves_partial_fit_with_nothing_changed(reg_data,
                                                                              monkeypatch):
    # partial_fit trains each network in place: an error in the third must
    # put the first two back, weights, tables and optimizer state alike
    X, y = reg_data
    X = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    X["group"] = pd.Categorical(np.arange(len(X)) % 4)
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(6,), batch_size=50, random_state=0,
                                n_networks=3)
    est.partial_fit(X, y)
    networks = [est._network] + [member.network for member in est._members]
    optimizers = [est._optimizer] + [member.optimizer for member in est._members]
    before = [network.params.copy() for network in networks]
    moments = [[a.copy() for a in opt.state_arrays()] + [opt.t] for opt in optimizers]
    predictions = est.predict(X)
    step = training.BatchTrainer.step
    calls = {"n": 0}

    def step_or_fail(self, rows, optimizer):
        calls["n"] += 1
        if calls["n"] == 2 * 6 + 3:  # 6 batches an epoch: network 3's third batch
            raise MemoryError("no room")
        return step(self, rows, optimizer)

    monkeypatch.setattr(training.BatchTrainer, "step", step_or_fail)
    with pytest.raises(MemoryError, match="no room"):
        est.partial_fit(X, y)
    monkeypatch.undo()
    assert calls["n"] == 15
    for network, params in zip(networks, before):
        np.testing.assert_array_equal(network.params, params)
    for opt, saved in zip(optimizers, moments):
        for array, values in zip(opt.state_arrays(), saved[:-1]):
            np.testing.assert_array_equal(array, values)
        assert opt.t == saved[-1]
    np.testing.assert_array_equal(est.predict(X), predictions)
    est.partial_fit(X, y)  # and it goes on from there
    assert est.n_iter_ == 1 and len(est.loss_curve_) == 2
