"""``skembed embed``, computed: read a CSV, fit a network, embed its rows.

:func:`run_embed` returns an :class:`EmbedReport`; writing the CSV, the
summary line and the plot happen in the command (``skembed._cli``).
Problems with what the user gave raise :class:`CommandError`: one line,
exit status 2.

The network is the model for tables, fitted on the CSV as ``pandas`` reads
it: numbers on any scale and with missing values, text columns as
categorical columns learned through embedding tables (SPEC §5), as in the
Python API.
"""

import argparse
import difflib
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .._reading import check_hidden_index

# Integer targets with at most this many distinct values are classes.
MAX_INTEGER_CLASSES = 10
# A classification target whose distinct values are at least this share of
# the rows is not a set of classes: each class would have about one row.
MAX_CLASS_SHARE = 0.5
# Held-out share of the rows, and the fewest rows with which one is kept.
HELD_OUT = 0.2
MIN_ROWS_TO_HOLD_OUT = 20
MAX_LISTED_COLUMNS = 12


class CommandError(Exception):
    """A problem with what the user asked for: one line, exit status 2."""


@dataclass
class EmbedReport:
    """What ``skembed embed`` computed."""

    model: object  # the fitted network
    X: pd.DataFrame
    y: pd.Series
    classification: bool
    embeddings: pd.DataFrame
    train_score: float
    held_out_score: float  # NaN when the CSV is too small to hold rows out
    n_train: int
    layer_number: int  # 1-based, as in the column names
    out: str = None

    @property
    def network_name(self):
        return type(self.model).__name__

    @property
    def n_rows(self):
        return len(self.X)

    @property
    def n_features(self):
        return self.X.shape[1]

    @property
    def n_categorical(self):
        return len(self.model.categorical_embeddings_)

    @property
    def numeric_codes(self):
        """The number columns learned as categories: those ``--categorical``
        did not name that ``categorical_features="auto"`` found to be codes."""
        numeric = {str(c) for c in self.X.select_dtypes("number").columns}
        return [name for name in self.model.categorical_embeddings_ if name in numeric]


def first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def hidden_sizes(text):
    """argparse type of --hidden: "32,16" -> (32, 16)."""
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive integers such as 32,16, got {text!r}"
        )
    return sizes


def run_embed(args):
    """Read, check, fit and embed; the ``EmbedReport``."""
    data = read_csv(args.data)
    X, y = split_target(data, args.target, args.data, args.drop, args.categorical)
    check_columns(X)
    check_layer(args.layer, args.hidden)
    check_out_dir(args.out)
    if args.plot:
        check_plotting()
    classification = is_classification(y, args.task)
    model = embed_model(classification, args)
    train, test = held_out_rows(y, classification, args.random_state)
    try:
        model.fit(X.iloc[train], y.iloc[train])
    except (ValueError, TypeError) as exc:
        raise CommandError(f"could not fit the network: {first_line(exc)}") from None
    embeddings = pd.DataFrame(model.transform(X), columns=model.get_feature_names_out())
    held_out = model.score(X.iloc[test], y.iloc[test]) if len(test) else np.nan
    return EmbedReport(
        model=model, X=X, y=y, classification=classification, embeddings=embeddings,
        train_score=model.score(X.iloc[train], y.iloc[train]), held_out_score=held_out,
        n_train=len(train), layer_number=args.layer % len(args.hidden) + 1, out=args.out,
    )


def check_columns(X):
    """The column checks of ``fit`` on every row of the file, not only on the
    training rows: a number column with a stray "?" among the held-out rows
    is reported too."""
    from .._categorical import fit_spec

    try:
        fit_spec(X, "from_dtype", "auto")
    except (ValueError, TypeError) as exc:
        raise CommandError(first_line(exc)) from None


def read_csv(path):
    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        raise CommandError(f"no such file: {path!r}") from None
    except IsADirectoryError:
        raise CommandError(f"{path!r} is a directory, not a CSV file") from None
    except PermissionError:
        raise CommandError(f"permission denied reading {path!r}") from None
    except pd.errors.EmptyDataError:
        raise CommandError(f"{path!r} is empty: no columns to read") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CommandError(f"could not read {path!r} as CSV: {first_line(exc)}") from None


