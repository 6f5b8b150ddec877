"""Inference: one block or many chunks, the same values, any layer."""

import numpy as np
import pytest

from skembed import _inference
from skembed._activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from skembed._inference import infer
from skembed._network import Inputs, Layout, embed_inputs, init_network


def network_and_inputs(n, *, tables=(), loss="log_loss", activation="relu", seed=0):
    rng = np.random.default_rng(seed)
    dims = sum(d for _, d in tables)
    layout = Layout((3 + dims, 6, 5, 4), tuple(tables), 3)
    network = init_network(layout, activation, loss, np.float64, np.random.RandomState(seed))
    codes = (np.column_stack([rng.integers(0, r, n) for r, _ in tables])
             if tables else None)
    return network, Inputs(rng.normal(size=(n, 3)), codes)


def by_hand(network, inputs, layer, output):
    tables, coefs, intercepts, *_ = network.views
    a = embed_inputs(network, inputs, np.empty((len(inputs), network.layout.layer_sizes[0])))
    if layer == "input":
        return a
    last = len(coefs) - 1
    index = last if layer is None else layer
    for i in range(index + 1):
        z = a @ coefs[i] + intercepts[i]
        if i == index and output == "pre_activation":
            return z
        f = ACTIVATIONS[network.activation].forward if i < last else (
            OUTPUT_ACTIVATIONS[network.out_activation])
        a = f(z, np.empty_like(z))
    return a


@pytest.mark.parametrize("output", ["activation", "pre_activation"])
@pytest.mark.parametrize("layer", [None, "input", 0, 1])
@pytest.mark.parametrize("tables", [(), ((5, 2), (4, 3))])
def test_blocks_and_chunks_give_the_forward_pass(monkeypatch, tables, layer, output):
    network, inputs = network_and_inputs(50, tables=tables)
    expected = by_hand(network, inputs, layer, output)
    np.testing.assert_allclose(infer(network, inputs, layer, output), expected, rtol=1e-12)
    monkeypatch.setattr(_inference, "CHUNK_ROWS", 16)  # 50 rows: four chunks
    np.testing.assert_allclose(infer(network, inputs, layer, output), expected, rtol=1e-12)


@pytest.mark.parametrize("loss", ["squared_error", "binary_log_loss"])
def test_width_one_output_in_chunks(monkeypatch, loss):
    network, inputs = network_and_inputs(40, loss=loss)
    expected = infer(network, inputs)
    monkeypatch.setattr(_inference, "CHUNK_ROWS", 16)
    np.testing.assert_allclose(infer(network, inputs), expected, rtol=1e-12)


def test_the_input_embedding_is_never_the_callers_array():
    network, inputs = network_and_inputs(10)
    embedding = infer(network, inputs, "input")
    assert not np.shares_memory(embedding, inputs.numeric)
