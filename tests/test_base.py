"""Behaviour shared by both estimators: embeddings, solvers, dtypes, stopping.

Tests of the engine's mechanics (the forward pass by hand, layer sizes, the
compute dtype of ``dtype=None``) run on the twins, whose input layer is X
itself; the rest runs on the model for tables, or on both families with each
one's own expectation (its validation score, its compute dtype).
"""

import inspect

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn import neural_network
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skembed import (
    DivergenceWarning,
    EmbeddingMLPClassifier,
    EmbeddingMLPRegressor,
    MLPClassifier,
    MLPRegressor,
)

EXTRA_PARAMETERS = ["embedding_layer", "embedding_output", "categorical_features",
                    "embedding_dims", "min_frequency", "numeric_scaling", "numeric_embedding",
                    "skip_connection", "linear_start", "dropout", "weight_averaging", "n_networks",
                    "activity_l1", "alpha_scaling",
                    "dtype", "scoring"]

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

ACTIVATION_FUNCTIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "tanh": np.tanh,
    "logistic": lambda z: 1 / (1 + np.exp(-z)),
    "gelu": lambda z: 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))),
}


@pytest.fixture(scope="module")
def regression_data():
    X, y = make_regression(n_samples=300, n_features=6, noise=5.0, random_state=0)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def classification_data():
    X, y = make_classification(
        n_samples=300, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    return X, y


def both(**params):
    return [EmbeddingMLPRegressor(**params), EmbeddingMLPClassifier(**params)]


def twins(**params):
    return [MLPRegressor(**params), MLPClassifier(**params)]


def data_for(est, regression_data, classification_data):
    is_regressor = isinstance(est, (EmbeddingMLPRegressor, MLPRegressor))
    return regression_data if is_regressor else classification_data


def validation_score(est, X_val, y_val, y_train):
    """What ``validation_scores_`` records for a regressor: R² (``scoring=None``),
    or the negative half squared error on the target standardised with the
    training target's mean and standard deviation (``scoring="loss"`` with
    ``target_scaling=True``, the model for tables' defaults)."""
    if est.scoring is None:
        return est.score(X_val, y_val)
    assert est.scoring == "loss" and est.target_scaling
    return -0.5 * np.mean(((est.predict(X_val) - y_val) / np.std(y_train)) ** 2)


def hand_forward(est, X, upto, output="activation"):
    """The network's forward pass written out from coefs_ and intercepts_."""
    f = ACTIVATION_FUNCTIONS[est.activation]
    a = np.asarray(X, dtype=float)
    for i in range(upto + 1):
        z = a @ est.coefs_[i].astype(float) + est.intercepts_[i].astype(float)
        a = f(z)
    return z if output == "pre_activation" else a


@pytest.mark.parametrize("activation", sorted(ACTIVATION_FUNCTIONS))
@pytest.mark.parametrize("est", twins(hidden_layer_sizes=(7, 5), max_iter=30, random_state=0),
                         ids=lambda e: type(e).__name__)
def test_transform_is_the_forward_pass_by_hand(est, activation, regression_data,
                                               classification_data):
    X, y = data_for(est, regression_data, classification_data)
    est = clone(est).set_params(activation=activation).fit(X, y)
    np.testing.assert_allclose(est.transform(X), hand_forward(est, X, 1), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(est.embed(X, layer=0), hand_forward(est, X, 0), rtol=1e-6,
                               atol=1e-9)
    np.testing.assert_allclose(
        est.embed(X, layer=-1, output="pre_activation"),
        hand_forward(est, X, 1, "pre_activation"), rtol=1e-6, atol=1e-9,
    )


def test_embed_layers(regression_data):
    X, y = regression_data
    # the twin: its input embedding is X itself; with the target scaled, the
    # output layer is in scaled units
    est = MLPRegressor(hidden_layer_sizes=(6, 4, 3), max_iter=20, target_scaling=True,
                       random_state=0)
    est.fit(X, y)
    layers = est.embed(X, layer="all")
    assert [e.shape for e in layers] == [(300, 6), (300, 4), (300, 3)]
    np.testing.assert_array_equal(est.embed(X), layers[-1])
    np.testing.assert_array_equal(est.embed(X, layer=1), layers[1])
    np.testing.assert_array_equal(est.embed(X, layer="input"), X)
    output = est.embed(X, layer="output")
    assert est._codec.scale[0] > 10  # make_regression's target is far from standardised
    np.testing.assert_allclose(output[:, 0] * est._codec.scale[0] + est._codec.shift[0],
                               est.predict(X))
    est.set_params(embedding_layer=0, embedding_output="pre_activation")
    np.testing.assert_array_equal(est.transform(X), est.embed(X, 0, "pre_activation"))
    assert list(est.get_feature_names_out()) == [f"hidden1_{j}" for j in range(6)]


@pytest.mark.parametrize("layer, error", [(3, ValueError), (-4, ValueError), ("middle", ValueError),
                                          (1.5, TypeError)])
def test_embed_rejects_bad_layers(layer, error, regression_data):
    X, y = regression_data
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(4, 3, 2), max_iter=5).fit(X, y)
    with pytest.raises(error, match="layer"):
        est.embed(X, layer=layer)


def test_embedding_layer_out_of_range_is_reported_at_fit(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="embedding_layer=2 is out of range for 2 hidden"):
        EmbeddingMLPRegressor(hidden_layer_sizes=(4, 3), embedding_layer=2).fit(X, y)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("est", twins(hidden_layer_sizes=(8,), max_iter=15, random_state=0)
                         + both(hidden_layer_sizes=(8,), max_iter=15, random_state=0),
                         ids=lambda e: type(e).__name__)
def test_float32_stays_float32_with_every_solver(est, solver, regression_data,
                                                 classification_data):
    X, y = data_for(est, regression_data, classification_data)
    X32 = X.astype(np.float32)
    est = clone(est).set_params(solver=solver).fit(X32, y)
    if est.dtype is None:  # the twins follow the data
        compute = np.float32
    else:  # dtype="auto": float64 for lbfgs, float32 for mini-batches (300 rows > 200)
        assert est.dtype == "auto"
        compute = np.float64 if solver == "lbfgs" else np.float32
    assert all(c.dtype == compute for c in est.coefs_ + est.intercepts_)
    assert est.transform(X32).dtype == np.float32
    # outputs follow the input's floating dtype, whatever the compute dtype
    assert est.transform(X).dtype == np.float64
    for X_in, dtype in [(X32, np.float32), (X, np.float64), (X.round().astype(int), np.float64)]:
        if isinstance(est, (EmbeddingMLPRegressor, MLPRegressor)):
            assert est.predict(X_in).dtype == dtype
        else:
            assert est.predict_proba(X_in).dtype == dtype
        assert est.embed(X_in, layer="input").dtype == dtype


def test_dtype_parameter_forces_the_compute_precision(regression_data):
    X, y = regression_data
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(5,), max_iter=5, dtype="float32")
    assert est.fit(X, y).coefs_[0].dtype == np.float32
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(5,), max_iter=5, dtype="float64")
    assert est.fit(X.astype(np.float32), y).coefs_[0].dtype == np.float64
    # dtype=None (the twins'): integers are computed in float64, as in scikit-learn
    est = MLPRegressor(hidden_layer_sizes=(5,), max_iter=5)
    assert est.fit(X.astype(np.int64), y).coefs_[0].dtype == np.float64


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_same_random_state_gives_identical_results(solver, classification_data):
    X, y = classification_data
    params = dict(hidden_layer_sizes=(8,), max_iter=10, solver=solver, random_state=3,
                  dropout=0.2 if solver != "lbfgs" else 0.0)
    a = EmbeddingMLPClassifier(**params).fit(X, y)
    b = EmbeddingMLPClassifier(**params).fit(X, y)
    for ca, cb in zip(a.coefs_, b.coefs_):
        np.testing.assert_array_equal(ca, cb)
    assert a.loss_curve_ == b.loss_curve_
    c = EmbeddingMLPClassifier(**{**params, "random_state": 4}).fit(X, y)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_loss_curve_for_every_solver(regression_data):
    X, y = regression_data
    for solver in ("adam", "sgd", "lbfgs"):
        est = EmbeddingMLPRegressor(hidden_layer_sizes=(6,), max_iter=12, solver=solver,
                                    random_state=0).fit(X, y)
        assert len(est.loss_curve_) == est.n_iter_ > 0
        assert est.loss_ == est.loss_curve_[-1]
        assert est.loss_curve_[-1] < est.loss_curve_[0]


