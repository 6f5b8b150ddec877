"""skembed against scikit-learn's MLP on the same float32 data, in one run.

Per-epoch training time (fixed epochs: ``tol=0``, ``n_iter_no_change=max_iter``,
no early stopping), held-out score after the same number of epochs, and
predict throughput. Contenders are interleaved A, B, B, A, ... with BLAS pinned
to one thread; medians and the pairwise ratio are reported.

Run::

    python benchmarks/bench_engine.py            # the full 200,000-row problem
    python benchmarks/bench_engine.py --quick    # a smaller one, for a smoke run
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from threadpoolctl import threadpool_limits

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor


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


def compare(task, ours, theirs, X_tr, y_tr, X_te, y_te, epochs, reps):
    times = {"skembed": [], "sklearn": []}
    models = {}
    for rep in range(reps):
        order = [("skembed", ours), ("sklearn", theirs)]
        if rep % 2:
            order.reverse()
        for name, make in order:
            seconds, est = timed_fit(lambda: make(common_params(epochs, rep)), X_tr, y_tr)
            times[name].append(seconds / epochs)
            models[name] = est
    ratios = [b / a for a, b in zip(times["skembed"], times["sklearn"])]
    # predict throughput at three sizes: a held-out set, the training set, and a
    # one-million-row scoring batch
    sizes = (X_te.shape[0], 200_000, 1_000_000)
    X_big = np.tile(X_te, (sizes[-1] // X_te.shape[0] + 1, 1))[: sizes[-1]]
    predict = {
        (name, size): timed_predict(est, X_big[:size])
        for size in sizes for name, est in models.items()
    }
    scores = {name: est.score(X_te, y_te) for name, est in models.items()}
    metric = "R2" if task == "regression" else "accuracy"
    print(f"\n== {task}: {X_tr.shape[0]:,} x {X_tr.shape[1]} float32, hidden (128, 64), "
          f"adam, batch 256, {epochs} epochs per fit, {reps} interleaved fits each")
    for name in ("sklearn", "skembed"):
        rates = ", ".join(f"{size:,}: {predict[name, size] / 1e6:.2f}M" for size in sizes)
        print(f"  {name:8s} s/epoch median {np.median(times[name]):.3f}  "
              f"held-out {metric} {scores[name]:.4f}  predict rows/s ({rates})")
    print(f"  speed-up per epoch (sklearn / skembed, pair by pair): "
          f"median {np.median(ratios):.2f}x  [{', '.join(f'{r:.2f}' for r in ratios)}]")
    print(f"  {metric} difference (skembed - sklearn): {scores['skembed'] - scores['sklearn']:+.4f}")
    speedups = ", ".join(
        f"{size:,} rows {predict['skembed', size] / predict['sklearn', size]:.2f}x"
        for size in sizes
    )
    print(f"  predict speed-up: {speedups}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 2 reps")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--reps", type=int, default=None)
    args = parser.parse_args()
    n = 20_000 if args.quick else 200_000
    epochs = args.epochs or (2 if args.quick else 5)
    reps = args.reps or (2 if args.quick else 4)
    rng = np.random.default_rng(0)
    warnings.simplefilter("ignore", ConvergenceWarning)
    with threadpool_limits(1):
        X, y = regression_data(n + 20_000, 20, rng)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=20_000, random_state=0)
        compare(
            "regression",
            lambda p: EmbeddingMLPRegressor(**p, target_scaling=False),
            lambda p: MLPRegressor(**p),
            X_tr, y_tr, X_te, y_te, epochs, reps,
        )
        X, y = classification_data(n + 20_000, 20, rng)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=20_000, random_state=0)
        compare(
            "classification (10 classes)",
            lambda p: EmbeddingMLPClassifier(**p),
            lambda p: MLPClassifier(**p),
            X_tr, y_tr, X_te, y_te, epochs, reps,
        )


if __name__ == "__main__":
    main()
