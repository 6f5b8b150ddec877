"""Embedding tables trained lazily: only the rows a batch touches move.

The math layer's pieces on their own (the row gradients, the tracker that
rolls an epoch back), then the estimators: untouched rows keep their values
and their optimizer state, a batch that touches every row takes the dense
step, a failed call changes nothing, and early stopping keeps the best epoch.
"""

import copy

import numpy as np
import pandas as pd
import pytest

import skembed._training as training
from skembed import EmbeddingMLPRegressor, MLPRegressor
from skembed._network import Inputs, Layout, init_network
from skembed._optimizers import SGD, Adam
from skembed._tables import (
    TableRows,
    TableTracker,
    dense_table_grads,
    flat_rows,
    look_up,
    table_row_grads,
    table_view,
    touched_rows,
)
from skembed._training import BatchTrainer, Objective, TrainingSet

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_row_gradients_are_the_dense_gradient_on_the_touched_rows():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 6, size=(20, 2))
    d_input = rng.normal(size=(20, 5))  # a 3-wide and a 2-wide table
    dense = [np.empty((6, 3)), np.empty((6, 2))]
    dense_table_grads(d_input, codes, dense)
    for table, rows, grad in table_row_grads(d_input, codes, [(6, 3), (6, 2)]):
        np.testing.assert_array_equal(rows, np.unique(codes[:, table]))
        np.testing.assert_allclose(grad, dense[table][rows])
        untouched = np.setdiff1d(np.arange(6), rows)
        assert not dense[table][untouched].any()


def test_row_gradients_of_many_tables_at_once_are_each_tables_own_to_the_bit():
    rng = np.random.default_rng(1)
    # alone, the middle table's touched rows are found by sorting; together, by counting
    shapes = [(7, 3), (1000, 2), (5, 1)]
    codes = np.stack([rng.integers(0, rows, size=30) for rows, _ in shapes], axis=1)
    d_input = rng.normal(size=(30, 6)).astype(np.float32)
    together = table_row_grads(d_input, codes, shapes)
    start = 0
    for j, (rows, dim) in enumerate(shapes):
        (alone,) = table_row_grads(d_input[:, start : start + dim], codes[:, [j]], [(rows, dim)])
        np.testing.assert_array_equal(together[j].rows, alone.rows)
        np.testing.assert_array_equal(together[j].grad, alone.grad)
        assert together[j].table == j
        start += dim


@pytest.mark.parametrize("n_rows", [5, 40, 10_000])
def test_touched_rows_by_counting_or_sorting_are_numpys_unique(n_rows):
    # a small table is counted, a large one beside the batch sorted
    codes = np.random.default_rng(n_rows).integers(0, n_rows, size=64)
    rows, inverse = touched_rows(codes, n_rows)
    expected_rows, expected_inverse = np.unique(codes, return_inverse=True)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(inverse, expected_inverse)
    np.testing.assert_array_equal(rows[inverse], codes)


def test_tracker_rolls_an_epoch_back_and_knows_what_changed():
    table = np.arange(12.0).reshape(6, 2)
    moment = np.zeros((6, 2))
    tracker = TableTracker([[table, moment]])
    tracker.begin_epoch()
    tracker.touch([TableRows(0, np.array([1, 4]), None)])
    table[[1, 4]] = -1.0
    moment[[1, 4]] = 5.0
    tracker.touch([TableRows(0, np.array([4, 5]), None)])  # 4 again: saved once
    table[[4, 5]] = -2.0
    assert tracker.touched_are_finite()
    table[5] = np.nan
    assert not tracker.touched_are_finite()
    tracker.roll_back()
    np.testing.assert_array_equal(table, np.arange(12.0).reshape(6, 2))
    assert not moment.any()
    np.testing.assert_array_equal(tracker.changed_since(0, 0), [1, 4, 5])
    tracker.begin_epoch()
    tracker.touch([TableRows(0, np.array([2]), None)])
    np.testing.assert_array_equal(tracker.changed_since(0, 1), [2])


def test_flat_rows_are_the_touched_rows_of_each_table_in_the_flat_vector():
    shapes = ((5, 3), (4, 2), (6, 1))
    vector = np.arange(sum(r * d for r, d in shapes), dtype=float)
    touched = [TableRows(0, np.array([1, 4]), np.ones((2, 3))),
               TableRows(2, np.array([0, 5]), 2 * np.ones((2, 1))),
               TableRows(1, np.array([3]), 3 * np.ones((1, 2)))]
    index, grad = flat_rows(touched, shapes)
    expected = np.concatenate([table_view(vector, shapes, t)[rows].ravel()
                               for t, rows, _ in touched])
    np.testing.assert_array_equal(vector[index], expected)
    np.testing.assert_array_equal(grad, [1] * 6 + [2] * 2 + [3] * 2)


