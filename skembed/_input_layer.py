"""The input layer: raw numeric columns and category codes to the input embedding.

A batch's raw numeric columns go through three steps, each optional:

1. **Scaling** (``Preprocessing``, learned from the data at the first fit,
   not trained): ``(x - center) / scale``, then for robust scaling the
   smooth clip ``z / sqrt(1 + (z / 3) ** 2)``, which keeps outliers finite and
   ordered. A missing value (NaN) becomes 0, the neutral value, and the
   columns that had missing values at fit each get a 0/1 indicator column.
2. **Numeric embedding** (``NumericEmbedding``, trained with the network):
   each scaled column ``x`` becomes ``[v, e(x)]``, where ``e(x)`` is ``dim``
   learned functions of ``x``: for ``"periodic"`` a learned linear map of
   ``cos(2 pi (f x + p))`` over ``n_basis`` learned frequencies ``f`` and
   phases ``p``; for ``"piecewise_linear"`` a learned linear map of the
   piecewise-linear encoding of ``x`` over ``n_basis`` quantile bins. ``v``
   is the value itself: ``x``, except after robust scaling, where it is
   ``z`` with its tail kept (``scale_numeric``'s ``value``): the smooth
   clip at 3 flattens a long tail, and a trend along it (applications
   against acceptances) would reach the network only through steep learned
   slopes.
3. The categorical columns' looked-up embeddings (``_tables``).

The input embedding is the numeric block (each column, or each column's
embedding, in column order), then the missing-value indicators, then the
tables' embeddings. Sparse input is scaled without centring (zeros stay
zeros) and not embedded.

This is the math layer: it never sees an estimator.
"""

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

TWO_PI = 2.0 * math.pi
CLIP = 3.0  # the smooth clip's scale: |z| well below 3 is kept, far above flattens


@dataclass(frozen=True)
class NumericEmbedding:
    """The shape of a numeric embedding: its kind, how many columns it
    embeds, its basis (frequencies or bins) per column and its width."""

    kind: str  # "periodic" or "piecewise_linear"
    n_columns: int
    n_basis: int
    dim: int
    sigma: float = 0.1  # the standard deviation of the initial frequencies

    @property
    def width(self):
        """Input-embedding columns per embedded column: the value and ``dim``."""
        return 1 + self.dim

    @property
    def shapes(self):
        """Shapes of its parameters, in the order they sit in the flat vector."""
        c, k, d = self.n_columns, self.n_basis, self.dim
        if self.kind == "periodic":
            return ((c, k), (c, k), (c, k, d), (c, d))  # frequencies, phases, map, bias
        return ((c, k, d), (c, d))  # map, bias

    @property
    def n_params(self):
        return sum(math.prod(shape) for shape in self.shapes)

    def split(self, vector):
        """Views of its parameters in ``vector`` (which holds just them)."""
        views, start = [], 0
        for shape in self.shapes:
            size = math.prod(shape)
            views.append(vector[start : start + size].reshape(shape))
            start += size
        return views


@dataclass(eq=False)
class Preprocessing:
    """What the input layer learned from the data at the first fit.

    ``center`` and ``scale`` (float64, one value per numeric column, or None
    for no scaling); ``clip`` whether the smooth clip follows; ``missing``
    the numeric columns that get a missing-value indicator; ``edges`` the
    bin edges of a piecewise-linear embedding, ``(n_columns, n_bins + 1)``;
    ``bound`` (robust scaling of dense X) each column's bound for
    ``scale_numeric``'s ``value``, None for a model fitted before it existed.
    """

    center: np.ndarray = None
    scale: np.ndarray = None
    clip: bool = False
    missing: np.ndarray = None
    edges: np.ndarray = None
    bound: np.ndarray = None

    @property
    def n_missing(self):
        return 0 if self.missing is None else len(self.missing)


def smooth_clip(z, out, bound=CLIP):
    """``z / sqrt(1 + (z / bound) ** 2)`` into ``out``, which may be ``z``;
    ``bound`` 3 or one per column of ``z``. Written with ``hypot``, which
    does not overflow where ``(z / bound) ** 2`` would (a huge value goes to
    ``bound``, not to 0)."""
    ratio = np.multiply(z, 1.0 / bound)
    np.hypot(ratio, 1.0, out=ratio)
    return np.divide(z, ratio, out=out)


