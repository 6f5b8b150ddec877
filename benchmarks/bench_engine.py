"""skembed against scikit-learn's MLP on the same data, in one run.

Per-epoch training time (fixed epochs: ``tol=0``, ``n_iter_no_change=max_iter``,
no early stopping) on float32 data and on float64 data (scikit-learn's
precision), skembed's twins (``MLPRegressor`` / ``MLPClassifier``, which
compute what scikit-learn's do) against scikit-learn's MLP, held-out
score after the same number of epochs, predict throughput, and the latency
of ``predict`` on one row as an online service calls it; then the per-epoch
time of the model for tables (``EmbeddingMLPRegressor`` with its defaults on
a raw DataFrame), which has no scikit-learn counterpart and is compared with
``--baseline`` only. Contenders are interleaved A, B, B, A, ... with BLAS
pinned to one thread; medians and the pairwise ratios are reported.

``--baseline DIR`` adds another copy of skembed as a third contender (for
instance an earlier commit, checked out with ``git worktree add /tmp/old
COMMIT``), so that a change to the engine is measured against the code before
it in the same run.

Run::

    python benchmarks/bench_engine.py            # the full 200,000-row problem
    python benchmarks/bench_engine.py --quick    # a smaller one, for a smoke run
    python benchmarks/bench_engine.py --baseline /tmp/old/skembed
"""

import argparse
import importlib.util
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from threadpoolctl import threadpool_limits

import skembed