@pytest.mark.parametrize("Regressor", [MLPRegressor, EmbeddingMLPRegressor])
def test_early_stopping_restores_the_best_parameters(Regressor, regression_data):
    X, y = regression_data
    X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)
    # tol=0: training stops once the best score has not been beaten for 5
    # epochs, so the best epoch is an earlier one (with tol=1e-4 the twin stops
    # on 5 epochs of tiny gains, the last of them the best)
    est = Regressor(
        hidden_layer_sizes=(32,), learning_rate_init=0.1, max_iter=200, early_stopping=True,
        n_iter_no_change=5, tol=0, random_state=0,
    ).fit(X_tr, y_tr, X_val=X_val, y_val=y_val)
    scores = est.validation_scores_
    assert len(scores) == est.n_iter_ < 200
    assert est.best_validation_score_ == max(scores)
    # the kept parameters are the best epoch's, not the last one's
    assert scores[-1] < max(scores)
    assert validation_score(est, X_val, y_val, y_tr) == pytest.approx(
        est.best_validation_score_, rel=1e-6)
    assert est.best_loss_ is None


@pytest.mark.parametrize("Classifier", [MLPClassifier, EmbeddingMLPClassifier])
def test_internal_validation_split_when_early_stopping(Classifier, classification_data):
    X, y = classification_data
    est = Classifier(hidden_layer_sizes=(16,), early_stopping=True,
                     n_iter_no_change=3, random_state=0, max_iter=300).fit(X, y)
    assert len(est.validation_scores_) == est.n_iter_
    if est.scoring is None:  # accuracy
        assert 0 <= est.best_validation_score_ <= 1
    else:  # the negative log-loss, better than the uniform guess over 3 classes
        assert -np.log(3) < est.best_validation_score_ <= 0