def scale_numeric(pre, raw, out, value=None):
    """The scaled numeric block of dense ``raw`` rows into ``out``; NaN -> 0.

    With ``value`` (an array like ``out``) and a ``pre.bound``, also the
    value channel of embedded columns into it: ``z = (raw - median) / IQR``
    smooth-clipped at each column's bound rather than at 3, so the training
    values stay nearly linear and a value far beyond them still comes out
    finite and in order. Both come from one ``z``.
    """
    if pre is None or pre.scale is None:
        np.copyto(out, raw)
        return out
    z = out if value is None or pre.bound is None else value
    np.subtract(raw, pre.center.astype(out.dtype), out=z)
    z *= (1.0 / pre.scale).astype(out.dtype)
    if pre.clip:
        smooth_clip(z, out)
    if z is value:
        smooth_clip(value, value, pre.bound.astype(value.dtype))
        np.nan_to_num(value, copy=False, nan=0.0)
    # a missing value is the neutral 0, in the columns that had NaN at fit
    # (they also get an indicator) and in any other that has it later
    np.nan_to_num(out, copy=False, nan=0.0)
    return out


def scale_sparse(pre, X):
    """Sparse rows scaled without centring: each stored value divided by its
    column's scale (and smooth-clipped); zeros stay zeros."""
    if pre is None or pre.scale is None:
        return X
    X = X.copy()
    X.data = X.data / pre.scale.astype(X.dtype)[X.indices]
    if pre.clip:
        smooth_clip(X.data, X.data)
    return X


def missing_indicators(pre, raw, out):
    """1 where the columns with an indicator are NaN, else 0, into ``out``."""
    out[...] = np.isnan(raw[:, pre.missing])
    return out


# --------------------------------------------------------------------------
# numeric embeddings: forward and backward, side by side
# --------------------------------------------------------------------------
def embed_numeric(emb, params, scaled, out, cache):
    """``[v, e(x)]`` of each scaled column ``x`` into ``out`` (m, n_columns *
    width): ``v`` is ``x`` itself, or the value channel that ``cache``
    brings (see ``scale_numeric``).

    ``cache`` (a dict) brings the bin edges of a piecewise-linear embedding
    (``"edges"``) and the value channel (``"value"``, or None), and keeps
    what the backward pass needs.
    """
    m, c = scaled.shape
    block = out.reshape(m, c, emb.width)
    value = cache.get("value")
    block[:, :, 0] = scaled if value is None else value
    basis = _basis(emb, params, scaled, cache)  # (c, m, n_basis)
    maps, bias = params[-2], params[-1]
    values = np.matmul(basis, maps)  # (c, m, dim)
    values += bias[:, None, :]
    block[:, :, 1:] = values.transpose(1, 0, 2)
    return out


def _basis(emb, params, scaled, cache):
    x = np.ascontiguousarray(scaled.T)[:, :, None]  # (c, m, 1)
    if emb.kind == "periodic":
        frequencies, phases = params[0], params[1]
        angle = x * frequencies[:, None, :]
        angle += phases[:, None, :]
        angle *= TWO_PI
        cache["x"], cache["angle"] = x, angle
        basis = np.cos(angle)
    else:
        basis = piecewise_linear(x, cache["edges"])
    cache["basis"] = basis
    return basis


def piecewise_linear(x, edges):
    """The piecewise-linear encoding of ``x`` (c, m, 1) over bins with
    ``edges`` (c, n_bins + 1): bin ``t`` is 0 below it, 1 above it, linear
    within; the first bin extends below and the last above their edges (at
    least two bins)."""
    edges = edges.astype(x.dtype, copy=False)  # float32 stays float32
    lower = edges[:, None, :-1]
    inverse_width = (1.0 / np.diff(edges, axis=1))[:, None, :]
    encoding = np.subtract(x, lower)
    encoding *= inverse_width
    inner = encoding[:, :, 1:-1]
    np.clip(inner, 0.0, 1.0, out=inner)
    np.minimum(encoding[:, :, :1], 1.0, out=encoding[:, :, :1])
    np.maximum(encoding[:, :, -1:], 0.0, out=encoding[:, :, -1:])
    return encoding