def test_look_up_writes_each_tables_rows_side_by_side():
    shapes = ((5, 3), (4, 2), (6, 1))
    vector = np.random.default_rng(0).normal(size=sum(r * d for r, d in shapes) + 7)
    codes = np.array([[0, 3, 5], [4, 0, 0], [2, 2, 1]])
    out = np.full((3, 6 + 2), np.nan)
    look_up(vector, shapes, codes, out[:, 2:])
    expected = np.hstack([table_view(vector, shapes, j)[codes[:, j]] for j in range(3)])
    np.testing.assert_array_equal(out[:, 2:], expected)
    assert np.isnan(out[:, :2]).all()


def trainer_and_data(lazy, seed=0, tables=((5, 3),)):
    rng = np.random.default_rng(seed)
    dims = sum(dim for _, dim in tables)
    layout = Layout((2 + dims, 4, 1), tables, 2)
    network = init_network(layout, "tanh", "squared_error", np.float64,
                           np.random.RandomState(seed))
    n = 12
    # every row of every table, every batch
    codes = np.stack([np.resize(np.arange(rows), n) for rows, _ in tables], axis=1)
    data = TrainingSet(Inputs(rng.normal(size=(n, 2)), codes), rng.normal(size=(n, 1)),
                       np.arange(n))
    return BatchTrainer(Objective(network, alpha=0.1), data, n, lazy_tables=lazy)


@pytest.mark.parametrize("tables", [((5, 3),), ((5, 3), (4, 2), (3, 1))])
@pytest.mark.parametrize("Optimizer", [Adam, SGD])
def test_a_batch_that_touches_every_row_takes_the_dense_step(Optimizer, tables):
    lazy, dense = trainer_and_data(True, tables=tables), trainer_and_data(False, tables=tables)
    shapes = lazy.objective.network.layout.table_shapes
    lazy_optimizer = Optimizer(0.01).start(lazy.params, shapes)
    dense_optimizer = Optimizer(0.01).start(dense.params)
    rows = np.arange(12)
    for _ in range(5):
        loss_lazy = lazy.step(rows, lazy_optimizer)
        loss_dense = dense.step(rows, dense_optimizer)
        assert loss_lazy == pytest.approx(loss_dense, rel=1e-12)
    np.testing.assert_allclose(lazy.params, dense.params, rtol=1e-12, atol=1e-14)


def frame(n=240, n_categories=30, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=n),
                      "zone": pd.Categorical(rng.integers(0, n_categories, n).astype(str),
                                             categories=[str(i) for i in range(n_categories)])})
    effect = rng.normal(size=n_categories)
    return X, X["x"] + effect[X["zone"].cat.codes]


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_rows_no_batch_touches_keep_their_values_and_state(solver):
    X, y = frame()
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), solver=solver, embedding_dims=3,
                                random_state=0).partial_fit(X, y)
    table = est._network.views.tables[0]
    state = est._optimizer.table_state(0)
    before = [table.copy()] + [s.copy() for s in state]
    chunk = X["zone"].isin(["0", "1", "2"])
    est.partial_fit(X[chunk], y[chunk])
    touched = np.zeros(len(table), dtype=bool)
    touched[[0, 1, 2]] = True
    for old, new in zip(before, [table] + state):
        np.testing.assert_array_equal(new[~touched], old[~touched])
        assert not np.array_equal(new[touched], old[touched])


def test_a_failed_call_leaves_tables_and_moments_as_they_were(monkeypatch):
    from test_robustness import assert_same_state

    X, y = frame()
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), batch_size=40,
                                random_state=0).partial_fit(X, y)
    before = copy.deepcopy(est.__dict__)
    step = training.BatchTrainer.step
    calls = {"n": 0}

    def failing_step(self, rows, optimizer):
        calls["n"] += 1
        if calls["n"] == 3:
            raise MemoryError("simulated")
        return step(self, rows, optimizer)

    monkeypatch.setattr(training.BatchTrainer, "step", failing_step)
    with pytest.raises(MemoryError):
        est.partial_fit(X, y)
    assert_same_state(before, est.__dict__)


def test_early_stopping_keeps_the_best_epoch_of_lazy_tables():
    X, y = frame(n=600, n_categories=80)
    params = dict(hidden_layer_sizes=(16,), learning_rate_init=0.05, early_stopping=True,
                  n_iter_no_change=3, categorical_features="from_dtype", random_state=0)
    est = MLPRegressor(**params).fit(X, y)
    best = int(np.argmax(est.validation_scores_)) + 1
    assert best < est.n_iter_  # it trained past the best epoch, then went back
    at_best = MLPRegressor(**{**params, "max_iter": best}).fit(X, y)
    np.testing.assert_array_equal(est._network.params, at_best._network.params)