@pytest.mark.parametrize("Regressor", [MLPRegressor, EmbeddingMLPRegressor])
def test_validation_set_without_early_stopping_is_only_recorded(Regressor, regression_data):
    X, y = regression_data
    # early_stopping=False: the twin's default; the model for tables' "auto"
    # stops early from 100 training rows on, and keeps its best epoch
    est = Regressor(hidden_layer_sizes=(8,), max_iter=15, tol=0, early_stopping=False,
                    n_iter_no_change=100, random_state=0)
    est.fit(X[:200], y[:200], X_val=X[200:], y_val=y[200:])
    assert est.n_iter_ == 15
    assert len(est.validation_scores_) == 15
    assert est.best_validation_score_ == max(est.validation_scores_)
    assert validation_score(est, X[200:], y[200:], y[:200]) == pytest.approx(
        est.validation_scores_[-1], rel=1e-6)


def test_validation_set_errors(regression_data):
    X, y = regression_data
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=2)
    with pytest.raises(ValueError, match="X_val and y_val must be given together"):
        est.fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="X_val has 10 rows but y_val has 9"):
        est.fit(X, y, X_val=X[:10], y_val=y[:9])
    with pytest.raises(ValueError, match="features"):
        est.fit(X, y, X_val=X[:10, :3], y_val=y[:10])


def test_partial_fit_only_for_stochastic_solvers(regression_data):
    X, y = regression_data
    assert not hasattr(EmbeddingMLPRegressor(solver="lbfgs"), "partial_fit")
    assert not hasattr(EmbeddingMLPClassifier(solver="lbfgs"), "partial_fit")
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), random_state=0)
    for _ in range(3):
        est.partial_fit(X, y)
    assert est.n_iter_ == 1  # the epochs of the last call, as in scikit-learn
    assert est.t_ == 3 * len(X)
    assert len(est.loss_curve_) == 3


def test_partial_fit_keeps_the_optimizer_state(regression_data):
    X, y = regression_data
    chunked = MLPRegressor(hidden_layer_sizes=(8,), shuffle=False, random_state=0,
                            batch_size=50)
    for _ in range(4):
        chunked.partial_fit(X, y)
    whole = MLPRegressor(hidden_layer_sizes=(8,), shuffle=False, random_state=0,
                          batch_size=50, max_iter=4, tol=0, n_iter_no_change=10)
    whole.fit(X, y)
    np.testing.assert_allclose(chunked.coefs_[0], whole.coefs_[0], rtol=1e-6)


def test_partial_fit_rejects_early_stopping(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="early_stopping"):
        EmbeddingMLPRegressor(early_stopping=True).partial_fit(X, y)