def embed_numeric_backward(emb, params, d_block, grads, cache):
    """The gradient of the embedding's parameters, from the gradient with
    respect to its output block ``d_block`` (m, n_columns * width)."""
    m = d_block.shape[0]
    d_values = np.ascontiguousarray(
        d_block.reshape(m, emb.n_columns, emb.width)[:, :, 1:].transpose(1, 0, 2))
    basis = cache["basis"]
    maps = params[-2]
    np.matmul(basis.transpose(0, 2, 1), d_values, out=grads[-2])
    d_values.sum(axis=1, out=grads[-1])
    if emb.kind == "periodic":
        # d cos(2 pi (f x + p)) = -sin(...) * 2 pi * (x df + dp)
        d_basis = np.matmul(d_values, maps.transpose(0, 2, 1))  # (c, m, k)
        d_basis *= np.sin(cache["angle"])
        d_basis *= -TWO_PI
        np.sum(d_basis, axis=1, out=grads[1])
        d_basis *= cache["x"]
        np.sum(d_basis, axis=1, out=grads[0])


def init_numeric_embedding(emb, views, rng):
    """Initial parameters: frequencies from N(0, sigma^2), phases uniform on
    [-1/2, 1/2), the map and bias Glorot-uniform."""
    if emb.kind == "periodic":
        views[0][...] = rng.normal(0.0, emb.sigma, size=views[0].shape)
        views[1][...] = rng.uniform(-0.5, 0.5, size=views[1].shape)
    bound = math.sqrt(6.0 / (emb.n_basis + emb.dim))
    views[-2][...] = rng.uniform(-bound, bound, size=views[-2].shape)
    views[-1][...] = rng.uniform(-bound, bound, size=views[-1].shape)



# --------------------------------------------------------------------------
# what the input layer learns from the data at the first fit
# --------------------------------------------------------------------------
# Statistics come from at most this many rows, evenly spaced through the data
# (as histogram-based gradient boosting bins on a subsample): enough for
# quantiles to two decimals, and a bounded cost on large data.
STATISTICS_ROWS = 100_000


def fit_preprocessing(X, scaling, n_bins=None, sample_weight=None):
    """The ``Preprocessing`` of the raw numeric block ``X`` (NaN allowed):
    ``scaling`` None, ``"standard"`` or ``"robust"``, and ``n_bins`` the bins
    of a piecewise-linear embedding (None without one).

    Every statistic is weighted by ``sample_weight``: a row of weight 2 counts
    as that row twice, a row of weight 0 as no row, as in the loss. Quantiles
    (median, quartiles, bin edges) are the weighted inverted CDF, so they are
    values of the column, the same for weights as for repeated rows. Dense X
    is read one column at a time: the statistics cost a few columns of
    memory, never a copy of X.
    """
    weights = (None if sample_weight is None
               else np.asarray(sample_weight, dtype=np.float64))
    if sp.issparse(X):
        scale = None if scaling is None else _sparse_scale(X, scaling, weights)
        return Preprocessing(np.zeros(X.shape[1]) if scale is not None else None, scale,
                             scaling == "robust")
    rows = _evenly_spaced(X.shape[0])
    if weights is None:
        weights = np.ones(X.shape[0])
    weights = weights[rows]
    n_columns = X.shape[1]
    center, scale = np.zeros(n_columns), np.ones(n_columns)
    edges = np.zeros((n_columns, n_bins + 1)) if n_bins else None
    bound = np.full(n_columns, CLIP) if scaling == "robust" else None
    missing = []
    for j in range(n_columns):
        column = np.asarray(X[rows, j], dtype=np.float64)
        kept = ~np.isnan(column) & (weights > 0)
        if not kept.all() and np.isnan(column[weights > 0]).any():
            missing.append(j)
        values, value_weights = column[kept], weights[kept]
        if scaling is not None:
            center[j], scale[j] = _column_statistics(values, value_weights, scaling)
        # sorted once: the quantiles below then sort a run or two, in linear time
        order = np.argsort(values, kind="stable")
        values, value_weights = values[order], value_weights[order]
        if bound is not None and len(values):
            bound[j] = tail_bound(np.abs(values - center[j]) / scale[j], value_weights)
        if n_bins:
            one = Preprocessing(center[j:j + 1], scale[j:j + 1], scaling == "robust")
            scaled = values if scaling is None else scale_numeric(
                one, values[:, None], np.empty((len(values), 1)))[:, 0]
            edges[j] = bin_edges(scaled, value_weights, n_bins)
    pre = Preprocessing(center if scaling else None, scale if scaling else None,
                        scaling == "robust", np.array(missing, dtype=np.intp) if scaling
                        else None)
    pre.edges = edges
    pre.bound = bound
    return pre


