"""DataFrame -> (numeric block, category codes): the input side of entity embeddings.

A categorical column is learned through an embedding lookup table: category
``k`` of the column selects row ``k`` of a ``(n_categories + 2, dim)`` table,
and the selected vector joins the input embedding after the numeric columns.
The two extra rows are reserved: one for categories never seen in training
(``unknown``), one for missing values (``missing``). Codes are computed with
pandas' vectorised ``Categorical``, never a Python loop per row.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils import check_array

# fast.ai's rule for the width of an entity embedding, capped at 50
_MAX_AUTO_DIM = 50


def auto_embedding_dim(n_categories):
    """Width ``"auto"`` gives a column of ``n_categories`` categories.

    ``min(50, round(1.6 * n_categories ** 0.56))``, at least 1: about 2 for a
    handful of categories, 10 for 30, 22 for 130, 50 from about 550.

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


def _as_frame(X):
    """A pandas DataFrame view of X (polars frames are converted)."""
    if isinstance(X, pd.DataFrame):
        return X
    if type(X).__module__.split(".")[0] == "polars":
        return X.to_pandas()
    array = np.asarray(X, dtype=object) if not hasattr(X, "dtype") else np.asarray(X)
    if array.ndim != 2:
        raise ValueError(f"Expected a 2D array, got an array of shape {array.shape}.")
    return pd.DataFrame(array)


def categorical_columns(X, categorical_features):
    """Positions of the columns to embed, from the ``categorical_features`` parameter."""
    if categorical_features is None:
        return []
    is_frame = isinstance(X, pd.DataFrame) or type(X).__module__.split(".")[0] == "polars"
    if isinstance(categorical_features, str):  # "from_dtype"
        if not is_frame:
            return []
        frame = _as_frame(X)
        return [i for i, dtype in enumerate(frame.dtypes) if _is_categorical_dtype(dtype)]
    n_features = _as_frame(X).shape[1] if is_frame else np.shape(X)[1]
    names = list(_as_frame(X).columns) if is_frame else None
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
    """What was learned about the categorical columns at fit time."""

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
            list(self.categories[j]) + [self.unknown_labels[j], self.missing_labels[j]],
            name=self.names[j],
        )

    def transform(self, X, dtype):
        """Numeric block (in ``dtype``) and integer codes of X's categorical columns."""
        frame = _as_frame(X)
        numeric = _numeric_block(frame, self.numeric, dtype)
        codes = np.empty((frame.shape[0], len(self.categorical)), dtype=np.intp)
        for j, (position, categories) in enumerate(zip(self.categorical, self.categories)):
            column = frame.iloc[:, position]
            missing = column.isna().to_numpy()
            code = categories.get_indexer(column.to_numpy(dtype=object)).astype(np.intp)
            n = len(categories)
            code[code < 0] = n  # unknown
            code[missing] = n + 1
            codes[:, j] = code
        return numeric, codes


def fit_spec(X, categorical_features, embedding_dims):
    """The spec of X's categorical columns, or None when it has none."""
    positions = categorical_columns(X, categorical_features)
    if not positions:
        return None
    frame = _as_frame(X)
    names = [str(frame.columns[p]) for p in positions]
    categories = []
    for p in positions:
        column = frame.iloc[:, p]
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories.append(pd.Index(column.cat.categories))
        else:
            values = pd.unique(column.dropna())
            try:
                values = np.sort(values)
            except TypeError:  # mixed types: keep first-seen order
                pass
            categories.append(pd.Index(values))
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


def _numeric_block(frame, positions, dtype):
    n = frame.shape[0]
    if not positions:
        return np.empty((n, 0), dtype=dtype)
    return check_numeric_frame(frame.iloc[:, positions], dtype, ensure_min_samples=0)


def check_numeric_frame(block, dtype, **check_params):
    """``check_array`` of a DataFrame, naming the columns that are not numeric."""
    bad = [str(c) for c in block.columns
           if not (pd.api.types.is_numeric_dtype(block[c]) or pd.api.types.is_bool_dtype(block[c]))]
    try:
        return check_array(block, dtype=dtype, order="C", **check_params)
    except (ValueError, TypeError) as error:
        if not bad:
            raise
        raise ValueError(
            f"Column(s) {bad} hold non-numeric values but are not declared categorical; "
            "pass them in categorical_features (or give them a pandas 'category' dtype)."
        ) from error
