"""Why each default of the model for tables: one default at a time set back to scikit-learn's.

``EmbeddingMLPRegressor`` / ``EmbeddingMLPClassifier`` differ from
scikit-learn's MLP (and from skembed's twins, which keep its defaults) in a
list of defaults. This benchmark finds that list by comparing the two
families' ``get_params()``, then fits, on the development tables of
``bench_realdata.py`` (same loaders, same seeded 80/20 splits, one thread):

- ``defaults``: the estimator as it ships;
- one variant per differing default, with that one parameter set back to
  the twins' value and everything else left as it ships.

A variant whose error is higher than ``defaults`` is what that default buys;
a variant whose fit is longer, what it saves. Parameters that only one of the
two estimators has (``target_scaling``, ``label_smoothing``) are varied on
the tables of that estimator's task.

Behaviour that is not a parameter is measured the same way, as an ablation:

- ``tail_clipped_at_3``: the numeric embedding's value channel smooth-clipped
  at 3, as ``numeric_scaling="robust"`` clips the number, instead of at each
  column's own bound (3 times its 99th-percentile distance from the median),
  which keeps a long tail nearly linear. Done by making
  ``skembed._input_layer.tail_bound`` return 3 in the worker, which gives
  the value channel exactly the robust-scaled number.
- ``codes_at_min_frequency``: the numeric columns that
  ``categorical_features="auto"`` reads as codes held to ``min_frequency``
  (5) like any categorical column, in the pick's leave-one-out errors and in
  their tables, instead of to ``CODE_MIN_FREQUENCY`` (3) rows. Done by
  setting ``skembed._categorical.CODE_MIN_FREQUENCY`` past any threshold.

Install and run::

    pip install -e ".[bench]"
    python benchmarks/bench_defaults.py --quick      # a smoke run, seconds
    python benchmarks/bench_defaults.py --out benchmarks/results/defaults.md

``--tables`` runs other tables of ``bench_realdata.py`` (those outside the
development set too), ``--only`` one default or a few (``--only none``: the
shipped defaults alone, against the ``--try`` variants), and ``--try`` other
values than the twins': ``--try alpha=0.5 "alpha=0.5 weight_averaging=None"``
adds one variant per argument, each on the tables of the task whose estimator
has every parameter it names. Each variant's row counts the tables where its
error is more than 1 % below or above the shipped defaults'.
"""

import argparse
import ast
import importlib
import os
import re
import shlex
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_realdata as realdata  # noqa: E402

DEVELOPMENT = ["concrete", "hmda", "stackoverflow", "taxi", "hotel_rates", "diamonds", "cpssw8"]


def differing_defaults():
    """``{name: (shipped, twin's)}`` for each default that differs, per task."""
    from skembed import (
        EmbeddingMLPClassifier,
        EmbeddingMLPRegressor,
        MLPClassifier,
        MLPRegressor,
    )

    pairs = {"regression": (EmbeddingMLPRegressor(), MLPRegressor()),
             "classification": (EmbeddingMLPClassifier(), MLPClassifier())}
    out = {}
    for task, (table_model, twin) in pairs.items():
        ours, theirs = table_model.get_params(), twin.get_params()
        out[task] = {name: (ours[name], theirs[name]) for name in ours
                     if _differs(ours[name], theirs[name])}
    return out


def _differs(a, b):
    return type(a) is not type(b) or np.any(np.asarray(a, dtype=object) != np.asarray(b, dtype=object))


def variants(defaults, tries=()):
    """``[(label, {task: overrides or None})]``: the shipped defaults, then each
    differing default set back (None where that task has no such default),
    the ablations, then each ``--try`` variant."""
    names = sorted({name for per_task in defaults.values() for name in per_task})
    out = [("defaults", {task: {} for task in defaults})]
    for name in names:
        twin_value = next(per_task[name][1] for per_task in defaults.values() if name in per_task)
        overrides = {task: ({name: per_task[name][1]} if name in per_task else None)
                     for task, per_task in defaults.items()}
        out.append((f"{name}={twin_value!r}", overrides))
    out += [(label, {task: {} for task in defaults}) for label in ABLATIONS]
    for label, overrides in tries:
        out.append((label, {task: overrides if set(overrides) <= _parameters(task) else None
                            for task in defaults}))
    return out


