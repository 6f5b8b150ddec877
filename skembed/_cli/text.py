"""The command line's reports as text: formatting only, no computing."""

from .demo import FEATURES, SHOWN_NEURONS


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def table(frame, digits=2, **kwargs):
    return indent(frame.to_string(float_format=lambda v: f"{v:.{digits}f}", **kwargs))


def heading(number, title):
    return f"\n{number}. {title}\n" + "-" * (len(title) + len(str(number)) + 2)


def format_demo(report):
    """The whole demo, as printed by ``skembed demo``."""
    return "\n".join([
        _data(report),
        _comparison(report),
        _layers(report),
        _houses(report),
        _patterns(report),
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
        "price in $K, described",
        f"by {', '.join(FEATURES)}: the columns of the five-house table.",
        "The price bends where a straight line cannot: a house loses value only",
        "past 30 years of age, and each extra bedroom adds less than the one before.",
        f"Both models are fitted on {report.n_train} houses and scored on the other "
        f"{report.n_test}.",
    ])


def _comparison(report):
    r2_linear, r2_network = report.scores.iloc[:, 0]
    left_linear, left_network = 1 - r2_linear, 1 - r2_network
    share = (left_linear - left_network) / left_linear if left_linear > 0 else 0.0
    return "\n".join([
        heading(1, "A straight line against a network"),
        table(report.scores, digits=3),
        "",
        f"    The network leaves {share:.0%} less of the price variance unexplained.",
    ])


def _layers(report):
    return "\n".join([
        heading(2, "The network, layer by layer"),
        "    Each layer is a linear combination z = a W + b (its I×N weights and N",
        "    biases: N pattern detectors) followed by ReLU, max(0, z).",
        "",
        table(report.layers, index=False),
    ])


def _houses(report):
    lines = [
        heading(3, "The five houses (skembed.datasets.load_houses), layer by layer"),
        "    Each layer moves every house to a new point in a new space.",
        "",
        "    Input: the features as given, then as the network sees them (standardised)",
        table(report.houses, digits=0),
        "",
        table(report.houses_input),
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
        "    Output: the price in $K, as listed and as each model predicts it (the",
        "    five houses come from another market than the synthetic one)",
        table(report.prices, digits=1),
    ]
    return "\n".join(lines)


def _patterns(report):
    patterns = report.patterns.copy()
    for column in ("strongest_positive", "strongest_negative"):
        patterns[column] = patterns[column].map(", ".join)
    return "\n".join([
        heading(4, "What the first neurons detect"),
        "    Weights on the standardised features and the bias: a neuron fires",
        "    (z > 0) on the houses that match its pattern strongly enough.",
        "",
        table(patterns),
    ])


def _sparsity(report):
    return "\n".join([
        heading(5, f"Sparsity on the {report.n_test} held-out houses"),
        "    sparsity: share of activations that are 0 (detectors silenced by ReLU);",
        "    dead: neurons that fire on no house; always firing: on every house.",
        "",
        table(report.sparsity, index=False),
    ])


def format_embed_summary(report):
    """The one line ``skembed embed`` prints on stderr after fitting."""
    score_name = "training accuracy" if report.classification else "training R²"
    where = repr(report.out) if report.out else "stdout"
    return (
        f"skembed embed: {report.network_name} on {report.n_features} feature(s) and "
        f"{report.n_rows} row(s), {score_name} {report.train_score:.3f}; wrote "
        f"{report.embeddings.shape[1]} columns of hidden layer {report.layer_number} to {where}"
    )
