"""``skembed demo``, computed: the house-price story as numbers and DataFrames.

:func:`run_demo` fits the models and returns a :class:`DemoReport`; the
``text`` module formats it for the terminal. Tests read the report.

The story: a table of houses as a user would have it (numbers on their own
scales, two categorical columns), the model for tables fitted on it as it
is, beside a linear model and gradient boosting; then what the network
learned, read from its embedding spaces.
"""

import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._reading import neuron_names

N_SAMPLES = 2000
SEED = 0
N_HOUSES = 5
SHOWN_NEURONS = 6
SHOWN_DEAD = 8
AGES = [0, 10, 20, 30, 40, 60, 80, 100]
DESCRIPTIONS = {
    "linear": "LinearRegression, one-hot and StandardScaler first",
    "boosting": "HistGradientBoostingRegressor, on the raw table",
    "network": "EmbeddingMLPRegressor(), on the raw table",
}


@dataclass
class DemoReport:
    """Everything the demo shows, computed."""

    n_train: int
    n_test: int
    columns: pd.DataFrame  # the table's columns: dtype, what the network makes of each
    scores: pd.DataFrame  # each model, its held-out R² and RMSE
    layers: pd.DataFrame  # layer_summary
    ages: pd.DataFrame  # predicted price of one house at several ages, per model
    neighbourhoods: float  # correlation of the price by neighbourhood with the true effects
    houses: pd.DataFrame  # five held-out houses as given
    prices: pd.DataFrame  # their listed and predicted prices
    houses_hidden: list  # one DataFrame per hidden layer (all neurons)
    sparsity: pd.DataFrame  # per hidden layer, on the held-out houses
    dead: dict  # hidden layer name -> names of its dead neurons
    seconds: float


def run_demo():
    """Fit the three models and read the network."""
    start = time.perf_counter()
    data = _data()
    models = _fit_models(data)
    network = models["network"]
    X_test = data["X_test"]
    five = X_test.iloc[:N_HOUSES]
    sparsity, dead = _sparsity(network, X_test)
    return DemoReport(
        n_train=len(data["X_train"]), n_test=len(X_test),
        columns=_columns(network, data["X_train"]),
        scores=_scores(models, data),
        layers=_layer_summary(network),
        ages=_ages(models, five.iloc[[0]]),
        neighbourhoods=_neighbourhoods(network, five.iloc[[0]], data["effects"]),
        houses=five.set_axis(_house_names(five)),
        prices=_prices(models, five, data["y_test"].iloc[:N_HOUSES]),
        houses_hidden=_hidden(network, five),
        sparsity=sparsity, dead=dead,
        seconds=time.perf_counter() - start,
    )


def _data():
    from sklearn.model_selection import train_test_split

    from ..datasets import make_houses

    X, y, effects = make_houses(n_samples=N_SAMPLES, return_effects=True, random_state=SEED)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25,
                                                        random_state=SEED)
    return {"X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test,
            "effects": effects}


def _fit_models(data):
    """The linear model (one-hot and scaling, as a user writes it), gradient
    boosting and the network, the last two on the table as it is."""
    from sklearn.compose import make_column_transformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from threadpoolctl import threadpool_limits

    from .. import EmbeddingMLPRegressor

    X = data["X_train"]
    categorical = X.select_dtypes("category").columns.tolist()
    numeric = [c for c in X.columns if c not in categorical]
    models = {
        "linear": make_pipeline(
            make_column_transformer((StandardScaler(), numeric),
                                    (OneHotEncoder(handle_unknown="ignore"), categorical)),
            LinearRegression()),
        "boosting": HistGradientBoostingRegressor(categorical_features="from_dtype",
                                                  random_state=SEED),
        "network": EmbeddingMLPRegressor(random_state=SEED),
    }
    # one thread: on 1,500 rows threads gain nothing, and on a busy machine
    # OpenMP's waiting threads can slow gradient boosting a hundredfold
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")  # a demo prints its own story, not warnings
        for model in models.values():
            model.fit(X, data["y_train"])
    return models


def _columns(network, X):
    """Each column of the table and what the network makes of it."""
    tables = network.categorical_embeddings_
    embedding = network._network.layout.numeric_embedding
    rows = []
    for name in X.columns:
        if name in tables:
            rows.append((name, str(X[name].dtype), X[name].nunique(),
                         f"a learned table: {tables[name].shape[1]} dimensions per category"))
        else:
            rows.append((name, str(X[name].dtype), X[name].nunique(),
                         f"scaled, then 1 + {embedding.dim} learned functions of it"))
    return pd.DataFrame(rows, columns=["column", "dtype", "distinct values",
                                       "in the network"]).set_index("column")


def _scores(models, data):
    from sklearn.metrics import mean_squared_error

    rows = {}
    for name, model in models.items():
        prediction = model.predict(data["X_test"])
        rows[name] = {
            "model": DESCRIPTIONS[name],
            "held-out R²": model.score(data["X_test"], data["y_test"]),
            "RMSE ($K)": mean_squared_error(data["y_test"], prediction) ** 0.5,
        }
    return pd.DataFrame(rows).T.astype({"held-out R²": float, "RMSE ($K)": float})


def _layer_summary(network):
    from ..inspection import layer_summary

    return layer_summary(network)


def _ages(models, house):
    """The predicted price of one house as only its age changes."""
    grid = house.loc[house.index.repeat(len(AGES))].reset_index(drop=True)
    grid["age_years"] = AGES
    return pd.DataFrame({name: models[name].predict(grid) for name in ("linear", "network")},
                        index=pd.Index(AGES, name="age"))


def _neighbourhoods(network, house, effects):
    """The correlation, over the neighbourhoods, between the network's price
    for one house moved to each neighbourhood and the neighbourhood's true
    effect: the network was only ever shown prices."""
    names = [name for name in effects.index
             if name in network.categorical_embeddings_["neighbourhood"].index]
    moved = house.loc[house.index.repeat(len(names))].reset_index(drop=True)
    moved["neighbourhood"] = pd.Categorical(names, categories=house["neighbourhood"].cat.categories)
    return float(np.corrcoef(network.predict(moved), effects.loc[names].to_numpy())[0, 1])


def _house_names(houses):
    return pd.Index([f"house {i}" for i in range(len(houses))])


def _prices(models, houses, listed):
    frame = pd.DataFrame({"listed": listed.to_numpy()}, index=_house_names(houses))
    for name, model in models.items():
        frame[name] = model.predict(houses)
    return frame


def _hidden(network, houses):
    names = _house_names(houses)
    return [
        pd.DataFrame(embedding, index=names, columns=neuron_names(network, k))
        for k, embedding in enumerate(network.embed(houses, layer="all"))
    ]


def _sparsity(network, X_test):
    from ..inspection import activation_stats

    rows, dead = [], {}
    for k in range(network.n_layers_ - 2):
        stats = activation_stats(network, X_test, layer=k)
        layer = stats.attrs["layer"]
        dead[layer] = stats.index[stats["dead"]].tolist()
        rows.append({
            "layer": layer,
            "neurons": len(stats),
            "sparsity": stats.attrs["sparsity"],
            "dead neurons": len(dead[layer]),
            "always firing": int((stats["fraction_active"] == 1).sum()),
        })
    return pd.DataFrame(rows), dead
