"""Embedding tables: the cost of an epoch does not grow with the categories.

200,000 rows, one categorical column with 1,000 or 1,000,000 categories
(drawn uniformly, so each epoch touches about 1,000 or about 181,000 rows
of the table) and one numeric column; skembed's ``MLPRegressor`` with
``categorical_features="from_dtype"``, hidden (64,), embedding_dims=50,
adam, float32. Each run makes one estimator and
calls ``partial_fit`` (one epoch over the rows) ``epochs + 1`` times; the
first call, which also draws the table (50 million numbers for a million
categories), is left out of the per-epoch time. Runs are interleaved, one
BLAS thread; the median of the runs is reported, and the peak memory
allocated during one more run of each (tracemalloc, which slows the
allocations it records, so it is not on while timing).

Run::

    python benchmarks/bench_tables.py            # 200,000 rows, 3 runs of 3 epochs
    python benchmarks/bench_tables.py --quick    # a smaller smoke run
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from skembed import MLPRegressor


def table_data(n_rows, n_categories, rng):
    """A numeric column, a categorical column of ``n_categories`` declared
    categories, and a target made of a per-category effect and the number."""
    codes = rng.integers(0, n_categories, n_rows)
    categories = pd.Index(np.arange(n_categories)).astype(str)
    X = pd.DataFrame({
        "x": rng.normal(size=n_rows).astype(np.float32),
        "item": pd.Categorical.from_codes(codes, categories=categories),
    })
    effect = rng.normal(size=n_categories)
    y = (np.sin(X["x"].to_numpy()) + effect[codes]).astype(np.float32)
    return X, y


def run(X, y, epochs):
    """The median seconds of the epochs after the first, and the estimator."""
    est = MLPRegressor(hidden_layer_sizes=(64,), categorical_features="from_dtype",
                       embedding_dims=50, dtype="float32", random_state=0)
    est.partial_fit(X, y)  # draws the table
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        est.partial_fit(X, y)
        seconds.append(time.perf_counter() - start)
    return float(np.median(seconds)), est


def peak_memory(X, y, epochs):
    """Bytes allocated at the peak of a run (the table, its moments, the epochs)."""
    tracemalloc.start()
    try:
        run(X, y, epochs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_rows, sizes = (20_000, (1_000, 100_000)) if args.quick else (200_000, (1_000, 1_000_000))
    runs, epochs = (1, 2) if args.quick else (3, 3)
    rng = np.random.default_rng(0)
    data = {k: table_data(n_rows, k, rng) for k in sizes}
    results = {k: [] for k in sizes}
    warnings.simplefilter("ignore", ConvergenceWarning)
    with threadpool_limits(1):
        for rep in range(runs):
            for k in sizes[:: -1 if rep % 2 else 1]:
                results[k].append(run(*data[k], epochs)[0])
        peaks = {k: peak_memory(*data[k], 1) for k in sizes}
    print(f"== {n_rows:,} rows, one categorical column, hidden (64,), embedding_dims=50, "
          f"adam, float32; {runs} interleaved run(s) of {epochs} epoch(s)")
    for k in sizes:
        table_bytes = (k + 2) * 50 * 4
        print(f"  {k:>9,} categories: s/epoch median {np.median(results[k]):.3f} "
              f"[{', '.join(f'{s:.3f}' for s in results[k])}]; table {table_bytes / 1e6:,.0f} MB, "
              f"peak allocated {peaks[k] / 1e6:,.0f} MB")
    small, large = (np.median(results[k]) for k in sizes)
    print(f"  per-epoch time, {sizes[1]:,} against {sizes[0]:,} categories: "
          f"{large / small:.2f}x")


if __name__ == "__main__":
    main()
