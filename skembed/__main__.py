"""The ``skembed`` command line: ``skembed demo`` and ``skembed embed``.

``skembed demo`` (also ``python -m skembed demo``) tells the house-price story
in the terminal, in a few seconds: a linear model against a network on
synthetic houses, the network's layers, the five houses of
:func:`~skembed.datasets.load_houses` followed layer by layer, what the first
neurons detect and how many detectors ReLU silences.

``skembed embed DATA.csv --target COL`` fits a network on a CSV file and
writes the embeddings of its rows in one hidden layer as CSV.

Errors in what the user gave (a missing file, an unknown column, non-numeric
data, a layer out of range) print one line on stderr and exit with status 2;
never a traceback.
"""

import argparse
import contextlib
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

__all__ = ["main"]

# --------------------------------------------------------------------------
# skembed demo
# --------------------------------------------------------------------------

# The columns of the five-house table, so that the five houses can be
# followed through the same network that is compared with the linear model.
_DEMO_FEATURES = ["size_sqft", "bedrooms", "age_years"]
_DEMO_SAMPLES = 2000
_DEMO_SEED = 0
# Checked on make_houses(2000, random_state=0): held-out R² about 0.87 for
# the network against 0.80 for LinearRegression, fitted in well under a second.
_DEMO_NETWORK = {
    "hidden_layer_sizes": (32, 16),
    "solver": "adam",
    "learning_rate_init": 0.01,
    "early_stopping": True,
    "max_iter": 300,
    "dtype": "float32",
    "random_state": _DEMO_SEED,
}
_SHOWN_NEURONS = 6
_SHOWN_PATTERNS = 6


def _indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def _table(frame, digits=2, **kwargs):
    return _indent(frame.to_string(float_format=lambda v: f"{v:.{digits}f}", **kwargs))


def _heading(number, title):
    return f"\n{number}. {title}\n" + "-" * (len(title) + len(str(number)) + 2)


def _fit_demo_models():
    """The linear model and the network, each in a StandardScaler Pipeline,
    fitted on the same training houses; and the held-out houses."""
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from . import EmbeddingMLPRegressor
    from .datasets import make_houses

    X, y = make_houses(n_samples=_DEMO_SAMPLES, random_state=_DEMO_SEED)
    X_train, X_test, y_train, y_test = train_test_split(
        X[_DEMO_FEATURES], y, test_size=0.25, random_state=_DEMO_SEED
    )
    linear = make_pipeline(StandardScaler(), LinearRegression()).fit(X_train, y_train)
    network = make_pipeline(StandardScaler(), EmbeddingMLPRegressor(**_DEMO_NETWORK))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a demo prints its own story, not warnings
        network.fit(X_train, y_train)
    return linear, network, (X_train, X_test, y_train, y_test)


def _demo_data_section(split):
    X_train, X_test, _, _ = split
    return "\n".join([
        "skembed demo: a neural network is a sequence of embedding spaces",
        "=" * 64,
        "",
        f"{len(X_train) + len(X_test)} synthetic houses (skembed.datasets.make_houses), "
        "price in $K, described",
        f"by {', '.join(_DEMO_FEATURES)}: the columns of the five-house table.",
        "The price bends where a straight line cannot: a house loses value only",
        "past 30 years of age, and each extra bedroom adds less than the one before.",
        f"Both models are fitted on {len(X_train)} houses and scored on the other "
        f"{len(X_test)}.",
    ])


def _comparison_section(linear, network, split):
    _, X_test, _, y_test = split
    r2_linear = linear.score(X_test, y_test)
    r2_network = network.score(X_test, y_test)
    hidden = ", ".join(str(width) for width in network[-1].hidden_layer_sizes)
    scores = pd.DataFrame(
        {"held-out R²": [r2_linear, r2_network]},
        index=["StandardScaler + LinearRegression",
               f"StandardScaler + EmbeddingMLPRegressor(({hidden}), relu)"],
    )
    left_linear, left_network = 1 - r2_linear, 1 - r2_network
    share = (left_linear - left_network) / left_linear if left_linear > 0 else 0.0
    return "\n".join([
        _heading(1, "A straight line against a network"),
        _table(scores, digits=3),
        "",
        f"    The network leaves {share:.0%} less of the price variance unexplained.",
    ])


