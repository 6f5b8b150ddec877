"""DataFrame -> (numeric block, category codes): the input side of entity embeddings.

A categorical column is learned through an embedding lookup table: category
``k`` of the column selects row ``k`` of a ``(n_categories + 2, dim)`` table,
and the selected vector joins the input embedding after the numeric columns.
The two extra rows are reserved: one for categories never seen in training
(``unknown``), one for missing values (``missing``). Codes are computed with
pandas' vectorised ``Categorical``, never a Python loop per row.
"""

from dataclasses import dataclass
from numbers import Number

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.utils import check_array

# fast.ai's rule for the width of an entity embedding, capped at 50
_MAX_AUTO_DIM = 50


def auto_embedding_dim(n_categories):
    """Width ``"auto"`` gives a column of ``n_categories`` categories.

    ``min(50, round(1.6 * n_categories ** 0.56))``, at least 1: 2 for 2
    categories, 6 for 10, 11 for 30, 21 for 100, and 50 from 459 on.

    Examples
    --------
    >>> from skembed._categorical import auto_embedding_dim
    >>> [auto_embedding_dim(n) for n in (2, 10, 100, 1000)]
    [2, 6, 21, 50]
    """
    return int(max(1, min(_MAX_AUTO_DIM, round(1.6 * n_categories**0.56))))


def _is_categorical_dtype(dtype):
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def is_polars(X):
    return type(X).__module__.split(".")[0] == "polars"


def as_frame(X):
    """A pandas DataFrame view of X (polars frames are converted)."""
    if isinstance(X, pd.DataFrame):
        return X
    if is_polars(X):
        return X.to_pandas()
    array = np.asarray(X, dtype=object) if not hasattr(X, "dtype") else np.asarray(X)
    if array.ndim != 2:
        raise ValueError(f"Expected a 2D array, got an array of shape {array.shape}.")
    return pd.DataFrame(array)


def categorical_columns(X, categorical_features):
    """Positions of the columns to embed, from the ``categorical_features`` parameter."""
    if categorical_features is None:
        return []
    is_frame = isinstance(X, pd.DataFrame) or is_polars(X)
    if isinstance(categorical_features, str):  # "from_dtype", "auto" (its first pass)
        if not is_frame:
            return []
        frame = as_frame(X)
        return [i for i, dtype in enumerate(frame.dtypes) if _is_categorical_dtype(dtype)]
    n_features = as_frame(X).shape[1] if is_frame else np.shape(X)[1]
    names = list(as_frame(X).columns) if is_frame else None
    selection = np.asarray(categorical_features)
    if selection.size == 0:
        return []
    if selection.dtype == bool:
        if selection.shape != (n_features,):
            raise ValueError(
                f"categorical_features as a boolean mask needs {n_features} entries, "
                f"got {selection.shape[0]}."
            )
        return list(np.flatnonzero(selection))
    positions = []
    for item in selection.tolist():
        if isinstance(item, str):
            if names is None or item not in names:
                raise ValueError(
                    f"categorical_features names the column {item!r}, which X does not "
                    "have" + ("" if names is None else f"; X has {names}") + "."
                )
            positions.append(names.index(item))
        elif isinstance(item, int) and -n_features <= item < n_features:
            positions.append(item % n_features)
        else:
            raise ValueError(
                f"categorical_features entry {item!r} is neither a column name nor an index "
                f"in [0, {n_features})."
            )
    return sorted(set(positions))


def _reserved_label(word, categories):
    label = f"<{word}>"
    existing = {str(c) for c in categories}
    while label in existing:
        label = "_" + label
    return label


@dataclass
class CategoricalSpec:
    """What was learned about the categorical columns at fit time.

    Only lists, ints, strings and numpy arrays (``categories`` holds one array
    per column), so that a fitted estimator pickles compactly and loads with
    ``skops.io`` without trusting any pandas type.
    """

    numeric: list
    categorical: list
    names: list
    categories: list
    dims: list
    unknown_labels: list
    missing_labels: list

    @property
    def table_shapes(self):
        return tuple((len(cats) + 2, dim) for cats, dim in zip(self.categories, self.dims))

    def table_index(self, j):
        """Row labels of table ``j``: the categories, then unknown and missing."""
        return pd.Index(
            self.categories[j].tolist() + [self.unknown_labels[j], self.missing_labels[j]],
            name=self.names[j],
        )

    def transform(self, X, dtype, ensure_all_finite=True):
        """Numeric block (in ``dtype``) and integer codes of X's categorical columns."""
        frame = as_frame(X)
        numeric = _numeric_block(frame, self.numeric, dtype, ensure_all_finite)
        codes = np.empty((frame.shape[0], len(self.categorical)), dtype=np.intp)
        for j, position in enumerate(self.categorical):
            codes[:, j] = _codes_of(frame.iloc[:, position], self._lookup(j))
        return numeric, codes

    def _lookup(self, j):
        """The categories of column ``j`` as a pandas Index, built (and hashed)
        once per fitted spec: a call on a chunk of rows then costs what the
        chunk's distinct values cost, not what the categories are."""
        lookups = self.__dict__.setdefault("_lookups", {})
        if j not in lookups:
            lookups[j] = pd.Index(self.categories[j])
        return lookups[j]

    def __getstate__(self):  # the lookups are rebuilt, not stored
        return {k: v for k, v in self.__dict__.items() if k != "_lookups"}


