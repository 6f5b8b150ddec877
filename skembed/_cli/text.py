"""The command line's reports as text: formatting only, no computing."""

import textwrap

from .demo import SHOWN_DEAD, SHOWN_NEURONS


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def table(frame, digits=2, **kwargs):
    return indent(frame.to_string(float_format=lambda v: f"{v:.{digits}f}", **kwargs))


def paragraph(text, width=80):
    """``text`` wrapped to ``width`` columns, indented as the tables are."""
    return textwrap.fill(text, width, initial_indent="    ", subsequent_indent="    ")


def heading(number, title):
    return f"\n{number}. {title}\n" + "-" * (len(title) + len(str(number)) + 2)


def format_demo(report):
    """The whole demo, as printed by ``skembed demo``."""
    return "\n".join([
        _data(report),
        _comparison(report),
        _layers(report),
        _learned(report),
        _houses(report),
        _sparsity(report),
        f"\nDone in {report.seconds:.1f} s. Next: skembed embed DATA.csv --target COLUMN, "
        "or\nskembed.inspection and skembed.plotting from Python.",
    ])


def _data(report):
    return "\n".join([
        "skembed demo: a neural network is a sequence of embedding spaces",
        "=" * 64,
        "",
        f"{report.n_train + report.n_test} synthetic houses (skembed.datasets.make_houses), "
        "price in $K. The table",
        "as a user has it: numbers on their own scales and two categorical columns.",
        "",
        table(report.columns),
        "",
        "The price bends where a straight line cannot: a house loses value only past",
        "30 years of age, a pool adds $450K only to a large house in a hot climate,",
        "and each neighbourhood has its own price level. Every model is fitted on",
        f"{report.n_train} houses and scored on the other {report.n_test}.",
    ])


def _comparison(report):
    scores = report.scores
    return "\n".join([
        heading(1, "A straight line, gradient boosting and a network"),
        table(scores, digits=3),
        "",
        "    The network reads the table as it is: no scaler, no encoder. It leaves "
        f"{_share_left(scores):.0%}",
        "    less of the price variance unexplained than the linear model.",
    ])


def _share_left(scores):
    left_linear = 1 - scores.loc["linear", "held-out R²"]
    left_network = 1 - scores.loc["network", "held-out R²"]
    return (left_linear - left_network) / left_linear if left_linear > 0 else 0.0


def _layers(report):
    return "\n".join([
        heading(2, "The network, layer by layer"),
        "    The input layer embeds each column: a number becomes its scaled value and",
        "    8 learned functions of it, a category a row of a learned table. Then each",
        "    layer is a linear combination z = a W + b (its I×N weights and N biases:",
        "    N pattern detectors) followed by ReLU, max(0, z).",
        *_skip_line(report.layers),
        "",
        table(report.layers, index=False),
    ])


def _skip_line(layers):
    if "skip" not in set(layers["layer"]):
        return []
    return ["    The skip row is a linear map from the input embedding straight to the",
            "    output, beside the hidden layers: a linear model inside the network."]


def _learned(report):
    ages = report.ages
    linear, network = "linear", "network"
    return "\n".join([
        heading(3, "What the network learned"),
        "    House 0 below, priced at every age, all else unchanged ($K):",
        table(ages, digits=0),
        "",
        paragraph(
            "From 0 to 30 years the network's price moves by "
            f"{ages.loc[30, network] - ages.loc[0, network]:+.0f}K, from 30 to 100 by "
            f"{ages.loc[100, network] - ages.loc[30, network]:+.0f}K: it found the hinge "
            "at 30. The linear model can only tilt one line: "
            f"{ages.loc[30, linear] - ages.loc[0, linear]:+.0f}K, then "
            f"{ages.loc[100, linear] - ages.loc[30, linear]:+.0f}K."),
        "",
        paragraph(
            "The same house moved to each of the 20 neighbourhoods: the network's price "
            "follows the neighbourhood's true price level with correlation "
            f"{report.neighbourhoods:.3f}, learned from the prices alone into the "
            "neighbourhood's embedding."),
    ])


def _houses(report):
    prices = report.prices
    errors = prices.drop(columns="listed").sub(prices["listed"], axis=0).abs()
    worst = errors["linear"].idxmax()
    lines = [
        heading(4, "Five held-out houses, layer by layer"),
        "    Each layer moves every house to a new point in a new space.",
        "",
        table(report.houses, digits=0),
    ]
    for k, embedding in enumerate(report.houses_hidden, start=1):
        width = embedding.shape[1]
        shown = min(width, SHOWN_NEURONS)
        silenced = int((embedding.to_numpy() == 0).sum())
        lines += [
            "",
            f"    Hidden layer {k}: first {shown} of {width} neurons "
            f"({silenced} of {embedding.size} values are 0.00: silenced by ReLU)",
            table(embedding.iloc[:, :shown]),
        ]
    lines += [
        "",
        "    Output: the price in $K, as listed and as each model predicts it",
        table(prices, digits=0),
        "",
        "    Mean error on these houses ($K): " + ", ".join(
            f"{name} {error:.0f}" for name, error in errors.mean().items()) + ".",
        f"    The linear model is furthest off on {worst}: by "
        f"{errors.loc[worst, 'linear']:.0f}K, the network by "
        f"{errors.loc[worst, 'network']:.0f}K.",
        "    A slope per column cannot price what columns do together (size",
        "    depreciating with age, a pool only in a hot climate).",
    ]
    return "\n".join(lines)


def _sparsity(report):
    lines = [
        heading(5, f"Sparsity on the {report.n_test} held-out houses"),
        "    sparsity: share of activations that are 0 (detectors silenced by ReLU);",
        "    dead: neurons that fire on no house; always firing: on every house.",
        "",
        table(report.sparsity, index=False),
    ]
    for layer, names in report.dead.items():
        if names:
            more = f" and {len(names) - SHOWN_DEAD} more" if len(names) > SHOWN_DEAD else ""
            lines.append(paragraph(
                f"Dead in {layer}: {', '.join(names[:SHOWN_DEAD])}{more}: silent on "
                "every house, they add nothing to any prediction."))
    return "\n".join(lines)


def format_embed_summary(report):
    """The lines ``skembed embed`` prints on stderr after fitting."""
    metric = "accuracy" if report.classification else "R²"
    where = repr(report.out) if report.out else "stdout"
    codes = report.numeric_codes
    codes = f"; of them codes stored as numbers: {', '.join(codes)}" if codes else ""
    categorical = (f" ({report.n_categorical} categorical, learned as embeddings{codes})"
                   if report.n_categorical else "")
    if report.n_train < report.n_rows:
        scores = (f"{metric} {report.train_score:.3f} on the {report.n_train} training rows, "
                  f"{report.held_out_score:.3f} on the {report.n_rows - report.n_train} "
                  "held-out rows")
    else:
        scores = (f"{metric} {report.train_score:.3f} on all {report.n_rows} rows (too few "
                  "to hold some out)")
    return (
        f"skembed embed: {report.network_name} on {report.n_features} feature(s)"
        f"{categorical}; {scores}.\n"
        f"skembed embed: wrote {report.embeddings.shape[1]} columns of hidden layer "
        f"{report.layer_number} for {report.n_rows} rows to {where}"
    )
