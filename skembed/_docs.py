"""The estimators' docstrings, assembled from parts written once.

Every estimator's docstring is its own introduction, the "Parameters"
section built from its signature (:func:`skembed._parameters.parameters_doc`),
the "Attributes" section its task shares, and its own "See Also" and
"Examples".
"""

from ._parameters import parameters_doc

_COMMON_ATTRIBUTES = """\
    coefs_ : list of ndarray
        Weight matrix of each layer, views into one flat parameter vector.
    intercepts_ : list of ndarray
        Bias vector of each layer.
    loss_ : float
        {loss} of the last epoch or iteration.
    best_loss_ : float or None
        Lowest training loss (``None`` with early stopping).
    loss_curve_ : list of float
        Loss of every epoch (every iteration for lbfgs).
    validation_scores_ : list of float or None
        {metric} on the validation data at every epoch, when there is one
        (with ``scoring="loss"``, the negative validation loss).
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    n_iter_ : int
        Epochs (iterations for lbfgs) run.
    t_ : int
        Training samples seen by the solver.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        {out_activation}
    layer_sizes_ : list of int
        Width of every layer, the input embedding first.
    categorical_embeddings_ : dict
        Column name to DataFrame of learned category vectors.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen in ``fit``, when X had string column names.
"""

ATTRIBUTES = {
    "regressor": _COMMON_ATTRIBUTES.format(
        loss="Loss", metric="R²",
        out_activation='``"identity"``, or ``"exp"`` for the Poisson loss.',
    ),
    "classifier": """\
    classes_ : ndarray or list of ndarray
        Class labels.
""" + _COMMON_ATTRIBUTES.format(
        loss="Log-loss", metric="Accuracy", out_activation='``"logistic"`` or ``"softmax"``.',
    ),
}


def compose(intro, signature, attributes, rest):
    """A class docstring: introduction, Parameters, Attributes, the rest."""
    return (intro + parameters_doc(signature) + "\n    Attributes\n    ----------\n"
            + attributes + rest)


_PARTIAL_FIT = """Update the model with one epoch over the given data.

        Only for the stochastic solvers (``"sgd"``, ``"adam"``). The optimizer's
        state is kept between calls, so data that does not fit in memory can be
        learned chunk by chunk.

        Parameters
        ----------
        X : {{array-like, DataFrame}} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, {outputs})
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the loss.
{classes}
        Returns
        -------
        self : object
            The updated estimator.
        """

_CLASSES = """\
        classes : array of shape (n_classes,), default=None
            Every class that can occur. Required on the first call (it cannot
            be inferred from one chunk); ignored afterwards.
"""

PARTIAL_FIT = {
    "regressor": _PARTIAL_FIT.format(outputs="n_outputs", classes=""),
    "classifier": _PARTIAL_FIT.format(outputs="n_labels", classes=_CLASSES),
}


def documented(doc):
    """A decorator that gives a function the docstring ``doc`` (one written
    once for several methods), before other decorators copy it."""

    def decorate(function):
        function.__doc__ = doc
        return function

    return decorate
