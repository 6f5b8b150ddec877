"""Embedding tables: lookups, their gradient, and training that touches only
the rows a batch uses.

A categorical column is learned through a table of ``rows x dim`` numbers;
a batch of ``m`` rows looks up at most ``m`` of its rows. The stochastic
solvers update the tables lazily: a batch's gradient is kept for the rows it
touched only (:class:`TableRows`), the optimizers update those rows (Adam's
moments, SGD's velocity, the L2 penalty included), and
:class:`TableTracker` remembers which rows an epoch touched, so that rolling
an epoch back, checking that the parameters are finite and keeping the best
parameters cost what the touched rows cost, never what the tables hold.
L-BFGS takes the full, dense gradient of the tables (``dense_table_grads``).

This is the math layer: it never sees an estimator.
"""

import functools
from typing import NamedTuple

import numpy as np


class TableRows(NamedTuple):
    """The rows of table ``table`` that a batch touched, and their gradient."""

    table: int
    rows: np.ndarray  # sorted, distinct row numbers
    grad: np.ndarray  # (len(rows), dim)


def split_tables(vector, table_shapes):
    """2-D views of the tables at the start of a flat vector."""
    return [table_view(vector, table_shapes, j) for j in range(len(table_shapes))]


@functools.lru_cache(maxsize=32)
def _starts(table_shapes):
    """Where each table starts in the flat vector (``table_shapes`` a tuple)."""
    return np.concatenate([[0], np.cumsum([rows * dim for rows, dim in table_shapes])]).tolist()


def table_view(vector, table_shapes, table):
    """The 2-D view of table ``table`` at the start of a flat vector."""
    start = _starts(tuple(table_shapes))[table]
    rows, dim = table_shapes[table]
    return vector[start : start + rows * dim].reshape(rows, dim)


def flat_rows(table_rows, table_shapes):
    """The positions, in the flat vector, of the numbers of the rows in
    ``table_rows`` (each table's rows in turn), and their gradient, flat in
    the same order: one gather, update and scatter for all the tables a
    batch touched, instead of one per table."""
    starts = _starts(tuple(table_shapes))
    index, grads = [], []
    for table, rows, grad in table_rows:
        dim = grad.shape[1]
        positions = np.add.outer(rows * dim, np.arange(starts[table], starts[table] + dim))
        index.append(positions.reshape(-1))
        grads.append(grad.reshape(-1))
    return np.concatenate(index), np.concatenate(grads)


class _Columns(NamedTuple):
    """What the tables' shapes fix, computed once per shapes: each table's
    width and start in the flat vector, its first row when the tables' rows
    are numbered one after the other (and their total), and, of the looked-up
    embeddings side by side, the table of each column and its dimension
    within the table."""

    dims: np.ndarray
    starts: np.ndarray
    row_starts: np.ndarray
    column_table: np.ndarray
    within: np.ndarray


@functools.lru_cache(maxsize=32)
def _columns(table_shapes):
    dims = np.array([dim for _, dim in table_shapes], dtype=np.intp)
    return _Columns(
        dims, np.asarray(_starts(table_shapes)[:-1], dtype=np.intp),
        np.concatenate([[0], np.cumsum([n_rows for n_rows, _ in table_shapes])]),
        np.repeat(np.arange(len(dims)), dims),
        np.arange(dims.sum()) - np.repeat(np.cumsum(dims) - dims, dims))


def look_up(vector, table_shapes, codes, out):
    """Write each table's rows for ``codes`` side by side into ``out``; the
    tables lead the flat ``vector``. One gather for all the tables."""
    shapes = tuple(table_shapes)
    if len(shapes) == 1:  # a single gather as it is: no index to build
        out[...] = table_view(vector, shapes, 0)[codes[:, 0]]
        return out
    columns = _columns(shapes)
    first = codes * columns.dims + columns.starts
    out[...] = vector[first[:, columns.column_table] + columns.within]
    return out


