"""scikit-learn's fit callbacks (sklearn.callback, 1.9+) follow skembed's epochs."""

import numpy as np
import pytest
from sklearn.datasets import load_iris

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor

callback = pytest.importorskip("sklearn.callback")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class StopAfter:
    """A minimal FitCallback: records epoch ends and stops after ``n`` of them."""

    def __init__(self, n):
        self.n = n
        self.ends = 0
        self.fitted = []

    def setup(self, estimator, context):
        self.ends = 0

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, *, X=None, y=None, metadata=None,
                          fitted_estimator=None):
        pass

    def on_fit_task_end(self, estimator, context, *, X=None, y=None, metadata=None,
                        fitted_estimator=None):
        if context.task_name != "epoch":
            return False
        self.ends += 1
        self.fitted.append(fitted_estimator.score(X, y))
        return self.ends >= self.n


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_a_callback_sees_every_epoch_and_can_stop_training(solver):
    X, y = load_iris(return_X_y=True)
    stop = StopAfter(3)
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), solver=solver, max_iter=50,
                                 random_state=0).set_callbacks(stop)
    clf.fit(X, y)
    assert stop.ends == 3
    assert clf.n_iter_ == 3
    # the fitted estimator handed to the callback predicts with that epoch's parameters
    assert stop.fitted[-1] == pytest.approx(clf.score(X, y))


def test_scoring_monitor_records_a_score_per_epoch():
    X, y = load_iris(return_X_y=True)
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), max_iter=4, random_state=0)
    clf.set_callbacks(monitor).fit(X, y)
    scores = [row["accuracy"] for row in monitor.get_logs().data if "accuracy" in row]
    assert len(scores) >= 4
    assert all(0 <= s <= 1 for s in scores)


def test_progress_bar_runs_inside_grid_search():
    pytest.importorskip("rich")
    from sklearn.model_selection import GridSearchCV

    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(60, 3)), rng.normal(size=60)
    grid = GridSearchCV(EmbeddingMLPRegressor(max_iter=3),
                        {"hidden_layer_sizes": [(4,), (8,)]}, cv=2)
    grid.set_callbacks(callback.ProgressBar(max_propagation_depth=None)).fit(X, y)
    assert grid.best_estimator_.n_iter_ == 3


class BlasThreadsDuringFit(StopAfter):
    """Records the BLAS thread counts in force at each epoch end."""

    def on_fit_task_end(self, estimator, context, *, X=None, y=None, metadata=None,
                        fitted_estimator=None):
        from threadpoolctl import threadpool_info

        if context.task_name == "epoch":
            self.threads = [info["num_threads"] for info in threadpool_info()
                            if info["user_api"] == "blas"]
        return super().on_fit_task_end(estimator, context, X=X, y=y,
                                       fitted_estimator=fitted_estimator)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_training_runs_blas_on_one_thread(solver):
    # numpy's and scipy's OpenBLAS pools would otherwise spin against each other
    from threadpoolctl import threadpool_limits

    X, y = load_iris(return_X_y=True)
    spy = BlasThreadsDuringFit(2)
    with threadpool_limits(2, user_api="blas"):
        EmbeddingMLPClassifier(hidden_layer_sizes=(8,), solver=solver, max_iter=5,
                               random_state=0).set_callbacks(spy).fit(X, y)
    assert spy.threads and set(spy.threads) == {1}
