"""``skembed demo``, computed: the house-price story as numbers and DataFrames.

:func:`run_demo` fits the models and returns a :class:`DemoReport`; the
``text`` module formats it for the terminal. Tests read the report.
"""

import time
import warnings
from dataclasses import dataclass

import pandas as pd

from .._reading import neuron_names

# The columns of the five-house table, so that the five houses can be
# followed through the same network that is compared with the linear model.
FEATURES = ["size_sqft", "bedrooms", "age_years"]
N_SAMPLES = 2000
SEED = 0
# Checked on make_houses(2000, random_state=0): held-out R² about 0.87 for
# the network against 0.80 for LinearRegression, fitted in well under a second.
NETWORK = {
    "hidden_layer_sizes": (32, 16),
    "solver": "adam",
    "learning_rate_init": 0.01,
    "early_stopping": True,
    "max_iter": 300,
    "dtype": "float32",
    "random_state": SEED,
}
SHOWN_NEURONS = 6
SHOWN_PATTERNS = 6


@dataclass
class DemoReport:
    """Everything the demo shows, computed."""

    n_train: int
    n_test: int
    scores: pd.DataFrame  # held-out R² of each model
    layers: pd.DataFrame  # layer_summary
    houses: pd.DataFrame  # the five houses as given
    houses_input: pd.DataFrame  # as the network sees them
    houses_hidden: list  # one DataFrame per hidden layer (all neurons)
    prices: pd.DataFrame  # listed and predicted prices
    patterns: pd.DataFrame  # neuron_patterns of the first layer
    sparsity: pd.DataFrame  # per hidden layer, on the held-out houses
    seconds: float


def run_demo():
    """Fit the linear model and the network, and read the network."""
    start = time.perf_counter()
    linear, network, split = _fit_models()
    houses = _five_houses(linear, network)
    hidden = ", ".join(str(width) for width in network[-1].hidden_layer_sizes)
    return DemoReport(
        n_train=len(split[0]), n_test=len(split[1]),
        scores=_scores(linear, network, split, hidden),
        layers=_layer_summary(network),
        **houses,
        patterns=_patterns(network),
        sparsity=_sparsity(network, split[1]),
        seconds=time.perf_counter() - start,
    )


def _fit_models():
    """The linear model and the network, each in a StandardScaler Pipeline,
    fitted on the same training houses; and the train/test split."""
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .. import EmbeddingMLPRegressor
    from ..datasets import make_houses

    X, y = make_houses(n_samples=N_SAMPLES, random_state=SEED)
    split = train_test_split(X[FEATURES], y, test_size=0.25, random_state=SEED)
    X_train, _, y_train, _ = split
    linear = make_pipeline(StandardScaler(), LinearRegression()).fit(X_train, y_train)
    network = make_pipeline(StandardScaler(), EmbeddingMLPRegressor(**NETWORK))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a demo prints its own story, not warnings
        network.fit(X_train, y_train)
    return linear, network, split


def _scores(linear, network, split, hidden):
    _, X_test, _, y_test = split
    return pd.DataFrame(
        {"held-out R²": [linear.score(X_test, y_test), network.score(X_test, y_test)]},
        index=["StandardScaler + LinearRegression",
               f"StandardScaler + EmbeddingMLPRegressor(({hidden}), relu)"],
    )


def _layer_summary(network):
    from ..inspection import layer_summary

    return layer_summary(network)


def _five_houses(linear, network):
    """The five houses of load_houses, followed layer by layer."""
    from ..datasets import load_houses

    houses = load_houses()
    X = houses.data[FEATURES]
    names = pd.Index([f"house {i}" for i in range(len(X))])
    inputs = network[:-1].transform(X)
    net = network[-1]
    hidden = [
        pd.DataFrame(embedding, index=names, columns=neuron_names(net, k))
        for k, embedding in enumerate(net.embed(inputs, layer="all"))
    ]
    prices = pd.DataFrame(
        {"listed": houses.target.to_numpy(),
         "linear": linear.predict(X), "network": network.predict(X)},
        index=names,
    )
    return {
        "houses": X.set_axis(names),
        "houses_input": pd.DataFrame(inputs, index=names, columns=FEATURES),
        "houses_hidden": hidden,
        "prices": prices,
    }


def _patterns(network):
    from ..inspection import neuron_patterns

    patterns = neuron_patterns(network, layer=0, top=2).head(SHOWN_PATTERNS)
    patterns.index.name = None
    return patterns


def _sparsity(network, X_test):
    from ..inspection import activation_stats

    rows = []
    for k in range(network[-1].n_layers_ - 2):
        stats = activation_stats(network, X_test, layer=k)
        rows.append({
            "layer": stats.attrs["layer"],
            "neurons": len(stats),
            "sparsity": stats.attrs["sparsity"],
            "dead neurons": int(stats["dead"].sum()),
            "always firing": int((stats["fraction_active"] == 1).sum()),
        })
    return pd.DataFrame(rows)
