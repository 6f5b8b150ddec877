"""The linear start (``linear_start``): a network that begins as a linear model.

Before the first epoch, a linear model of the input embedding is fitted in
closed form (a ridge regression, its penalty chosen by generalised
cross-validation; a logistic regression for a classifier) on the training
rows, and the network is set to compute exactly it: the fit goes into the
skip connection and the output bias, and the output layer's weights are set
to zero, so that the hidden layers add nothing until training gives them a
part. The L2 penalty then pulls the skip weights toward this fit instead of
toward zero (``Network.skip_anchor``): the linear part shrinks toward a model
that generalises, and the hidden layers learn what it misses.

The linear model reads the plain part of the input embedding: each numeric
column's scaled value, the missing-value indicators and the categories'
embeddings. The numeric embeddings' learned functions are left out: they
start as random functions of the column, and a linear model of them would be
a random piecewise-linear fit.
"""

import numpy as np

from ._inference import chunk_rows, infer

# the linear model is fitted on at most this many training rows, evenly spaced:
# enough for a few hundred coefficients, and a bounded copy of large data
START_ROWS = 10_000
# the ridge penalties that generalised cross-validation chooses from, on the
# scaled inputs and the standardised target
RIDGE_ALPHAS = np.logspace(-2, 4, 13)
# the logistic regression's inverse penalty: scikit-learn's default
LOGISTIC_C = 1.0


def plain_columns(layout):
    """The columns of the input embedding the linear model reads: each numeric
    column's value channel, the missing-value indicators and the tables."""
    emb = layout.numeric_embedding
    if emb is None:
        return None
    keep = np.ones(layout.layer_sizes[0], dtype=bool)
    keep[: layout.numeric_width] = False
    keep[0 : layout.numeric_width : emb.width] = True
    return keep


def start_at_linear_fit(network, inputs, targets, sample_weight, classifier):
    """Set ``network`` to a linear model of its input embedding fitted on
    ``inputs`` and the encoded ``targets`` (at most ``START_ROWS`` of them,
    evenly spaced); anchor its skip weights there."""
    from sklearn.linear_model import RidgeCV

    views = network.views
    if len(inputs) > START_ROWS:
        sample = np.linspace(0, len(inputs) - 1, START_ROWS).astype(np.intp)
        inputs, targets = inputs.rows(sample), targets[sample]
        sample_weight = None if sample_weight is None else sample_weight[sample]
    keep = plain_columns(network.layout)
    X = _plain_inputs(network, inputs, keep)
    targets = np.asarray(targets, dtype=np.float64)
    if classifier:
        coef, intercept = _logistic(X, targets, sample_weight, network.out_activation)
    else:
        model = RidgeCV(alphas=RIDGE_ALPHAS).fit(X, targets, sample_weight=sample_weight)
        coef = np.atleast_2d(model.coef_)
        intercept = np.atleast_1d(model.intercept_)
    if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
        return  # nothing to start from: the network keeps its initial weights
    skip = views.skip
    if keep is None:
        skip[...] = coef.T
    else:
        skip[...] = 0.0
        skip[keep] = coef.T
    views.coefs[-1][...] = 0.0
    views.intercepts[-1][...] = intercept
    network.skip_anchor = skip.ravel().copy()


def _plain_inputs(network, inputs, keep):
    """The ``keep`` columns of the input embedding of ``inputs``, in float64,
    computed a chunk of rows at a time (the numeric embeddings are wide)."""
    if inputs.sparse:  # the scaled columns themselves
        return infer(network, inputs, "input").astype(np.float64).tocsr()
    n = len(inputs)
    width = network.layout.layer_sizes[0] if keep is None else int(keep.sum())
    X = np.empty((n, width))
    step = chunk_rows(network)
    for start in range(0, n, step):
        block = infer(network, inputs.rows(np.arange(start, min(n, start + step))), "input")
        X[start : start + step] = block if keep is None else block[:, keep]
    return X


def _logistic(X, targets, sample_weight, out_activation):
    """Coefficients (n_outputs, n_features) and intercepts of logistic
    regressions of the encoded classes: one multinomial model for a softmax
    output, one binary model per column for logistic outputs."""
    from sklearn.linear_model import LogisticRegression

    if out_activation == "softmax":
        model = LogisticRegression(C=LOGISTIC_C, max_iter=1000)
        model.fit(X, targets.argmax(axis=1), sample_weight=sample_weight)
        if model.coef_.shape[0] != targets.shape[1]:  # a class absent from the rows
            return np.full((1, 1), np.nan), np.full(1, np.nan)
        return model.coef_, model.intercept_
    coefs, intercepts = [], []
    for column in targets.T:
        labels = column > 0.5
        if labels.all() or not labels.any():  # one class: no logistic fit
            return np.full((1, 1), np.nan), np.full(1, np.nan)
        model = LogisticRegression(C=LOGISTIC_C, max_iter=1000)
        model.fit(X, labels, sample_weight=sample_weight)
        coefs.append(model.coef_[0])
        intercepts.append(model.intercept_[0])
    return np.array(coefs), np.array(intercepts)