def split_target(data, target, path, drop=(), categorical=()):
    """The feature columns (those named in ``categorical`` cast to
    ``category``) and the target, or a CommandError that says what is wrong."""
    for name in (target, *drop, *categorical):
        if name not in data.columns:
            raise CommandError(f"no column {name!r} in {path!r}{_did_you_mean(name, data)}")
    for name in categorical:
        if name == target:
            raise CommandError(f"--categorical {name!r} is the target: a target is not a feature")
        if name in drop:
            raise CommandError(f"--categorical {name!r} is also dropped (--drop): keep one")
    if len(data) == 0:
        raise CommandError(f"{path!r} has a header but no rows")
    y = data[target]
    X = data.drop(columns=list(dict.fromkeys([target, *drop])))
    X = X.astype({name: "category" for name in categorical})
    if X.shape[1] == 0:
        raise CommandError(f"{path!r} has no feature column besides the target {target!r}"
                           + (" and the dropped ones" if drop else ""))
    if y.isna().any():
        raise CommandError(f"the target column {target!r} has {int(y.isna().sum())} "
                           "missing value(s): fill or drop those rows first")
    return X, y


def _did_you_mean(name, data):
    """'; did you mean ...?' for a near miss, then the columns (a few of them)."""
    columns = [str(c) for c in data.columns]
    close = difflib.get_close_matches(str(name), columns, n=3, cutoff=0.6)
    close += [c for c in columns if c.lower() == str(name).lower() and c not in close]
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    shown = ", ".join(map(repr, columns[:MAX_LISTED_COLUMNS]))
    more = f" and {len(columns) - MAX_LISTED_COLUMNS} more" if len(columns) > MAX_LISTED_COLUMNS else ""
    return f"{hint or '.'} Its {len(columns)} columns: {shown}{more}"


def is_classification(y, task):
    """Whether the target is classes: as asked, or guessed from its values."""
    if task == "regression":
        return False
    if task == "classification":
        n_classes = y.nunique()
        if n_classes >= 20 and n_classes >= MAX_CLASS_SHARE * len(y):
            raise CommandError(
                f"--task classification on a target with {n_classes} distinct values in "
                f"{len(y)} rows: about one row per class. Is it continuous? Use "
                "--task regression (or auto)"
            )
        return True
    if pd.api.types.is_bool_dtype(y) or not pd.api.types.is_numeric_dtype(y):
        return True
    return pd.api.types.is_integer_dtype(y) and y.nunique() <= MAX_INTEGER_CLASSES


def held_out_rows(y, classification, seed):
    """Training and held-out row positions: 80/20 (stratified for classes when
    each class has two rows or more); all rows in training for a small CSV."""
    rows = np.arange(len(y))
    if len(y) < MIN_ROWS_TO_HOLD_OUT:
        return rows, rows[:0]
    stratify = y if classification and y.value_counts().min() >= 2 else None
    return train_test_split(rows, test_size=HELD_OUT, random_state=seed, stratify=stratify)


def check_layer(layer, hidden):
    try:
        check_hidden_index(layer, len(hidden), "--layer")
    except ValueError as exc:
        raise CommandError(str(exc).rstrip(".")) from None


def check_out_dir(out):
    """Fail before fitting, not after, when --out cannot be written."""
    if out is None:
        return
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise CommandError(f"cannot write {out!r}: no such directory {folder!r}")
    if os.path.isdir(out):
        raise CommandError(f"cannot write {out!r}: it is a directory")


def check_plotting():
    """Fail before fitting, not after, when --plot cannot be drawn."""
    try:
        import matplotlib  # noqa: F401

        from .. import plotting  # noqa: F401
    except ImportError:
        raise CommandError(
            '--plot needs matplotlib, which is not installed: pip install "skembed[plot]"'
        ) from None


def embed_model(classification, args):
    """The model for tables, with the command's hidden layers, layer and seed."""
    from .. import EmbeddingMLPClassifier, EmbeddingMLPRegressor

    network_class = EmbeddingMLPClassifier if classification else EmbeddingMLPRegressor
    return network_class(hidden_layer_sizes=args.hidden, embedding_layer=args.layer,
                         random_state=args.random_state)
