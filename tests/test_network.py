"""The network: finite-difference gradients of the whole network, layout views."""

import numpy as np
import pytest

from skembed._activations import ACTIVATIONS
from skembed._input_layer import NumericEmbedding, fit_preprocessing
from skembed._network import Inputs, Layout, Regularization, init_network
from skembed._training import BatchTrainer, Objective, TrainingSet, full_loss_and_gradient

LOSS_SETUPS = {
    # loss: (output activation, target maker)
    "squared_error": ("identity", lambda rng, n, k: rng.normal(size=(n, k))),
    "poisson": ("exp", lambda rng, n, k: rng.poisson(2.0, size=(n, k)).astype(float)),
    "binary_log_loss": ("logistic", lambda rng, n, k: rng.integers(0, 2, (n, k)).astype(float)),
    "log_loss": ("softmax", lambda rng, n, k: np.eye(k)[rng.integers(0, k, n)]),
}


def make_trainer(activation, loss, *, n_outputs=3, sample_weight=False, reg=None,
                 alpha=0.3, tables=(), seed=0, numeric=None, skip=False):
    """A trainer on 13 rows of 4 numeric columns, with ``tables`` and, when
    ``numeric`` is ``"periodic"`` or ``"piecewise_linear"``, robust scaling,
    a missing value and that numeric embedding; ``skip`` adds a skip
    connection from the input embedding to the output."""
    rng = np.random.default_rng(seed)
    n, n_numeric = 13, 4
    out_activation, make_y = LOSS_SETUPS[loss]
    dims = sum(d for _, d in tables)
    X = rng.normal(size=(n, n_numeric))
    embedding, pre, width = None, None, n_numeric
    if numeric is not None:
        X[2, 1] = np.nan
        embedding = NumericEmbedding(numeric, n_numeric, 3, 2, sigma=0.5)
        pre = fit_preprocessing(X, "robust", 3 if numeric == "piecewise_linear" else None)
        width = n_numeric * embedding.width + pre.n_missing
    layout = Layout((width + dims, 5, 4, n_outputs), tuple(tables), n_numeric,
                    0 if pre is None else pre.n_missing, embedding, pre is not None, skip)
    network = init_network(layout, activation, loss, np.float64, np.random.RandomState(seed))
    network.preprocessing = pre
    assert network.out_activation == out_activation
    network.params += rng.normal(scale=0.3, size=network.params.shape)  # biases off zero
    codes = (np.column_stack([rng.integers(0, r, n) for r, _ in tables])
             if tables else None)
    y = make_y(rng, n, n_outputs)
    sw = rng.uniform(0.5, 2.0, n) if sample_weight else None
    data = TrainingSet(Inputs(X, codes), y, np.arange(n), sw)
    return BatchTrainer(Objective(network, alpha, reg), data, capacity=n)


