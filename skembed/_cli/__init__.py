"""The ``skembed`` command line: ``skembed demo`` and ``skembed embed``.

``skembed demo`` (also ``python -m skembed demo``) tells the house-price story
in the terminal, in a few seconds: a linear model against a network on
synthetic houses, the network's layers, the five houses of
:func:`~skembed.datasets.load_houses` followed layer by layer, what the first
neurons detect and how many detectors ReLU silences.

``skembed embed DATA.csv --target COL`` fits a network on a CSV file and
writes the embeddings of its rows in one hidden layer as CSV.

Each command computes its results in one module (``demo``, ``embed``) and
formats them in another (``text``). Errors in what the user gave (a missing
file, an unknown column, non-numeric data, a layer out of range) print one
line on stderr and exit with status 2; never a traceback.
"""

import argparse
import contextlib
import os
import sys
import warnings

from .embed import CommandError, first_line, hidden_sizes, run_embed
from .text import format_demo, format_embed_summary

__all__ = ["main"]


def _run_demo(args):
    from .demo import run_demo

    print(format_demo(run_demo()))
    return 0


def _run_embed(args):
    with _warnings_as_notes():
        report = run_embed(args)
        _write_embeddings(report.embeddings, args.out)
        print(format_embed_summary(report), file=sys.stderr)
        if args.plot:
            _plot(report, args.plot)
    return 0


@contextlib.contextmanager
def _warnings_as_notes():
    """Warnings raised inside become one-line notes on stderr (no file paths,
    no repeats): a command line reports, it does not show stack frames."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            notes = dict.fromkeys(first_line(w.message) for w in caught)
            for note in notes:
                print(f"skembed embed: note: {note}", file=sys.stderr)


def _write_embeddings(frame, out):
    if out is None:
        frame.to_csv(sys.stdout, index=False)
        return
    try:
        frame.to_csv(out, index=False)
    except OSError as exc:
        raise CommandError(f"could not write {out!r}: {exc.strerror or exc}") from None


def _plot(report, path):
    """Draw the embeddings with skembed.plotting (checked to be there before
    fitting)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plotting import EmbeddingDisplay

    try:
        display = EmbeddingDisplay.from_estimator(report.model, report.X, report.y)
        display.figure_.savefig(path, dpi=100, bbox_inches="tight")
    except (OSError, ValueError, TypeError) as exc:
        raise CommandError(f"could not draw the plot {path!r}: {first_line(exc)}") from None
    finally:
        plt.close("all")


_EMBED_DESCRIPTION = """\
Fit a network on a CSV file and write the embeddings of its rows in one hidden
layer, as CSV with a header hidden{k}_{j} (k: the layer counted from 1, j: the
neuron counted from 0): --layer 0, the first hidden layer, writes hidden1_*.

The network is an EmbeddingMLPRegressor, or an EmbeddingMLPClassifier when the
target is not numeric, is boolean, or holds integers with at most 10 distinct
values (override with --task), with its defaults for tables, on every other
column as pandas reads it: numbers on any scale (missing values allowed), text
and boolean columns as categorical columns, each learned through an embedding
table (a category in fewer than 5 training rows shares the row of unseen
ones). A code stored as whole numbers (a state's number, a firm's id) is
learned as categories too when its values tell the target more than a
function of the number does (categorical_features="auto"); name a column with
--categorical to learn it as categories whatever it tells. Leave columns
out with --drop (an id column, say). It is fitted on 80% of the rows and
scored on the other 20% (all rows below 20); the embeddings of every row are
written."""


def _build_parser():
    from .. import __version__

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
    _add_embed_arguments(embed)
    embed.set_defaults(run=_run_embed)
    return parser


def _add_embed_arguments(embed):
    embed.add_argument("data", metavar="DATA.csv", help="the CSV file, with a header row")
    embed.add_argument("--target", required=True, metavar="COL",
                       help="the column to predict; every other column is a feature")
    embed.add_argument("--layer", type=int, default=-1, metavar="K",
                       help="the hidden layer to write, counted from 0 as embedding_layer "
                            "is (0: the first hidden layer, written as hidden1_*), "
                            "negative from the end (default: -1, the last)")
    embed.add_argument("--drop", nargs="+", default=(), metavar="COL",
                       help="columns to leave out, such as an id column")
    embed.add_argument("--categorical", nargs="+", default=(), metavar="COL",
                       help="columns to learn as categories although they hold "
                            "numbers, such as a state's code")
    embed.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
    embed.add_argument("--plot", metavar="FILE.png",
                       help="also draw the input and every hidden layer, projected "
                            'to 2-D by PCA (needs matplotlib: pip install "skembed[plot]")')
    embed.add_argument("--hidden", type=hidden_sizes, default=(32, 16), metavar="N,N",
                       help="hidden layer widths (default: 32,16)")
    embed.add_argument("--task", choices=["auto", "regression", "classification"],
                       default="auto", help="the kind of target (default: auto)")
    embed.add_argument("--random-state", type=int, default=0, metavar="SEED",
                       help="seed of the held-out split and of the network "
                            "(default: 0)")


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
