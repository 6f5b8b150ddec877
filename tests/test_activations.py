"""Activations on their own: values, derivatives, in-place use, the output links."""

import numpy as np
import pytest
from scipy.special import expit, softmax

from skembed._activations import (
    ACTIVATIONS,
    LEAKY_RELU_SLOPE,
    OUTPUT_ACTIVATIONS,
    constant_block,
)

# away from 0, where relu and leaky_relu have their kink
Z = np.array([[-2.5, -1.0, -0.3, 0.2, 0.7, 1.9], [-0.8, 3.0, -4.0, 0.05, -0.05, 1.1]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values(name):
    z = np.linspace(-3, 3, 13).reshape(1, -1)
    expected = {
        "identity": z,
        "relu": np.maximum(z, 0),
        "leaky_relu": np.where(z > 0, z, LEAKY_RELU_SLOPE * z),
        "tanh": np.tanh(z),
        "logistic": expit(z),
        "gelu": 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))),
    }[name]
    out = np.empty_like(z)
    np.testing.assert_allclose(ACTIVATIONS[name].forward(z.copy(), out), expected)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    activation = ACTIVATIONS[name]
    a = activation.forward(Z, np.empty_like(Z))
    delta = np.ones_like(Z)
    activation.backward(Z, a, delta)
    eps = 1e-6
    up = activation.forward(Z + eps, np.empty_like(Z))
    down = activation.forward(Z - eps, np.empty_like(Z))
    np.testing.assert_allclose(delta, (up - down) / (2 * eps), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_in_place_forward_and_backward(name):
    """Applied in place (``out`` is ``z``), an activation gives the same values;
    one whose derivative reads only its output gives the same derivative with
    ``z`` overwritten by ``a``, which is how training uses it."""
    activation = ACTIVATIONS[name]
    a = activation.forward(Z, np.empty_like(Z))
    buffer = Z.copy()
    assert activation.forward(buffer, buffer) is buffer
    np.testing.assert_allclose(buffer, a)
    expected = activation.backward(Z, a, np.ones_like(Z))
    if not activation.needs_z:
        np.testing.assert_allclose(activation.backward(buffer, buffer, np.ones_like(Z)),
                                   expected)


def test_only_gelu_needs_the_pre_activation():
    assert {name for name, a in ACTIVATIONS.items() if a.needs_z} == {"gelu"}


@pytest.mark.parametrize("name, link", [
    ("identity", lambda z: z),
    ("logistic", expit),
    ("exp", np.exp),
    ("softmax", lambda z: softmax(z, axis=1)),
])
def test_output_activations(name, link):
    np.testing.assert_allclose(OUTPUT_ACTIVATIONS[name](Z, np.empty_like(Z)), link(Z))


def test_softmax_is_stable_for_large_logits():
    # the second row lies far below the batch's maximum: it must not underflow
    z = np.array([[1000.0, 0.0, -1000.0], [-3000.0, -3001.0, -3002.0], [3.0, 2.0, 1.0]],
                 dtype=np.float32)
    out = OUTPUT_ACTIVATIONS["softmax"](z, np.empty_like(z))
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, softmax(z.astype(float), axis=1), rtol=1e-6)


def test_constant_blocks_are_read_only_views_of_one_buffer():
    small = constant_block((2, 3), "<f4", 0)
    large = constant_block((40, 50), "<f4", 0)
    assert small.shape == (2, 3) and not small.flags.writeable
    assert np.array_equal(large, np.zeros((40, 50)))
    assert constant_block((2, 3), "<f4", 0) is small  # a known shape: one lookup