def _codes_of(column, categories):
    """Row of each value in its table: its category's, ``n`` if unknown, ``n + 1`` if missing.

    ``factorize`` hashes the column once on pandas' dtype-aware path; only its
    distinct values are then looked up among the ``categories`` (an Index),
    so no row ever becomes a Python object.
    """
    n = len(categories)
    codes, uniques = pd.factorize(column)  # missing values get code -1
    lookup = categories.get_indexer(uniques)
    lookup[lookup < 0] = n
    return np.append(lookup, n + 1).astype(np.intp)[codes]  # code -1 picks the last entry


def fit_spec(X, categorical_features, embedding_dims, min_frequency=None, codes=()):
    """The spec of X's categorical columns, or None when it has none. With
    ``min_frequency``, the categories in fewer rows than that are left out:
    their rows then map to the unknown row, as an unseen category's do.
    ``codes``: positions of numeric columns to learn through tables too
    (those :func:`code_columns` picks for ``categorical_features="auto"``);
    their values need only :func:`code_frequency` rows."""
    if sp.issparse(X):
        if isinstance(categorical_features, str) or categorical_features is None:
            return None  # "from_dtype": a sparse matrix has one numeric dtype
        selection = np.asarray(categorical_features)
        if selection.size and not (selection.dtype == bool and not selection.any()):
            raise ValueError(
                f"categorical_features={categorical_features!r} selects columns of a sparse "
                "matrix, which is all numeric: pass the categorical columns in a DataFrame, "
                "or encode them (a OneHotEncoder's sparse output goes straight in)."
            )
        return None
    positions = sorted(set(categorical_columns(X, categorical_features)) | set(codes))
    if not positions:
        return None
    frame = as_frame(X)
    names = [str(frame.columns[p]) for p in positions]
    by_dtype = isinstance(categorical_features, str)
    categories = [_categories_of(frame.iloc[:, p], by_dtype) for p in positions]
    if min_frequency is not None:
        floors = [code_frequency(min_frequency) if p in codes else min_frequency
                  for p in positions]
        categories = [_frequent(frame.iloc[:, p], cats, floor)
                      for p, cats, floor in zip(positions, categories, floors)]
    dims = [_embedding_dim(embedding_dims, name, len(cats)) for name, cats in zip(names, categories)]
    return CategoricalSpec(
        numeric=[i for i in range(frame.shape[1]) if i not in positions],
        categorical=positions,
        names=names,
        categories=categories,
        dims=dims,
        unknown_labels=[_reserved_label("unknown", c) for c in categories],
        missing_labels=[_reserved_label("missing", c) for c in categories],
    )


