"""Entity embeddings against one-hot encoding on a high-cardinality column.

On ``make_houses`` with many neighbourhoods, in one process and on the same
split, with BLAS pinned to one thread:

(a) skembed, the categorical columns learned as embedding tables;
(b) the same skembed network on one-hot encoded input;
(c) scikit-learn's MLPRegressor on the same one-hot input (sparse, which is
    its fastest way to take it);
(d) the same as (c) with the target standardised by a
    ``TransformedTargetRegressor``, as skembed's ``target_scaling`` does inside:
    the strongest scikit-learn baseline.

Reports held-out R², fit time, epochs run and peak memory allocated during
``fit`` (tracemalloc, which sees numpy's allocations). The three fits share
the hidden layers, solver, batch size and early-stopping rule.

Run::

    python benchmarks/bench_categorical.py                 # 1,500 neighbourhoods
    python benchmarks/bench_categorical.py --quick         # a smaller smoke run
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from skembed import MLPRegressor as SkembedMLPRegressor
from skembed.datasets import make_houses

NUMERIC = ["size_sqft", "bedrooms", "age_years", "pool"]
CATEGORICAL = ["climate", "neighbourhood"]


def network_params(seed):
    return dict(hidden_layer_sizes=(64, 32), solver="adam", batch_size=256,
                learning_rate_init=0.003, max_iter=200, early_stopping=True,
                n_iter_no_change=10, random_state=seed)


def skembed_network(seed):
    """skembed's twin, in float32, with the target scaled inside and the
    category columns learned as tables: the network of (c), but for those."""
    return SkembedMLPRegressor(**network_params(seed), categorical_features="from_dtype",
                               target_scaling=True, dtype="float32")


def embedded(seed):
    scale = ColumnTransformer([("numeric", StandardScaler(), NUMERIC)], remainder="passthrough",
                              verbose_feature_names_out=False).set_output(transform="pandas")
    return make_pipeline(scale, skembed_network(seed))


def one_hot(model, sparse):
    encode = ColumnTransformer([
        ("numeric", StandardScaler(), NUMERIC),
        ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=sparse,
                                 dtype=np.float32), CATEGORICAL),
    ], sparse_threshold=1.0 if sparse else 0.0)
    return make_pipeline(encode, model)


def measure(make, X_tr, y_tr, X_te, y_te):
    model = make()
    tracemalloc.start()
    start = time.perf_counter()
    model.fit(X_tr, y_tr)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    network = model[-1]
    network = getattr(network, "regressor_", network)
    return {
        "R2": model.score(X_te, y_te), "fit s": seconds, "epochs": network.n_iter_,
        "s/epoch": seconds / network.n_iter_, "peak MB": peak / 2**20,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--reps", type=int, default=None)
    args = parser.parse_args()
    n, n_neighbourhoods = (8_000, 200) if args.quick else (60_000, 1_500)
    reps = args.reps or (1 if args.quick else 2)
    X, y = make_houses(n, n_neighbourhoods=n_neighbourhoods, random_state=0)
    y = y.astype(np.float32)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
    contenders = {
        "(a) skembed, embeddings": lambda seed: embedded(seed),
        "(b) skembed, one-hot": lambda seed: one_hot(
            skembed_network(seed), sparse=False),
        "(c) sklearn MLP, one-hot": lambda seed: one_hot(
            MLPRegressor(**network_params(seed)), sparse=True),
        "(d) sklearn MLP, one-hot, scaled y": lambda seed: one_hot(
            TransformedTargetRegressor(MLPRegressor(**network_params(seed)),
                                       transformer=StandardScaler()), sparse=True),
    }
    warnings.simplefilter("ignore", ConvergenceWarning)
    rows = []
    with threadpool_limits(1):
        for rep in range(reps):
            order = list(contenders.items())
            if rep % 2:
                order.reverse()
            for name, make in order:
                rows.append({"model": name, "rep": rep,
                             **measure(lambda: make(rep), X_tr, y_tr, X_te, y_te)})
    table = pd.DataFrame(rows).groupby("model").median(numeric_only=True).drop(columns="rep")
    print(f"make_houses: {n:,} rows ({len(X_tr):,} train), {n_neighbourhoods:,} neighbourhoods, "
          f"hidden (64, 32), adam, batch 256, early stopping; median of {reps} run(s)")
    print(table.round(3).to_string())
    ours = table.loc["(a) skembed, embeddings"]
    for name in ("(c) sklearn MLP, one-hot", "(d) sklearn MLP, one-hot, scaled y"):
        base = table.loc[name]
        print(f"(a) against {name}: fit {base['fit s'] / ours['fit s']:.1f}x faster, "
              f"per epoch {base['s/epoch'] / ours['s/epoch']:.1f}x, "
              f"R2 {ours['R2'] - base['R2']:+.4f}, peak memory {ours['peak MB']:.0f} vs "
              f"{base['peak MB']:.0f} MB")


if __name__ == "__main__":
    main()