def numerical_gradient(trainer, reseed=None):
    params = trainer.params
    grad = np.empty_like(params)
    scratch = np.empty_like(params)
    eps = 1e-6
    for i in range(params.size):
        old = params[i]
        params[i] = old + eps
        reseed and reseed()
        up = full_loss_and_gradient(trainer, scratch)
        params[i] = old - eps
        reseed and reseed()
        down = full_loss_and_gradient(trainer, scratch)
        params[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def analytic_gradient(trainer, reseed=None):
    grad = np.empty_like(trainer.params)
    reseed and reseed()
    full_loss_and_gradient(trainer, grad)
    return grad


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", sorted(LOSS_SETUPS))
def test_gradient_matches_finite_differences(activation, loss):
    n_outputs = 1 if loss == "binary_log_loss" and activation == "relu" else 3
    trainer = make_trainer(activation, loss, n_outputs=n_outputs)
    np.testing.assert_allclose(
        analytic_gradient(trainer), numerical_gradient(trainer), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("n_outputs", [1, 2])
def test_gradient_with_sample_weight_and_width_one_output(n_outputs):
    trainer = make_trainer("tanh", "squared_error", n_outputs=n_outputs, sample_weight=True)
    np.testing.assert_allclose(
        analytic_gradient(trainer), numerical_gradient(trainer), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("activation", ["tanh", "gelu", "logistic"])
def test_gradient_with_activity_l1(activation):
    # smooth activations keep activations away from |a| = 0, where L1 has a kink
    reg = Regularization(dropout=0.0, activity_l1=0.05)
    with_l1 = make_trainer(activation, "squared_error", reg=reg)
    without = make_trainer(activation, "squared_error")
    g_l1 = analytic_gradient(with_l1)
    np.testing.assert_allclose(g_l1, numerical_gradient(with_l1), rtol=1e-5, atol=1e-7)
    assert not np.allclose(g_l1, analytic_gradient(without))


def test_gradient_with_dropout_on_a_fixed_mask():
    reg = Regularization(dropout=0.3, activity_l1=0.0, rng=np.random.default_rng(1))

    def reseed():
        reg.rng = np.random.default_rng(1)

    trainer = make_trainer("tanh", "log_loss", reg=reg)
    np.testing.assert_allclose(
        analytic_gradient(trainer, reseed), numerical_gradient(trainer, reseed),
        rtol=1e-5, atol=1e-7,
    )


def test_dropout_off_is_the_plain_network():
    plain = make_trainer("relu", "squared_error")
    off = make_trainer("relu", "squared_error", reg=Regularization(0.0, 0.0, None))
    np.testing.assert_array_equal(analytic_gradient(plain), analytic_gradient(off))


def test_gradient_of_embedding_tables():
    trainer = make_trainer("tanh", "squared_error", tables=((5, 2), (3, 3)))
    np.testing.assert_allclose(
        analytic_gradient(trainer), numerical_gradient(trainer), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("numeric", ["periodic", "piecewise_linear"])
@pytest.mark.parametrize("loss", ["squared_error", "log_loss"])
def test_gradient_of_numeric_embeddings(numeric, loss):
    trainer = make_trainer("tanh", loss, tables=((5, 2),), numeric=numeric)
    layout = trainer.objective.network.layout
    assert layout.layer_sizes[0] == 4 * 3 + 1 + 2  # [x, e(x)] per column, indicator, table
    np.testing.assert_allclose(
        analytic_gradient(trainer), numerical_gradient(trainer), rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("loss", ["squared_error", "binary_log_loss", "log_loss"])
@pytest.mark.parametrize("inputs", ["plain", "tables_and_numeric"])
def test_gradient_through_a_skip_connection(loss, inputs):
    n_outputs = 1 if loss == "binary_log_loss" else 3
    more = ({"tables": ((5, 2),), "numeric": "piecewise_linear"}
            if inputs == "tables_and_numeric" else {})
    trainer = make_trainer("tanh", loss, n_outputs=n_outputs, skip=True, **more)
    network = trainer.objective.network
    skip = network.views.skip
    assert skip.shape == (network.layout.layer_sizes[0], n_outputs)
    assert skip.any()  # moved off its zero start by the noise make_trainer adds
    gradient = analytic_gradient(trainer)
    np.testing.assert_allclose(gradient, numerical_gradient(trainer), rtol=1e-5, atol=1e-7)
    # the skip weights are in the flat vector, under the penalty, and get a gradient
    assert np.shares_memory(skip, trainer.params)
    assert network.layout.n_skip_params == skip.size
    assert np.abs(network.layout.split(gradient).skip).max() > 0


def test_a_skip_connection_at_zero_is_the_network_without_it():
    from skembed._inference import infer

    with_skip = make_trainer("relu", "squared_error", skip=True, numeric="periodic")
    plain = make_trainer("relu", "squared_error", numeric="periodic")
    network, reference = with_skip.objective.network, plain.objective.network
    views = network.views
    for mine, theirs in zip(views.coefs + views.intercepts + views.numeric,
                            reference.views.coefs + reference.views.intercepts
                            + reference.views.numeric):
        mine[...] = theirs
    views.skip[...] = 0.0
    inputs = with_skip.data.inputs
    np.testing.assert_allclose(infer(network, inputs), infer(reference, inputs))
    views.skip[...] = 0.5  # and its term otherwise: the input embedding times it
    embedded = infer(network, inputs, layer="input")
    np.testing.assert_allclose(infer(network, inputs) - infer(reference, inputs),
                               embedded @ views.skip)


def test_l2_penalty_spares_biases():
    trainer = make_trainer("tanh", "squared_error", alpha=0.0)
    g0 = analytic_gradient(trainer)
    trainer.objective.alpha = 1.0
    g1 = analytic_gradient(trainer)
    layout, params = trainer.objective.network.layout, trainer.params
    n_pen = layout.n_penalized
    np.testing.assert_allclose(g1[:n_pen] - g0[:n_pen], params[:n_pen] / 13)
    np.testing.assert_array_equal(g1[n_pen:], g0[n_pen:])


def test_layout_views_share_the_flat_vector():
    layout = Layout((3, 4, 2), ((5, 2),), 1)
    vector = np.arange(layout.n_params, dtype=float)
    tables, coefs, intercepts, numeric, skip = layout.split(vector)
    assert numeric == [] and skip is None
    assert [t.shape for t in tables] == [(5, 2)]
    assert [c.shape for c in coefs] == [(3, 4), (4, 2)]
    assert [b.shape for b in intercepts] == [(4,), (2,)]
    assert layout.n_params == 10 + 12 + 8 + 4 + 2
    coefs[1][0, 0] = -1
    assert vector[10 + 12] == -1
    assert all(np.shares_memory(v, vector) for v in tables + coefs + intercepts)


@pytest.mark.parametrize("loss", ["squared_error", "log_loss"])
def test_gradient_with_the_skip_weights_pulled_to_an_anchor(loss):
    """``linear_start``: the L2 penalty pulls the skip weights to
    ``skip_anchor`` instead of to zero; the gradient still matches the loss."""
    trainer = make_trainer("tanh", loss, skip=True, tables=((5, 2),),
                           numeric="piecewise_linear")
    network = trainer.objective.network
    rng = np.random.default_rng(3)
    network.skip_anchor = rng.normal(size=network.layout.n_skip_params)
    gradient = analytic_gradient(trainer)
    np.testing.assert_allclose(gradient, numerical_gradient(trainer), rtol=1e-5, atol=1e-7)
    # at the anchor, the penalty adds nothing to the skip weights' gradient
    network.views.skip[...] = network.skip_anchor.reshape(network.views.skip.shape)
    penalized = analytic_gradient(trainer)
    trainer.objective.alpha = 0.0
    unpenalized = analytic_gradient(trainer)
    skip_of = lambda g: network.layout.split(g).skip  # noqa: E731
    np.testing.assert_allclose(skip_of(penalized), skip_of(unpenalized), rtol=1e-12, atol=1e-12)
    assert not np.allclose(network.layout.split(penalized).coefs[0],
                           network.layout.split(unpenalized).coefs[0])