def _categories_of(column, by_dtype):
    """The sorted distinct values of a categorical column, as a numpy array."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return np.asarray(column.cat.categories.to_numpy())
    values = pd.unique(column.dropna())
    if by_dtype and not pd.api.types.is_bool_dtype(column.dtype):
        _check_not_dirty_numeric(column.name, values)
    try:
        values = np.sort(values)
    except TypeError:  # mixed types: keep first-seen order
        pass
    return np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values


def _frequent(column, categories, min_frequency):
    """The ``categories`` found in at least ``min_frequency`` rows of ``column``."""
    counts = column.value_counts(dropna=True)
    counts = counts.reindex(pd.Index(categories, dtype=counts.index.dtype), fill_value=0)
    return categories[counts.to_numpy() >= min_frequency]


# Share of a text column's distinct values that must read as numbers for the
# column to count as a numeric column with stray text (a CSV's "?" or "n/a")
# rather than a categorical one that happens to hold some numeric codes.
_NUMERIC_SHARE = 0.9


def _check_not_dirty_numeric(name, values):
    """Raise if a column picked as categorical by its dtype is numbers with stray text.

    ``pandas.read_csv`` reads a numeric column with one stray string as text;
    embedding it as a category per number would silently lose its meaning.
    """
    values = pd.Series(values, dtype=object)
    try:
        is_number = pd.to_numeric(values, errors="coerce").notna()
    except (TypeError, ValueError):  # objects pandas cannot even try to parse
        return
    text = values[~is_number]
    if text.empty:
        return
    holds_numbers = values.map(_is_number_object).any()
    if holds_numbers or is_number.mean() >= _NUMERIC_SHARE:
        raise ValueError(
            f"Column {str(name)!r} holds numbers and some non-numeric values "
            f"{text.head(5).tolist()}: a numeric column with stray strings? Clean or "
            "drop those values (pandas.to_numeric(..., errors='coerce') makes them "
            "NaN), or declare the column categorical explicitly with "
            "categorical_features or a pandas 'category' dtype."
        )


def _is_number_object(value):
    return isinstance(value, (Number, np.number)) and not isinstance(value, (bool, np.bool_))


def _embedding_dim(embedding_dims, name, n_categories):
    if isinstance(embedding_dims, str):  # "auto"
        return auto_embedding_dim(max(n_categories, 1))
    if isinstance(embedding_dims, dict):
        if name in embedding_dims:
            value = embedding_dims[name]
        else:
            value = auto_embedding_dim(max(n_categories, 1))
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(
                f"embedding_dims[{name!r}] must be a positive int, got {value!r}."
            )
        return int(value)
    return int(embedding_dims)


def _numeric_block(frame, positions, dtype, ensure_all_finite):
    n = frame.shape[0]
    if not positions:
        return np.empty((n, 0), dtype=dtype)
    return check_numeric_frame(frame.iloc[:, positions], dtype, ensure_min_samples=0,
                               ensure_all_finite=ensure_all_finite)


def _name_infinite_columns(block, dtype, error):
    """Raise an error naming ``block``'s columns that hold inf or -inf, or
    values beyond ``dtype``'s range; return if there are none."""
    infinite, too_large = [], []
    # a list of dtypes (as check_array takes) keeps float64 as it is
    single = dtype is not None and not isinstance(dtype, (list, tuple))
    limit = np.finfo(dtype).max if single and np.dtype(dtype).kind == "f" else np.inf
    for name in block.columns:
        column = block[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            values = np.abs(column.to_numpy(dtype=np.float64, na_value=np.nan))
            if np.isinf(values).any():
                infinite.append(str(name))
            elif (values > limit).any():
                too_large.append(str(name))
    if infinite:
        raise ValueError(
            f"Column(s) {infinite} hold infinite values (inf or -inf): replace them with a "
            "finite number, or with NaN where the estimator takes missing values (a "
            "numeric_scaling is set), or drop those rows."
        ) from error
    if too_large:
        raise ValueError(
            f"Column(s) {too_large} hold values beyond {np.dtype(dtype).name}'s range "
            f"(±{limit:.3g}): pass dtype=\"float64\", or rescale those columns."
        ) from error


def check_numeric_frame(block, dtype, **check_params):
    """``check_array`` of a DataFrame, naming the columns that are not numeric."""
    bad = [str(c) for c in block.columns
           if not (pd.api.types.is_numeric_dtype(block[c]) or pd.api.types.is_bool_dtype(block[c]))]
    try:
        return check_array(block, dtype=dtype, order="C", **check_params)
    except (ValueError, TypeError) as error:
        if not bad:
            if "infinity" in str(error):
                _name_infinite_columns(block, dtype, error)
            complex_ = [str(c) for c in block.columns
                        if pd.api.types.is_complex_dtype(block[c])]
            if complex_:  # check_array's own message prints the whole frame
                raise ValueError(
                    f"Column(s) {complex_} hold complex numbers, which skembed does not "
                    "take: pass their real and imaginary parts (or modulus and angle) "
                    "as separate columns."
                ) from error
            raise
        times = [str(c) for c in block.columns
                 if pd.api.types.is_datetime64_any_dtype(block[c])
                 or pd.api.types.is_timedelta64_dtype(block[c])
                 or isinstance(block[c].dtype, pd.PeriodDtype)]
        if times:
            # a date is neither a number the network can scale nor a category
            # it can look up (every future date would be unseen)
            raise ValueError(
                f"Column(s) {times} hold dates, periods or durations, which skembed does "
                "not encode: turn each into numbers first (for a date or a period, e.g. "
                ".dt.year, .dt.dayofyear or the days since a reference date; for a "
                "duration, .dt.total_seconds()) or drop it."
            ) from error
        raise ValueError(
            f"Column(s) {bad} hold non-numeric values but are not declared categorical; "
            "pass them in categorical_features (or give them a pandas 'category' dtype)."
        ) from error


# categorical_features="auto": a numeric column of whole numbers becomes a
# table when its values, looked up, predict the target better than a
# piecewise-linear function of it does, by at least this share of the
# target's variance (leave-one-out errors of both, on the fit's rows)
CODE_GAIN = 0.05
# the rows a value of such a column needs for a row of its own in the table,
# where min_frequency asks for more: the column was picked because a value's
# few rows tell its target (a firm's, a respondent's, a county's handful of
# years), where a category from the dtype (a zip code, a car's maker) may
# tell little; benchmarks/results/defaults_code_frequency.md measures it
CODE_MIN_FREQUENCY = 3


def code_frequency(min_frequency):
    """The ``min_frequency`` of a column picked as a code: at most
    ``CODE_MIN_FREQUENCY``; None stays None."""
    return None if min_frequency is None else min(min_frequency, CODE_MIN_FREQUENCY)


def code_columns(columns, targets, weights, n_bins, min_frequency):
    """The positions of the numeric ``columns`` (a DataFrame) whose
    whole-number values act as codes (``categorical_features="auto"``).

    Two predictions of the encoded ``targets`` from one column, each row's
    made without that row: the mean of the rows that share its value, as a
    table would learn it (a value in fewer than :func:`code_frequency` other
    rows is unknown: the overall mean), and a ridge-regularised piecewise-linear
    function of the column with ``n_bins`` quantile bins, as the numeric
    embedding reads a number. A state's number or a firm's id: the table
    predicts, the function of the number does not; an age or a count: the
    function predicts as well. Only columns with more distinct values than
    the ``n_bins + 1`` knots are tried: with fewer, every value can have a
    knot, and an effect, of its own.
    """
    targets = np.asarray(targets, dtype=np.float64).reshape(len(columns), -1)
    weights = np.ones(len(columns)) if weights is None else np.asarray(weights, np.float64)
    picked = []
    for p in range(columns.shape[1]):
        dtype = columns.dtypes.iloc[p]
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype) \
                or pd.api.types.is_complex_dtype(dtype):
            continue
        values = columns.iloc[:, p].to_numpy(dtype=np.float64, na_value=np.nan)
        known = np.isfinite(values) & (weights > 0)
        values, y, w = values[known], targets[known], weights[known]
        if len(values) < 2 or not np.array_equal(values, np.round(values)) \
                or len(np.unique(values)) <= n_bins + 1:  # as many knots as values
            continue
        total = float(np.sum(w[:, None] * (y - np.average(y, axis=0, weights=w)) ** 2))
        table = _table_error(values, y, w, code_frequency(min_frequency) or 1)
        if not total > 0 or table > (1.0 - CODE_GAIN) * total:
            continue
        function = min(_function_error(values, y, w, n_bins), total)
        if function - table > CODE_GAIN * total:
            picked.append(p)
    return picked