def load_baseline(directory):
    """Another skembed package, imported as ``skembed_baseline``."""
    directory = Path(directory).resolve()
    spec = importlib.util.spec_from_file_location(
        "skembed_baseline", directory / "__init__.py",
        submodule_search_locations=[str(directory)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["skembed_baseline"] = module
    spec.loader.exec_module(module)
    return module


def regression_data(n, n_features, rng):
    X = rng.standard_normal((n, n_features)).astype(np.float32)
    w = rng.standard_normal((n_features, 3))
    h = X @ w
    y = np.sin(h[:, 0]) * h[:, 1] + 0.5 * h[:, 2] ** 2 - np.abs(h[:, 0])
    y += 0.1 * rng.standard_normal(n)
    y = (y - y.mean()) / y.std()  # both get a standardised target
    return X, y.astype(np.float32)


def classification_data(n, n_features, rng):
    X, y = make_classification(
        n_samples=n, n_features=n_features, n_informative=15, n_classes=10,
        n_clusters_per_class=2, random_state=rng.integers(1 << 31),
    )
    return X.astype(np.float32), y


def common_params(epochs, seed):
    return dict(
        hidden_layer_sizes=(128, 64), solver="adam", batch_size=256,
        max_iter=epochs, tol=0.0, n_iter_no_change=epochs, early_stopping=False,
        random_state=seed,
    )


def contenders(task, packages):
    """name -> a function of the parameters that makes the estimator."""
    if task == "twins":  # skembed's MLPRegressor, scikit-learn's defaults
        made = {"sklearn": lambda p: MLPRegressor(**p)}
        for name, package in packages.items():
            if hasattr(package, "MLPRegressor"):
                made[name] = (lambda pkg: lambda p: pkg.MLPRegressor(**p))(package)
        return made
    if task == "regression":
        made = {"sklearn": lambda p: MLPRegressor(**p)}
        for name, package in packages.items():
            made[name] = (lambda cls: lambda p: cls(**p, target_scaling=False))(
                engine_class(package, "Regressor"))
        return made
    made = {"sklearn": lambda p: MLPClassifier(**p)}
    for name, package in packages.items():
        made[name] = (lambda cls: lambda p: cls(**p))(engine_class(package, "Classifier"))
    return made


def engine_class(package, kind):
    """The skembed class that runs scikit-learn's computation: the twin
    (``MLPRegressor``), or in an older skembed without one, ``EmbeddingMLP*``
    (whose defaults were scikit-learn's then)."""
    return getattr(package, f"MLP{kind}", None) or getattr(package, f"EmbeddingMLP{kind}")


def timed_fit(make, X, y):
    est = make()
    start = time.perf_counter()
    est.fit(X, y)
    return time.perf_counter() - start, est


def timed_predict(est, X, repeats=3):
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        est.predict(X)
        best = min(best, time.perf_counter() - start)
    return X.shape[0] / best


def fit_interleaved(makers, data, epochs, reps):
    """Per-epoch seconds of each contender over ``reps`` interleaved fits."""
    X_tr, y_tr = data
    times = {name: [] for name in makers}
    models = {}
    for rep in range(reps):
        order = list(makers.items())
        if rep % 2:
            order.reverse()
        for name, make in order:
            seconds, est = timed_fit(lambda: make(common_params(epochs, rep)), X_tr, y_tr)
            times[name].append(seconds / epochs)
            models[name] = est
    return times, models


def ratios(times, name):
    return [b / a for a, b in zip(times[name], times["sklearn"])]


def compare(task, makers, split, epochs, reps):
    X_tr, X_te, y_tr, y_te = split
    times, models = fit_interleaved(makers, (X_tr, y_tr), epochs, reps)
    sizes = (X_te.shape[0], 200_000, 1_000_000)
    X_big = np.tile(X_te, (sizes[-1] // X_te.shape[0] + 1, 1))[: sizes[-1]]
    predict = {
        (name, size): timed_predict(est, X_big[:size])
        for size in sizes for name, est in models.items()
    }
    metric = "accuracy" if task.startswith("classification") else "R2"
    print(f"\n== {task}: {X_tr.shape[0]:,} x {X_tr.shape[1]} {X_tr.dtype}, hidden (128, 64), "
          f"adam, batch 256, {epochs} epochs per fit, {reps} interleaved fits each")
    for name, est in models.items():
        rates = ", ".join(f"{size:,}: {predict[name, size] / 1e6:.2f}M" for size in sizes)
        print(f"  {name:9s} s/epoch median {np.median(times[name]):.3f}  "
              f"held-out {metric} {est.score(X_te, y_te):.4f}  predict rows/s ({rates})")
    for name in models:
        if name == "sklearn":
            continue
        pairs = ratios(times, name)
        speedups = ", ".join(
            f"{size:,} rows {predict[name, size] / predict['sklearn', size]:.2f}x"
            for size in sizes
        )
        print(f"  {name}: speed-up per epoch (sklearn / {name}, pair by pair) median "
              f"{np.median(pairs):.2f}x [{', '.join(f'{r:.2f}' for r in pairs)}]; "
              f"predict speed-up {speedups}")
    return models


def one_row_latency(packages, blocks, calls):
    """``predict`` on a single 1 x 20 row, hidden (100,): median of
    interleaved blocks of ``calls`` calls, per contender."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2_000, 20))
    y = X @ rng.standard_normal(20)
    params = dict(hidden_layer_sizes=(100,), max_iter=5, random_state=0)
    models = {"sklearn": MLPRegressor(**params).fit(X, y)}
    for name, package in packages.items():
        models[name] = engine_class(package, "Regressor")(**params).fit(X, y)
    row = X[:1].copy()
    latency = {name: [] for name in models}
    for block in range(blocks):
        order = list(models.items())
        if block % 2:
            order.reverse()
        for name, est in order:
            start = time.perf_counter()
            for _ in range(calls):
                est.predict(row)
            latency[name].append((time.perf_counter() - start) / calls * 1e6)
    print(f"\n== predict on one row (1 x 20, hidden (100,)): {blocks} interleaved blocks of "
          f"{calls} calls")
    for name, values in latency.items():
        print(f"  {name:9s} median {np.median(values):.1f} us  (blocks: "
              f"{min(values):.1f}-{max(values):.1f})")
    for name in packages:
        pairs = [a / b for a, b in zip(latency[name], latency["sklearn"])]
        print(f"  {name} / sklearn: median {np.median(pairs):.2f} "
              f"[{min(pairs):.2f}, {max(pairs):.2f}]")


def table_frame(n, rng):
    """A table as users bring it: ten numeric columns on scales from 1e-3 to
    1e5, two with 5% missing values, and a categorical column of 50 values."""
    scales = np.logspace(-3, 5, 10)
    X = pd.DataFrame(rng.lognormal(0.0, 1.0, (n, 10)) * scales,
                     columns=[f"x{j}" for j in range(10)])
    for column in ("x1", "x7"):
        X.loc[rng.random(n) < 0.05, column] = np.nan
    X["zone"] = pd.Categorical(rng.integers(0, 50, n).astype(str))
    z = np.log(X[["x0", "x3", "x5"]].fillna(1.0).to_numpy() / scales[[0, 3, 5]])
    y = np.sin(z[:, 0]) * z[:, 1] + 0.5 * z[:, 2] ** 2 + X["zone"].cat.codes % 7 / 7
    return X, (y + 0.1 * rng.standard_normal(n)).astype(np.float32)


def table_model_epochs(packages, n, epochs, reps):
    """Per-epoch seconds of ``EmbeddingMLPRegressor`` with its defaults on a
    raw DataFrame (scaling, numeric embeddings, missing values, a table),
    each skembed package interleaved; scikit-learn has no such model."""
    X, y = table_frame(n, np.random.default_rng(2))

    def maker(package):  # its defaults: only the epochs and the seed of common_params
        return lambda p: package.EmbeddingMLPRegressor(
            max_iter=p["max_iter"], tol=0.0, n_iter_no_change=p["max_iter"],
            early_stopping=False, random_state=p["random_state"])

    makers = {name: maker(package) for name, package in packages.items()}
    times, _ = fit_interleaved(makers, (X, y), epochs, reps)
    print(f"\n== the model for tables: EmbeddingMLPRegressor defaults on a {n:,} x 11 "
          f"DataFrame (NaN, a categorical column), {epochs} epochs per fit, {reps} "
          "interleaved fits each")
    for name, values in times.items():
        print(f"  {name:9s} s/epoch median {np.median(values):.4f}")
    for name in packages:
        if name != "skembed":
            pairs = [b / a for a, b in zip(times["skembed"], times[name])]
            print(f"  {name} / skembed per epoch, pair by pair: median {np.median(pairs):.2f}x "
                  f"[{', '.join(f'{r:.2f}' for r in pairs)}]")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 2 reps")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--baseline", metavar="DIR",
                        help="another skembed package directory to measure as well")
    args = parser.parse_args()
    n = 20_000 if args.quick else 200_000
    epochs = args.epochs or (2 if args.quick else 5)
    reps = args.reps or (2 if args.quick else 4)
    packages = {"skembed": skembed}
    if args.baseline:
        packages["baseline"] = load_baseline(args.baseline)
    rng = np.random.default_rng(0)
    warnings.simplefilter("ignore", ConvergenceWarning)
    with threadpool_limits(1):
        X, y = regression_data(n + 20_000, 20, rng)
        split = train_test_split(X, y, test_size=20_000, random_state=0)
        compare("regression", contenders("regression", packages), split, epochs, reps)
        X, y = classification_data(n + 20_000, 20, rng)
        split = train_test_split(X, y, test_size=20_000, random_state=0)
        compare("classification (10 classes)", contenders("classification", packages), split,
                epochs, reps)
        X, y = regression_data(n + 20_000, 20, rng)
        split = train_test_split(X.astype(np.float64), y.astype(np.float64), test_size=20_000,
                                 random_state=0)
        compare("regression, float64, the MLPRegressor twins", contenders("twins", packages),
                split, epochs, reps)
        one_row_latency(packages, blocks=4 if args.quick else 12,
                        calls=200 if args.quick else 2_000)
        table_model_epochs(packages, n=5_000 if args.quick else 20_000,
                           epochs=epochs * 2, reps=reps + 2)


if __name__ == "__main__":
    main()