def _summary_section(network):
    from .inspection import layer_summary

    return "\n".join([
        _heading(2, "The network, layer by layer"),
        "    Each layer is a linear combination z = a W + b (its I×N weights and N",
        "    biases: N pattern detectors) followed by ReLU, max(0, z).",
        "",
        _table(layer_summary(network), index=False),
    ])


def _five_houses_section(linear, network):
    from .datasets import load_houses

    houses = load_houses()
    X = houses.data[_DEMO_FEATURES]
    names = pd.Index([f"house {i}" for i in range(len(X))])
    net = network[-1]
    inputs = network[:-1].transform(X)
    lines = [
        _heading(3, "The five houses (skembed.datasets.load_houses), layer by layer"),
        "    Each layer moves every house to a new point in a new space.",
        "",
        "    Input: the features as given, then as the network sees them (standardised)",
        _table(X.set_axis(names), digits=0),
        "",
        _table(pd.DataFrame(inputs, index=names, columns=_DEMO_FEATURES)),
    ]
    for k, embedding in enumerate(net.embed(inputs, layer="all"), start=1):
        width = embedding.shape[1]
        shown = min(width, _SHOWN_NEURONS)
        columns = [f"hidden{k}_{j}" for j in range(shown)]
        silenced = int((embedding == 0).sum())
        lines += [
            "",
            f"    Hidden layer {k}: first {shown} of {width} neurons "
            f"({silenced} of {embedding.size} values are 0.00: silenced by ReLU)",
            _table(pd.DataFrame(embedding[:, :shown], index=names, columns=columns)),
        ]
    prices = pd.DataFrame(
        {"listed": houses.target.to_numpy(),
         "linear": linear.predict(X), "network": network.predict(X)},
        index=names,
    )
    lines += [
        "",
        "    Output: the price in $K, as listed and as each model predicts it (the",
        "    five houses come from another market than the synthetic one)",
        _table(prices, digits=1),
    ]
    return "\n".join(lines)


def _patterns_section(network):
    from .inspection import neuron_patterns

    patterns = neuron_patterns(network, layer=0, top=2).head(_SHOWN_PATTERNS)
    patterns.index.name = None
    for column in ("strongest_positive", "strongest_negative"):
        patterns[column] = patterns[column].map(", ".join)
    return "\n".join([
        _heading(4, "What the first neurons detect"),
        "    Weights on the standardised features and the bias: a neuron fires",
        "    (z > 0) on the houses that match its pattern strongly enough.",
        "",
        _table(patterns),
    ])


def _sparsity_section(network, split):
    from .inspection import activation_stats

    _, X_test, _, _ = split
    net = network[-1]
    rows = []
    for k in range(net.n_layers_ - 2):
        stats = activation_stats(network, X_test, layer=k)
        rows.append({
            "layer": stats.attrs["layer"],
            "neurons": len(stats),
            "sparsity": stats.attrs["sparsity"],
            "dead neurons": int(stats["dead"].sum()),
            "always firing": int((stats["fraction_active"] == 1).sum()),
        })
    return "\n".join([
        _heading(5, f"Sparsity on the {len(X_test)} held-out houses"),
        "    sparsity: share of activations that are 0 (detectors silenced by ReLU);",
        "    dead: neurons that fire on no house; always firing: on every house.",
        "",
        _table(pd.DataFrame(rows), index=False),
    ])


def _run_demo(args):
    start = time.perf_counter()
    linear, network, split = _fit_demo_models()
    sections = [
        _demo_data_section(split),
        _comparison_section(linear, network, split),
        _summary_section(network),
        _five_houses_section(linear, network),
        _patterns_section(network),
        _sparsity_section(network, split),
        f"\nDone in {time.perf_counter() - start:.1f} s. Next: skembed embed DATA.csv "
        "--target COLUMN, or\nskembed.inspection and skembed.plotting from Python.",
    ]
    print("\n".join(sections))
    return 0