def table_row_grads(d_input, codes, shapes):
    """The gradient of each table's touched rows, from the gradient with
    respect to the looked-up embeddings ``d_input`` (m, sum of dims);
    ``shapes`` are the tables' ``(rows, dim)``.

    All the tables at once: their rows numbered one after the other, the
    touched ones found in one pass, and every looked-up number added into one
    buffer that holds each table's touched rows in turn (the gradients are
    views of it). Each number is summed over the batch rows in their order,
    as table by table."""
    if len(shapes) == 1:  # the same sums, without the bookkeeping of many tables
        (n_rows, dim), = shapes
        rows, inverse = touched_rows(codes[:, 0], n_rows)
        grad = np.zeros((rows.size, dim), dtype=d_input.dtype)
        np.add.at(grad, inverse, d_input)
        return [TableRows(0, rows, grad)]
    dims, _, row_starts, column_table, within = _columns(tuple(shapes))
    rows, inverse = touched_rows((codes + row_starts[:-1]).ravel(), int(row_starts[-1]))
    bounds = np.searchsorted(rows, row_starts)  # table j's: rows[bounds[j]:bounds[j + 1]]
    sizes = np.diff(bounds) * dims
    starts = np.concatenate([[0], np.cumsum(sizes)])
    # where each (batch row, table) gradient row starts in the buffer
    base = starts[:-1] + (inverse.reshape(codes.shape) - bounds[:-1]) * dims
    target = base[:, column_table] + within
    flat = np.zeros(int(starts[-1]), dtype=d_input.dtype)
    np.add.at(flat, target.ravel(), d_input.ravel())
    return [TableRows(j, rows[bounds[j] : bounds[j + 1]] - row_starts[j],
                      flat[starts[j] : starts[j + 1]].reshape(-1, dims[j]))
            for j in range(len(shapes))]


# Up to this many table rows per batch row, the rows a batch touches are found
# by counting codes, a few times faster than sorting them (np.unique) at
# mini-batch sizes; past it the count's pass over the table costs more.
COUNT_ROWS_PER_CODE = 16


def touched_rows(codes, n_rows):
    """The distinct rows among ``codes`` of a table of ``n_rows``, sorted,
    and each code's position among them: ``np.unique(codes,
    return_inverse=True)``."""
    if n_rows > COUNT_ROWS_PER_CODE * len(codes):
        return np.unique(codes, return_inverse=True)
    rows = np.flatnonzero(np.bincount(codes, minlength=n_rows))
    position = np.empty(n_rows, dtype=np.intp)
    position[rows] = np.arange(rows.size)
    return rows, position[codes]


def dense_table_grads(d_input, codes, grad_tables):
    """Scatter-add the gradient of the looked-up rows into whole tables."""
    start = 0
    for j, grad_table in enumerate(grad_tables):
        dim = grad_table.shape[1]
        grad_table.fill(0)
        np.add.at(grad_table, codes[:, j], d_input[:, start : start + dim])
        start += dim


class TableTracker:
    """The table rows that training has touched, epoch by epoch.

    ``arrays`` are, for each table, the 2-D views that training changes: the
    parameters first, then the optimizer's state for those rows (Adam's two
    moments, or SGD's velocity). ``touch`` is told the rows of every step
    before the step changes them.

    - Rolling back an epoch: the first time a row is touched in an epoch its
      values are saved; ``roll_back`` puts them back.
    - The finiteness check of an epoch looks at the rows it touched.
    - Keeping the best parameters: ``changed_since`` lists the rows touched
      since a given epoch, so a copy is brought up to date row by row.
    """

    def __init__(self, arrays):
        self.arrays = arrays
        n_rows = [table_arrays[0].shape[0] for table_arrays in arrays]
        # the epoch in which each row was last touched (0: never)
        self.stamps = [np.zeros(n, dtype=np.int64) for n in n_rows]
        self.epoch = 0
        self.journal = []

    def begin_epoch(self):
        self.epoch += 1
        self.journal = []

    def touch(self, table_rows):
        for table, rows, _ in table_rows:
            stamps = self.stamps[table]
            first = rows[stamps[rows] != self.epoch]
            if first.size:
                stamps[first] = self.epoch
                saved = [array[first] for array in self.arrays[table]]
                self.journal.append((table, first, saved))

    def roll_back(self):
        """Put back every row as it was at the start of the epoch."""
        for table, rows, saved in reversed(self.journal):
            for array, values in zip(self.arrays[table], saved):
                array[rows] = values
        self.journal = []

    def touched_are_finite(self):
        """Whether the parameter rows touched this epoch are finite."""
        return all(np.isfinite(self.arrays[table][0][rows]).all()
                   for table, rows, _ in self.journal)

    def changed_since(self, table, epoch):
        """The rows of ``table`` touched after ``epoch``."""
        return np.flatnonzero(self.stamps[table] > epoch)
