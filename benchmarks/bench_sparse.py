"""Sparse input: skembed's MLPRegressor against scikit-learn's on the same CSR matrix.

1. Per-epoch training time on TF-IDF-like data (100,000 rows x 50,000
   columns, 0.1 % of the entries set, float32, default hyper-parameters:
   hidden (100,), adam, batch 200), one BLAS thread, fits interleaved A, B,
   B, A, ...; medians, the ratio pair by pair, and the held-out R² after the
   same epochs.
2. A fit that no dense array could hold: 200,000 x 200,000 with about ten
   values a row (float32, hidden (32,), batch 256, max_iter=2), which
   densified would need 160 GB; its time and peak memory (tracemalloc, which
   sees numpy's allocations, and the process's peak resident size).

Run::

    python benchmarks/bench_sparse.py            # the sizes above
    python benchmarks/bench_sparse.py --quick    # a smaller smoke run
"""

import argparse
import resource
import time
import tracemalloc
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor as ScikitLearnMLPRegressor
from threadpoolctl import threadpool_limits

from skembed import MLPRegressor


def tf_idf_like(n_rows, n_columns, per_row, rng):
    """CSR rows of ``per_row`` positive values in random columns, normalised
    per row like TF-IDF, and a target that depends on a few hundred columns."""
    data = rng.exponential(size=n_rows * per_row).astype(np.float32)
    columns = rng.integers(0, n_columns, n_rows * per_row)
    X = sp.csr_matrix((data, columns, np.arange(0, n_rows * per_row + 1, per_row)),
                      shape=(n_rows, n_columns))
    X.sum_duplicates()
    X = X.multiply(1.0 / np.sqrt(X.multiply(X).sum(axis=1))).tocsr().astype(np.float32)
    weights = np.zeros(n_columns)
    informative = rng.choice(n_columns, 300, replace=False)
    weights[informative] = rng.normal(size=300) * 5
    y = X @ weights
    y = np.tanh(y) + 0.1 * rng.normal(size=n_rows)
    return X, ((y - y.mean()) / y.std()).astype(np.float32)


def epochs_against_scikit_learn(n_rows, n_columns, epochs, reps):
    rng = np.random.default_rng(0)
    X, y = tf_idf_like(n_rows + n_rows // 10, n_columns, max(1, n_columns // 1000), rng)
    X_train, y_train, X_test, y_test = X[:n_rows], y[:n_rows], X[n_rows:], y[n_rows:]
    params = dict(max_iter=epochs, tol=0.0, n_iter_no_change=epochs, random_state=0)
    makers = {"skembed": lambda: MLPRegressor(**params),
              "sklearn": lambda: ScikitLearnMLPRegressor(**params)}
    times, scores = {name: [] for name in makers}, {}
    for rep in range(reps):
        order = list(makers.items())[:: -1 if rep % 2 else 1]
        for name, make in order:
            est = make()
            start = time.perf_counter()
            est.fit(X_train, y_train)
            times[name].append((time.perf_counter() - start) / epochs)
            scores[name] = est.score(X_test, y_test)
    pairs = [b / a for a, b in zip(times["skembed"], times["sklearn"])]
    print(f"\n== sparse, TF-IDF-like: {n_rows:,} x {n_columns:,} CSR float32, "
          f"{X_train.nnz / np.prod(X_train.shape):.2%} set, hidden (100,), adam, batch 200, "
          f"{epochs} epoch(s) per fit, {reps} interleaved fits each")
    for name in makers:
        print(f"  {name:8s} s/epoch median {np.median(times[name]):.2f}  "
              f"held-out R2 {scores[name]:.4f}")
    print(f"  speed-up per epoch (sklearn / skembed, pair by pair): median "
          f"{np.median(pairs):.2f}x [{', '.join(f'{r:.2f}' for r in pairs)}]")


def a_fit_no_dense_array_could_hold(n, per_row):
    rng = np.random.default_rng(1)
    X = sp.csr_matrix((rng.random(n * per_row, dtype=np.float32),
                       rng.integers(0, n, n * per_row),
                       np.arange(0, n * per_row + 1, per_row)), shape=(n, n))
    y = rng.normal(size=n).astype(np.float32)
    est = MLPRegressor(hidden_layer_sizes=(32,), batch_size=256, max_iter=2, random_state=0)
    tracemalloc.start()
    start = time.perf_counter()
    est.fit(X, y)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"\n== {n:,} x {n:,} CSR float32, {per_row} values a row "
          f"({n * n * 4 / 1e9:,.0f} GB densified), hidden (32,), batch 256, 2 epochs")
    print(f"  fit {seconds:.1f} s; peak allocated during fit {peak / 1e6:,.0f} MB "
          f"(X itself {(X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 1e6:,.0f} MB, "
          f"first-layer weights {est.coefs_[0].nbytes / 1e6:,.0f} MB); "
          f"process peak resident {rss / 1e6:,.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 1 rep")
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    with threadpool_limits(1):
        if args.quick:
            epochs_against_scikit_learn(5_000, 5_000, epochs=1, reps=2)
            a_fit_no_dense_array_could_hold(20_000, 10)
        else:
            epochs_against_scikit_learn(100_000, 50_000, epochs=1, reps=3)
            a_fit_no_dense_array_could_hold(200_000, 10)


if __name__ == "__main__":
    main()