# --------------------------------------------------------------------------
# skembed embed
# --------------------------------------------------------------------------

# Integer targets with at most this many distinct values are classes.
_MAX_INTEGER_CLASSES = 10
# Up to this many rows L-BFGS on the whole data is quick and needs no
# validation split; beyond, Adam with early stopping.
_LBFGS_MAX_ROWS = 10_000


class CommandError(Exception):
    """A problem with what the user asked for: one line, exit status 2."""


def _hidden_sizes(text):
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


def _read_csv(path):
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
        raise CommandError(f"could not read {path!r} as CSV: {_first_line(exc)}") from None


def _split_target(data, target, path):
    if target not in data.columns:
        columns = ", ".join(repr(str(c)) for c in data.columns)
        raise CommandError(f"no column {target!r} in {path!r}; its columns are {columns}")
    if len(data) == 0:
        raise CommandError(f"{path!r} has a header but no rows")
    y = data[target]
    X = data.drop(columns=[target])
    if X.shape[1] == 0:
        raise CommandError(f"{path!r} has no feature column besides the target {target!r}")
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
    if y.isna().any():
        raise CommandError(f"the target column {target!r} has {int(y.isna().sum())} "
                           "missing value(s): fill or drop those rows first")
    # bool columns as 0/1 numbers: the network learns categorical columns only
    # through its own embedding tables, which the CLI does not use.
    return X.astype(np.float64), y


def _is_classification(y, task):
    if task != "auto":
        return task == "classification"
    if pd.api.types.is_bool_dtype(y) or not pd.api.types.is_numeric_dtype(y):
        return True
    return pd.api.types.is_integer_dtype(y) and y.nunique() <= _MAX_INTEGER_CLASSES


def _check_layer(layer, hidden):
    n_hidden = len(hidden)
    if not -n_hidden <= layer < n_hidden:
        raise CommandError(
            f"--layer {layer} is out of range for {n_hidden} hidden layer(s): "
            f"use an index in [{-n_hidden}, {n_hidden - 1}]"
        )


def _embed_model(classification, args, n_rows):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from . import EmbeddingMLPClassifier, EmbeddingMLPRegressor

    if n_rows <= _LBFGS_MAX_ROWS:
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


@contextlib.contextmanager
def _warnings_as_notes():
    """Warnings raised inside become one-line notes on stderr (no file paths,
    no repeats): a command line reports, it does not show stack frames."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            notes = dict.fromkeys(_first_line(w.message) for w in caught)
            for note in notes:
                print(f"skembed embed: note: {note}", file=sys.stderr)


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _fit(model, X, y):
    try:
        model.fit(X, y)
    except (ValueError, TypeError) as exc:
        raise CommandError(f"could not fit the network: {_first_line(exc)}") from None


def _write_embeddings(frame, out):
    if out is None:
        frame.to_csv(sys.stdout, index=False)
        return
    try:
        frame.to_csv(out, index=False)
    except OSError as exc:
        raise CommandError(f"could not write {out!r}: {exc.strerror or exc}") from None


def _plot(model, X, y, path):
    """Draw the embeddings with skembed.plotting, when it is available."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .plotting import EmbeddingDisplay
    except ImportError:
        print(f"skembed embed: note: plotting is not available (it needs matplotlib and "
              f"skembed.plotting); {path!r} was not written", file=sys.stderr)
        return
    try:
        display = EmbeddingDisplay.from_estimator(model, X, y)
        display.figure_.savefig(path, dpi=100, bbox_inches="tight")
    except (OSError, ValueError, TypeError) as exc:
        raise CommandError(f"could not draw the plot {path!r}: {_first_line(exc)}") from None
    finally:
        plt.close("all")


def _check_out_dir(out):
    """Fail before fitting, not after, when --out cannot be written."""
    if out is None:
        return
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise CommandError(f"cannot write {out!r}: no such directory {folder!r}")
    if os.path.isdir(out):
        raise CommandError(f"cannot write {out!r}: it is a directory")