def _parameters(task):
    from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor

    model = EmbeddingMLPClassifier if task == "classification" else EmbeddingMLPRegressor
    return set(model().get_params())


def parse_try(text):
    """``"alpha=0.5 weight_averaging=None"`` -> ``(label, {name: value})``."""
    overrides = {}
    for item in text.replace(",", " ").split():
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise argparse.ArgumentTypeError(f"--try wants NAME=VALUE, got {item!r}")
        try:
            overrides[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            overrides[name] = value  # a bare word: a string option such as "standard"
    if not overrides:
        raise argparse.ArgumentTypeError("--try wants NAME=VALUE, got nothing")
    return " ".join(f"{k}={v!r}" for k, v in overrides.items()), overrides


def _tail_clipped_at_3(distance, weights):
    return 3.0


# behaviour that is not a parameter: (module, attribute, replacement)
ABLATIONS = {
    "tail_clipped_at_3": ("skembed._input_layer", "tail_bound", _tail_clipped_at_3),
    "codes_at_min_frequency": ("skembed._categorical", "CODE_MIN_FREQUENCY", sys.maxsize),
}


def run_one(job):
    """One (variant, table, seed): primary error and fit seconds."""
    label, overrides, table, seed, max_train = job
    if label in ABLATIONS:
        module_name, name, replacement = ABLATIONS[label]
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        setattr(module, name, replacement)
        try:
            return _run_one(label, overrides, table, seed, max_train)
        finally:
            setattr(module, name, original)
    return _run_one(label, overrides, table, seed, max_train)


def _run_one(label, overrides, table, seed, max_train):
    from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor

    X, y, task = realdata.load_table(table)
    train, test = realdata.split_rows(table, seed, max_train)
    params = dict(overrides)
    if task == "classification":
        model = EmbeddingMLPClassifier(random_state=seed, **params)
    else:
        model = EmbeddingMLPRegressor(loss=realdata._loss(task), random_state=seed, **params)
    try:
        metrics = realdata.fit_and_score(task, model, X.iloc[train], y[train],
                                         X.iloc[test], y[test])
    except Exception as error:  # a default set back may fail outright: that is a result
        return label, table, seed, np.nan, np.nan, f"{type(error).__name__}: {error}"[:300]
    return label, table, seed, metrics[realdata.PRIMARY[task]], metrics["fit s"], ""


def plan(args):
    defaults = differing_defaults()
    jobs = []
    tried = {label for label, _ in args.tries}
    for label, per_task in variants(defaults, args.tries):
        if (args.only and label not in tried and label != "defaults"
                and label.split("=")[0] not in args.only):
            continue
        for table in args.tables:
            task = "classification" if realdata.TABLES[table].task == "classification" \
                else "regression"
            overrides = per_task[task]
            if overrides is None:
                continue
            for seed in range(args.seeds):
                jobs.append((label, overrides, table, seed, args.max_train))
    return defaults, jobs


def report(defaults, results, args):
    """A markdown table: mean error per table and total fit seconds per variant."""
    labels = list(dict.fromkeys(r[0] for r in results))
    which = ", ".join(f"`{name}`" for name in args.only) if args.only else "each default"
    title = f"{which} of EmbeddingMLP* set back to scikit-learn's"
    if args.only == ["none"]:
        title = "the shipped defaults"
    elif args.only and all(name in ABLATIONS for name in args.only):
        title = f"ablation {which} of EmbeddingMLP* (see the script's docstring)"
    if args.tries:
        title += ", and " + ", ".join(f"`{label}`" for label, _ in args.tries)
    lines = [f"# bench_defaults: {title}",
             "", f"Seeds 0-{args.seeds - 1}, 80/20 splits, one thread. Primary error: "
             "1 - R² (regression), 1 - accuracy (classification); mean over the seeds. "
             "Fit: seconds summed over the tables, mean over the seeds.", "",
             "Differing defaults (shipped, scikit-learn's):", ""]
    for task, per_task in defaults.items():
        shown = ", ".join(f"`{k}`: {v[0]!r} vs {v[1]!r}" for k, v in per_task.items())
        lines.append(f"- {task}: {shown}")
    lines += ["", "| variant | " + " | ".join(args.tables) + " | fit s | lower | higher |",
              "|---" * (len(args.tables) + 4) + "|"]
    failures = []
    means = {}
    for label in labels:
        cells, fit, notes = [], 0.0, set()
        for table in args.tables:
            rows = [r for r in results if r[0] == label and r[1] == table]
            if not rows:
                cells.append("")
                continue
            errors = [r[3] for r in rows]
            cells.append("failed" if np.isnan(errors).all() else f"{np.nanmean(errors):.4f}")
            if not np.isnan(errors).all():
                means[label, table] = np.nanmean(errors)
            fit += np.nanmean([r[4] for r in rows]) if not np.isnan(errors).all() else 0.0
            notes.update((_kind(r[5]), table) for r in rows if r[5])
        lower, higher = _against_defaults(means, label, args.tables)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {fit:.1f} | {lower} | {higher} |")
        if notes:
            failures.append(f"- {label}: {_notes(notes)}")
    if failures:
        lines += ["", "Failed fits (the variant refuses the table):", "", *failures]
    lines += ["", "Command: `python benchmarks/bench_defaults.py "
              + shlex.join(sys.argv[1:]) + "`", ""]
    return "\n".join(lines)


def _against_defaults(means, label, tables):
    """How many tables ``label``'s mean error is more than 1 % below and above
    the shipped defaults' (blank for the defaults' own row)."""
    if label == "defaults":
        return "", ""
    pairs = [(means[label, t], means["defaults", t]) for t in tables
             if (label, t) in means and ("defaults", t) in means]
    lower = sum(ours < 0.99 * base for ours, base in pairs)
    higher = sum(ours > 1.01 * base for ours, base in pairs)
    return str(lower), str(higher)


def _kind(message):
    """An error message without its specifics (the column names), to group tables."""
    return re.sub(r"\[[^\]]*\]?", "[...]", message).split(";")[0].strip()


def _notes(notes):
    by_kind = {}
    for kind, table in sorted(notes):
        by_kind.setdefault(kind, []).append(table)
    return "; ".join(f"{', '.join(tables)}: {kind}" for kind, tables in by_kind.items())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=DEVELOPMENT, choices=list(realdata.TABLES))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    parser.add_argument("--max-train", type=int, default=None,
                        help="subsample each training split to this many rows")
    parser.add_argument("--quick", action="store_true",
                        help="two small tables, one seed, 500 training rows")
    parser.add_argument("--only", nargs="+", metavar="PARAMETER",
                        help="set back only these defaults, or run only these ablations "
                        f"({', '.join(ABLATIONS)}), and run the shipped ones; 'none': "
                        "only the shipped ones (and the --try variants)")
    parser.add_argument("--try", dest="tries", nargs="+", type=parse_try, default=[],
                        metavar="NAME=VALUE",
                        help="also run these values (one variant per argument; "
                        "several NAME=VALUE in one argument, space-separated, go together)")
    parser.add_argument("--out", help="write the markdown report here too")
    args = parser.parse_args(argv)
    if args.quick:
        args.tables, args.seeds, args.max_train = ["concrete", "hmda"], 1, 500
    return args


def main(argv=None):
    args = parse_args(argv)
    defaults, jobs = plan(args)
    # the slow tables first, so that the workers finish together
    jobs.sort(key=lambda job: -DEVELOPMENT.index(job[2]) if job[2] in DEVELOPMENT else 0)
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn"),
                             initializer=realdata._one_thread_worker) as pool:
        results = list(pool.map(run_one, jobs))
    text = report(defaults, results, args)
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
