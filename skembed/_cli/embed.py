"""``skembed embed``, computed: read a CSV, fit a network, embed its rows.

:func:`run_embed` returns an :class:`EmbedReport`; writing the CSV, the
summary line and the plot happen in the command (``skembed._cli``).
Problems with what the user gave raise :class:`CommandError`: one line,
exit status 2.
"""

import argparse
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._reading import check_hidden_index

# Integer targets with at most this many distinct values are classes.
MAX_INTEGER_CLASSES = 10
# Up to this many rows L-BFGS on the whole data is quick and needs no
# validation split; beyond, Adam with early stopping.
LBFGS_MAX_ROWS = 10_000


class CommandError(Exception):
    """A problem with what the user asked for: one line, exit status 2."""


@dataclass
class EmbedReport:
    """What ``skembed embed`` computed."""

    model: object  # the fitted Pipeline
    X: pd.DataFrame
    y: pd.Series
    classification: bool
    embeddings: pd.DataFrame
    train_score: float
    layer_number: int  # 1-based, as in the column names
    out: str = None

    @property
    def network_name(self):
        return type(self.model[-1]).__name__

    @property
    def n_rows(self):
        return len(self.X)

    @property
    def n_features(self):
        return self.X.shape[1]


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
    X, y = split_target(data, args.target, args.data)
    check_layer(args.layer, args.hidden)
    check_out_dir(args.out)
    classification = is_classification(y, args.task)
    model = embed_model(classification, args, len(X))
    try:
        model.fit(X, y)
    except (ValueError, TypeError) as exc:
        raise CommandError(f"could not fit the network: {first_line(exc)}") from None
    network = model[-1]
    embeddings = pd.DataFrame(model.transform(X), columns=network.get_feature_names_out())
    return EmbedReport(
        model=model, X=X, y=y, classification=classification, embeddings=embeddings,
        train_score=model.score(X, y), layer_number=args.layer % len(args.hidden) + 1,
        out=args.out,
    )


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


def split_target(data, target, path):
    """The feature columns and the target, or a CommandError that says what is wrong."""
    if target not in data.columns:
        columns = ", ".join(repr(str(c)) for c in data.columns)
        raise CommandError(f"no column {target!r} in {path!r}; its columns are {columns}")
    if len(data) == 0:
        raise CommandError(f"{path!r} has a header but no rows")
    y = data[target]
    X = data.drop(columns=[target])
    if X.shape[1] == 0:
        raise CommandError(f"{path!r} has no feature column besides the target {target!r}")
    _check_features(X)
    if y.isna().any():
        raise CommandError(f"the target column {target!r} has {int(y.isna().sum())} "
                           "missing value(s): fill or drop those rows first")
    # bool columns as 0/1 numbers: the network learns categorical columns only
    # through its own embedding tables, which the CLI does not use.
    return X.astype(np.float64), y


def _check_features(X):
    non_numeric = [
        str(c) for c in X.columns
        if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))
    ]
    if non_numeric:
        raise CommandError(
            "non-numeric feature column(s) " + ", ".join(map(repr, non_numeric))
            + ": skembed embed fits on numeric columns only; encode or drop them first"
        )
    missing = [str(c) for c in X.columns if X[c].isna().any()]
    if missing:
        raise CommandError(
            "missing values in feature column(s) " + ", ".join(map(repr, missing))
            + ": fill or drop them first"
        )


def is_classification(y, task):
    if task != "auto":
        return task == "classification"
    if pd.api.types.is_bool_dtype(y) or not pd.api.types.is_numeric_dtype(y):
        return True
    return pd.api.types.is_integer_dtype(y) and y.nunique() <= MAX_INTEGER_CLASSES


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


def embed_model(classification, args, n_rows):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .. import EmbeddingMLPClassifier, EmbeddingMLPRegressor

    if n_rows <= LBFGS_MAX_ROWS:
        solver = {"solver": "lbfgs", "max_iter": 500}
    else:
        solver = {"solver": "adam", "learning_rate_init": 0.01, "early_stopping": True,
                  "max_iter": 200}
    network_class = EmbeddingMLPClassifier if classification else EmbeddingMLPRegressor
    network = network_class(
        hidden_layer_sizes=args.hidden, embedding_layer=args.layer,
        categorical_features=None, dtype="float32", random_state=args.random_state,
        **solver,
    )
    return make_pipeline(StandardScaler(), network)