def _table_error(values, y, w, min_frequency):
    """Weighted squared error of each row's target predicted by the mean of
    the other rows of its value (the overall mean for a rare value)."""
    _, group, counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.column_stack([np.bincount(group, weights=w * column, minlength=len(counts))
                            for column in y.T])
    others = np.bincount(group, weights=w, minlength=len(counts))[group] - w
    looked_up = (sums[group] - w[:, None] * y) / np.where(others > 0, others, 1.0)[:, None]
    unknown = (counts[group] - 1 < min_frequency) | ~(others > 0)
    looked_up[unknown] = np.average(y, axis=0, weights=w)
    return float(np.sum(w[:, None] * (y - looked_up) ** 2))


def _function_error(values, y, w, n_bins):
    """Weighted leave-one-out squared error of a ridge regression of the
    target on a piecewise-linear encoding of the column (``n_bins`` bins at
    its weighted quantiles)."""
    from ._input_layer import bin_edges

    edges = bin_edges(values, w, n_bins)
    design = np.empty((len(values), n_bins + 1))
    design[:, 0] = 1.0
    design[:, 1:] = np.clip((values[:, None] - edges[:-1]) / np.diff(edges), 0.0, 1.0)
    gram = design.T @ (w[:, None] * design)
    gram[1:, 1:] += 1e-3 * w.sum() * np.eye(n_bins)
    inverse = np.linalg.pinv(gram)
    fitted = design @ (inverse @ (design.T @ (w[:, None] * y)))
    leverage = w * np.sum((design @ inverse) * design, axis=1)
    residual = (y - fitted) / np.maximum(1.0 - leverage, 1e-6)[:, None]
    return float(np.sum(w[:, None] * residual**2))