def _evenly_spaced(n):
    if n <= STATISTICS_ROWS:
        return slice(None)
    return np.linspace(0, n - 1, STATISTICS_ROWS).astype(np.intp)


def weighted_quantiles(values, weights, quantiles):
    """The weighted quantiles of one column's values (no NaN, weights > 0),
    by the inverted CDF: the smallest value whose cumulative weight reaches
    ``q`` of the total, a value of the column; NaN for no value."""
    if len(values) == 0:
        return np.full(len(quantiles), np.nan)
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    at = np.searchsorted(cumulative, np.asarray(quantiles) * cumulative[-1], side="left")
    return values[order[np.minimum(at, len(values) - 1)]]


# The value channel keeps this share of a column's training values in the
# nearly linear part of its smooth clip; up to 1% of gross outliers cannot
# stretch the bound.
TAIL_QUANTILE = 0.99


def tail_bound(distance, weights):
    """The bound of one column's value channel, from its training values'
    distances to the median in interquartile ranges: 3 times the 99th
    percentile distance, and at least 3. The values within a third of it
    are shrunk by about 5% at most."""
    top = weighted_quantiles(distance, weights, [TAIL_QUANTILE])[0]
    return CLIP * max(1.0, top) if np.isfinite(top) else CLIP


def _column_statistics(values, weights, scaling):
    """The center and scale of one column, weighted: mean and standard
    deviation, or median and interquartile range (the standard deviation
    where that range is 0, as for a column that is mostly one value); 0 and 1
    for a constant or empty column."""
    if len(values) == 0:
        return 0.0, 1.0
    mean = np.average(values, weights=weights)
    std = np.sqrt(np.average((values - mean) ** 2, weights=weights))
    if scaling == "standard":
        center, scale = mean, std
    else:
        low, center, high = weighted_quantiles(values, weights, [0.25, 0.5, 0.75])
        scale = high - low if high > low else std
    center = center if np.isfinite(center) else 0.0
    scale = scale if np.isfinite(scale) and scale > 0 else 1.0
    return float(center), float(scale)


def _sparse_scale(X, scaling, sample_weight):
    """The scale of each column of sparse ``X``, zeros included: its weighted
    standard deviation, or for robust scaling the weighted median magnitude
    of its stored values; 1 for an empty or constant column."""
    X = sp.csc_matrix(X, dtype=np.float64)
    weights = np.ones(X.shape[0]) if sample_weight is None else np.asarray(
        sample_weight, dtype=np.float64)
    if scaling == "standard":
        total = weights.sum()
        mean = (X.T @ weights) / total
        square = (X.multiply(X).T @ weights) / total
        scale = np.sqrt(np.maximum(square - mean**2, 0.0))
    else:  # each column's weighted median magnitude, all columns at once
        counts = np.diff(X.indptr)
        columns = np.repeat(np.arange(X.shape[1]), counts)
        order = np.lexsort((np.abs(X.data), columns))
        magnitude, row_weights = np.abs(X.data)[order], weights[X.indices[order]]
        cumulative = np.cumsum(row_weights)
        before = np.concatenate([[0.0], cumulative])[X.indptr[:-1]]
        totals = np.concatenate([[0.0], cumulative])[X.indptr[1:]] - before
        reached = cumulative - before[columns] >= 0.5 * totals[columns]
        first = np.where(reached, np.arange(len(order)), len(order))
        stored = counts > 0
        scale = np.zeros(X.shape[1])
        if stored.any():
            at = np.minimum.reduceat(first, X.indptr[:-1][stored])
            scale[stored] = magnitude[np.minimum(at, len(order) - 1)]
    return np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)


def bin_edges(scaled, weights, n_bins):
    """Weighted quantile bin edges of one column's scaled values, ``(n_bins +
    1,)``, made strictly increasing: a column with few distinct values gets
    narrow bins past its last distinct value rather than bins of width 0."""
    edges = weighted_quantiles(scaled, weights, np.linspace(0.0, 1.0, n_bins + 1))
    edges = np.where(np.isfinite(edges), edges, 0.0)
    spread = edges[-1] - edges[0]
    min_width = (spread if spread > 0 else 1.0) / (10.0 * n_bins)
    for t in range(1, n_bins + 1):
        edges[t] = max(edges[t], edges[t - 1] + min_width)
    return edges