def test_warm_start_continues_from_the_previous_solution(regression_data):
    X, y = regression_data
    est = MLPRegressor(hidden_layer_sizes=(8,), max_iter=5, random_state=0,
                        warm_start=True).fit(X, y)
    first_curve = list(est.loss_curve_)
    t = est.t_
    est.fit(X, y)
    # the history goes on, as in scikit-learn: the curve grows, t_ counts on,
    # n_iter_ counts this call's epochs
    assert est.loss_curve_[:5] == first_curve and len(est.loss_curve_) == 10
    assert est.n_iter_ == 5 and est.t_ == t + 5 * len(X)
    assert est.loss_curve_[5] < first_curve[-1] * 1.05
    cold = MLPRegressor(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X, y)
    assert cold.loss_curve_[0] > est.loss_curve_[5]


def test_verbose_prints_progress(regression_data, capsys):
    X, y = regression_data
    EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=3, verbose=True,
                          early_stopping=True, random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert "Iteration 1, loss = " in out
    assert "Iteration 3, loss = " in out
    assert "Validation score: " in out


def test_divergence_keeps_finite_parameters():
    rng = np.random.RandomState(0)
    X = rng.normal(scale=1e4, size=(200, 5))
    y = X @ rng.normal(size=5) * 1e3
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(16,), solver="sgd", learning_rate_init=10.0,
                                target_scaling=False, max_iter=20, random_state=0)
    with pytest.warns(DivergenceWarning, match="diverged"):
        est.fit(X, y)
    assert all(np.isfinite(c).all() for c in est.coefs_ + est.intercepts_)
    assert issubclass(DivergenceWarning, ConvergenceWarning)


def test_coefs_are_views_and_assignable(regression_data):
    X, y = regression_data
    est = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=5, skip_connection=True,
                                random_state=0).fit(X, y)
    before = est.predict(X)
    est.coefs_[1][:] = 0
    est.intercepts_[1][:] = 0
    assert est.predict(X).std() > 0  # the skip connection still reads the inputs
    est.skip_coef_ = np.zeros_like(est.skip_coef_)
    np.testing.assert_allclose(est.predict(X), est._codec.shift[0])
    new = [np.ones_like(c) for c in est.coefs_]
    est.coefs_ = new
    np.testing.assert_array_equal(est.coefs_[0], 1)
    with pytest.raises(ValueError, match="shape"):
        est.coefs_ = [np.ones((2, 2)), np.ones((4, 1))]
    assert not np.allclose(est.predict(X), before)
    assert not hasattr(EmbeddingMLPRegressor(), "coefs_")


def test_pipeline_grid_search_and_pandas_output(regression_data):
    X, y = regression_data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    pipe = make_pipeline(StandardScaler(), EmbeddingMLPRegressor(max_iter=30, random_state=0))
    pipe.set_output(transform="pandas")
    grid = GridSearchCV(
        pipe,
        {"embeddingmlpregressor__hidden_layer_sizes": [(4,), (8, 4)],
         "embeddingmlpregressor__embedding_layer": [0, -1]},
        cv=2,
    ).fit(frame, y)
    assert set(grid.cv_results_["params"][0]) == {
        "embeddingmlpregressor__hidden_layer_sizes", "embeddingmlpregressor__embedding_layer"}
    best = grid.best_estimator_
    out = best.transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(best[-1].get_feature_names_out())
    assert list(best[-1].feature_names_in_) == list(frame.columns)


@pytest.mark.parametrize("Classifier, input_width", [
    (MLPClassifier, 6),
    # numeric_embedding="piecewise_linear": each column is itself and 8 learned functions
    (EmbeddingMLPClassifier, 6 * 9),
])
def test_layer_sizes_and_fitted_attributes(Classifier, input_width, classification_data):
    X, y = classification_data
    est = Classifier(hidden_layer_sizes=(5, 4), max_iter=5).fit(X, y)
    assert est.layer_sizes_ == [input_width, 5, 4, 3]
    assert est.n_layers_ == 4
    assert est.n_outputs_ == 3
    assert [c.shape for c in est.coefs_] == [(input_width, 5), (5, 4), (4, 3)]
    assert est.categorical_embeddings_ == {}
    assert est.n_features_in_ == 6


