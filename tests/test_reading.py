"""Reading a fitted network: the network in a Pipeline, layers, names."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor, MLPRegressor
from skembed._reading import (
    find_network,
    input_embedding_names,
    input_feature_names,
    layer_name,
    neuron_names,
    resolve_layer,
)


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"size": rng.normal(size=60), "age": rng.normal(size=60),
                      "zone": pd.Categorical(rng.choice(["n", "s", "e"], 60))})
    return X, X["size"] * 2 + (X["zone"] == "n")


@pytest.fixture(scope="module")
def regressor(frame):
    X, y = frame
    return EmbeddingMLPRegressor(hidden_layer_sizes=(4, 3), embedding_dims=2, max_iter=3,
                                 random_state=0).fit(X, y)


def test_find_network_in_a_pipeline_with_steps_after_it(frame):
    X, y = frame
    numeric = X[["size", "age"]]
    pipe = make_pipeline(StandardScaler(), EmbeddingMLPClassifier(max_iter=3, random_state=0),
                         KNeighborsClassifier(3)).fit(numeric, y > 0)
    network, before = find_network(pipe)
    assert network is pipe[1] and before.steps == pipe[:1].steps
    assert find_network(pipe[1]) == (pipe[1], None)
    with pytest.raises(NotFittedError):
        find_network(EmbeddingMLPRegressor())
    with pytest.raises(TypeError, match="no skembed network step"):
        find_network(make_pipeline(StandardScaler()).fit(numeric))
    with pytest.raises(TypeError, match="Expected a fitted skembed network"):
        find_network(StandardScaler())


@pytest.mark.parametrize("layer, expected", [(0, 0), (1, 1), (-1, 1), (-2, 0),
                                             ("output", "output"), ("input", "input")])
def test_resolve_layer(layer, expected):
    assert resolve_layer(2, layer, accept=("input", "output")) == expected


@pytest.mark.parametrize("layer, error, match", [
    (2, ValueError, r"layer=2 is out of range for 2 hidden layer\(s\): use an index in "
                    r"\[-2, 1\]"),
    ("middle", ValueError, "not understood: use an int"),
    (1.0, TypeError, "got float"),
    (True, TypeError, "got bool"),
])
def test_resolve_layer_errors(layer, error, match):
    with pytest.raises(error, match=match):
        resolve_layer(2, layer)


def test_names(regressor):
    assert layer_name(regressor, 0) == "hidden1" and layer_name(regressor, "output") == "output"
    assert neuron_names(regressor, 1) == ["hidden2_0", "hidden2_1", "hidden2_2"]
    assert neuron_names(regressor, "output") == ["output_0"]
    assert input_feature_names(regressor) == ["size", "age", "zone"]
    # numeric_embedding="piecewise_linear": each numeric column is itself and 8
    # learned functions of it; then the categorical embedding's dimensions
    assert input_embedding_names(regressor) == [
        "size", *[f"size_e{k}" for k in range(8)], "age", *[f"age_e{k}" for k in range(8)],
        "zone_0", "zone_1"]
    assert len(input_embedding_names(regressor)) == regressor.layer_sizes_[0]
    assert list(regressor.get_feature_names_out()) == neuron_names(regressor, -1 % 2)


def test_input_embedding_names_without_a_numeric_embedding(frame):
    X, y = frame
    twin = MLPRegressor(hidden_layer_sizes=(4,), categorical_features="from_dtype",
                        embedding_dims=2, max_iter=3, random_state=0).fit(X, y)
    assert input_embedding_names(twin) == ["size", "age", "zone_0", "zone_1"]


def test_input_names_from_the_steps_before(frame):
    X, y = frame
    numeric = X[["size", "age"]]
    pipe = make_pipeline(StandardScaler().set_output(transform="default"),
                         EmbeddingMLPRegressor(max_iter=3, random_state=0)).fit(numeric, y)
    network, before = find_network(pipe)
    assert input_feature_names(network) == ["x0", "x1"]
    assert input_feature_names(network, before) == ["size", "age"]