def _run_embed(args):
    data = _read_csv(args.data)
    X, y = _split_target(data, args.target, args.data)
    _check_layer(args.layer, args.hidden)
    _check_out_dir(args.out)
    classification = _is_classification(y, args.task)
    model = _embed_model(classification, args, len(X))
    with _warnings_as_notes():
        _fit(model, X, y)
        network = model[-1]
        embedding = pd.DataFrame(model.transform(X), columns=network.get_feature_names_out())
        score = model.score(X, y)
        _write_embeddings(embedding, args.out)
        score_name = "training accuracy" if classification else "training R²"
        layer = args.layer % len(args.hidden) + 1
        print(
            f"skembed embed: {type(network).__name__} on {X.shape[1]} feature(s) and "
            f"{len(X)} row(s), {score_name} {score:.3f}; wrote {embedding.shape[1]} "
            f"columns of hidden layer {layer} to {repr(args.out) if args.out else 'stdout'}",
            file=sys.stderr,
        )
        if args.plot:
            _plot(model, X, y, args.plot)
    return 0


# --------------------------------------------------------------------------
# the parser and main
# --------------------------------------------------------------------------

_EMBED_DESCRIPTION = """\
Fit a network on a CSV file and write the embeddings of its rows in one hidden
layer, as CSV with a header hidden{k}_{j} (k: 1-based layer, j: neuron).

The network is an EmbeddingMLPRegressor, or an EmbeddingMLPClassifier when the
target is not numeric, is boolean, or holds integers with at most 10 distinct
values (override with --task), after a StandardScaler, on every other column.
Feature columns must be numeric (booleans count as 0/1) and complete. Up to
10000 rows it trains with L-BFGS (500 iterations), beyond with Adam and early
stopping; dtype float32, seeded by --random-state."""


def _build_parser():
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="skembed",
        description="scikit-learn-compatible neural networks whose embedding "
                    "spaces are first-class.",
    )
    parser.add_argument("--version", action="version", version=f"skembed {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="tell the house-price story in the terminal",
        description="Compare LinearRegression with a network on synthetic houses, "
                    "then look inside the network: its layers, the five houses "
                    "layer by layer, what its neurons detect, how sparse it is.",
    )
    demo.set_defaults(run=_run_demo)

    embed = commands.add_parser(
        "embed", help="fit on a CSV file and write the embeddings of its rows",
        description=_EMBED_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    embed.add_argument("data", metavar="DATA.csv", help="the CSV file, with a header row")
    embed.add_argument("--target", required=True, metavar="COL",
                       help="the column to predict; every other column is a feature")
    embed.add_argument("--layer", type=int, default=-1, metavar="K",
                       help="the hidden layer to write, 0-based, negative from the end "
                            "(as embedding_layer; default: -1, the last)")
    embed.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
    embed.add_argument("--plot", metavar="FILE.png",
                       help="also draw the input and every hidden layer, projected "
                            "to 2-D by PCA (needs matplotlib)")
    embed.add_argument("--hidden", type=_hidden_sizes, default=(32, 16), metavar="N,N",
                       help="hidden layer widths (default: 32,16)")
    embed.add_argument("--task", choices=["auto", "regression", "classification"],
                       default="auto", help="the kind of target (default: auto)")
    embed.add_argument("--random-state", type=int, default=0, metavar="SEED",
                       help="seed of the network's initialisation (default: 0)")
    embed.set_defaults(run=_run_embed)
    return parser


def main(argv=None):
    """Run the ``skembed`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    status : int
        The exit status: 0 on success, 2 for a usage error or bad input
        (with a one-line message on stderr).

    Examples
    --------
    >>> from skembed.__main__ import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    skembed ...
    0
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed the usage, the help or the version
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("skembed: error: choose a command: demo or embed", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except CommandError as exc:
        print(f"skembed {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader of stdout went away (e.g. `| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print(f"skembed {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