def test_hidden_layer_sizes_as_int_and_empty(regression_data):
    X, y = regression_data
    est = MLPRegressor(hidden_layer_sizes=7, max_iter=5).fit(X, y)
    assert est.layer_sizes_ == [6, 7, 1]
    linear = MLPRegressor(hidden_layer_sizes=(), solver="lbfgs").fit(X, y)
    assert linear.score(X, y) > 0.95
    with pytest.raises(ValueError, match="no hidden layer"):
        linear.transform(X)


# the model for tables' defaults where they differ from the twins' (and so, for
# scikit-learn's own parameters, from scikit-learn's)
TABLE_DEFAULTS = {
    "hidden_layer_sizes": (256, 256), "alpha": 0.5, "alpha_scaling": "n_samples",
    "learning_rate_init": 3e-3, "max_iter": "auto", "early_stopping": "auto",
    "n_iter_no_change": "auto", "tol": 1e-7,
    "categorical_features": "auto", "min_frequency": 5,
    "numeric_scaling": "robust", "numeric_embedding": "piecewise_linear",
    "skip_connection": True, "linear_start": "auto", "dtype": "auto",
    "scoring": "loss", "target_scaling": True, "weight_averaging": 0.99,
}
CLASSIFIER_TABLE_DEFAULTS = {**TABLE_DEFAULTS, "alpha": 1.0, "linear_start": False,
                             "dropout": "auto", "max_iter": 100, "n_iter_no_change": 20}
del CLASSIFIER_TABLE_DEFAULTS["target_scaling"]


@pytest.mark.parametrize("ours, theirs, own, differing", [
    (MLPRegressor, neural_network.MLPRegressor, ("target_scaling",), {}),
    (MLPClassifier, neural_network.MLPClassifier, ("class_weight", "label_smoothing"), {}),
    (EmbeddingMLPRegressor, neural_network.MLPRegressor, ("target_scaling",), TABLE_DEFAULTS),
    (EmbeddingMLPClassifier, neural_network.MLPClassifier, ("class_weight", "label_smoothing"),
     CLASSIFIER_TABLE_DEFAULTS),
], ids=lambda v: v.__name__ if isinstance(v, type) else None)
def test_signature_extends_scikit_learns_mlp(ours, theirs, own, differing):
    twin = {EmbeddingMLPRegressor: MLPRegressor,
            EmbeddingMLPClassifier: MLPClassifier}.get(ours, ours)
    twin = inspect.signature(twin).parameters
    ours = inspect.signature(ours).parameters
    theirs = inspect.signature(theirs).parameters
    assert list(ours)[: len(theirs)] == list(theirs)
    for name, param in theirs.items():
        expected = differing.get(name, param.default)
        assert ours[name].default == expected, name
        assert ours[name].kind == param.kind, name
    assert list(ours)[len(theirs):] == [*EXTRA_PARAMETERS, *own]
    # skembed's own parameters: the twin's defaults (which change nothing
    # scikit-learn does), except where the model for tables has its own
    for name in list(ours)[len(theirs):]:
        assert ours[name].default == differing.get(name, twin[name].default), name
    assert set(differing) <= set(ours)


def test_metadata_routing_in_skembeds_words_and_still_routing(regression_data):
    import sklearn
    from sklearn.model_selection import cross_validate

    X, y = regression_data
    doc = EmbeddingMLPRegressor.set_fit_request.__doc__
    assert "Added in version" not in doc and "User Guide" not in doc
    assert "``sample_weight``" in doc
    weights = np.where(np.arange(len(y)) % 2, 1.0, 3.0)

    def pipeline(fit_weighted):
        # the weights go to fit or not; both pipelines are scored with them,
        # so that the scores differ by the fit alone
        est = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=20, random_state=0)
        est.set_fit_request(sample_weight=fit_weighted).set_score_request(sample_weight=True)
        return make_pipeline(StandardScaler().set_fit_request(sample_weight=False), est)

    with sklearn.config_context(enable_metadata_routing=True):
        routed, unweighted = (
            cross_validate(pipeline(fit_weighted), X, y, cv=2, error_score="raise",
                           params={"sample_weight": weights})
            for fit_weighted in (True, False))
        grid = GridSearchCV(pipeline(True), {"embeddingmlpregressor__alpha": [1e-4]}, cv=2,
                            error_score="raise")
        grid.fit(X, y, sample_weight=weights)
    assert np.isfinite(routed["test_score"]).all()
    assert not np.allclose(routed["test_score"], unweighted["test_score"])
