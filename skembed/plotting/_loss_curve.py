"""LossCurveDisplay: the training loss per epoch, and the validation score."""

import numpy as np
from sklearn.base import is_classifier

from ._common import import_pyplot, network_and_input


class LossCurveDisplay:
    """Training loss per epoch, and the validation score when there is one.

    The loss is what gradient descent minimises on the training data; the
    validation score (R² for a regressor, accuracy for a classifier, or with
    ``scoring="loss"`` the validation loss) is measured on held-out data
    after every epoch and drawn on a second y-axis.
    With early stopping, a dotted line marks the best validation epoch, the
    parameters the estimator keeps.

    Create it with :meth:`from_estimator`; the constructor only stores what
    is drawn.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        The training loss of every epoch (every iteration for L-BFGS).
    validation_scores : array-like of shape (n_epochs,), default=None
        The validation score of every epoch, when there is one.
    loss_name : str, default="loss"
        What the loss is, for the y-axis label.
    score_name : str, default="score"
        What the validation score is, for the second y-axis label.
    best_epoch : int, default=None
        The 1-based epoch whose parameters early stopping kept, marked by a
        vertical line. ``None`` draws no mark.
    xlabel : str, default="Epoch"
        ``"Iteration"`` for L-BFGS.
    estimator_name : str, default=None
        Shown in the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The Axes of the loss.
    validation_ax_ : matplotlib Axes or None
        The twin Axes of the validation score, or ``None`` without one.
    figure_ : matplotlib Figure
        The figure.
    line_ : matplotlib Line2D
        The loss curve.
    validation_line_ : matplotlib Line2D or None
        The validation curve.

    See Also
    --------
    skembed.EmbeddingMLPRegressor : ``loss_curve_`` and ``validation_scores_``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skembed import EmbeddingMLPClassifier
    >>> from skembed.datasets import make_xor
    >>> from skembed.plotting import LossCurveDisplay
    >>> X, y = make_xor(400, noise=0.1, random_state=0)
    >>> clf = EmbeddingMLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.01,
    ...                              early_stopping=True, random_state=0).fit(X, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> print(display.ax_.get_ylabel())
    Training loss
    (log-loss)
    >>> display.validation_ax_.get_ylabel()
    'Validation log-loss'
    >>> plt.close(display.figure_)
    """

    def __init__(self, loss_curve, *, validation_scores=None, loss_name="loss",
                 score_name="score", best_epoch=None, xlabel="Epoch", estimator_name=None):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.loss_name = loss_name
        self.score_name = score_name
        self.best_epoch = best_epoch
        self.xlabel = xlabel
        self.estimator_name = estimator_name

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, yscale="linear"):
        """Plot the training history of a fitted network.

        Parameters
        ----------
        estimator : fitted EmbeddingMLPRegressor, EmbeddingMLPClassifier or Pipeline
            The network, or a Pipeline holding it.
        ax : matplotlib Axes, default=None
            Where to draw the loss; the validation score goes on its twin.
            ``None`` creates a figure.
        yscale : {"linear", "log"}, default="linear"
            Scale of the loss axis.

        Returns
        -------
        LossCurveDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skembed import MLPRegressor
        >>> from skembed.datasets import make_houses
        >>> from skembed.plotting import LossCurveDisplay
        >>> X, y = make_houses(300, random_state=0)
        >>> X = X[["size_sqft", "bedrooms", "age_years", "pool"]]
        >>> reg = MLPRegressor(hidden_layer_sizes=(16,), max_iter=20, target_scaling=True,
        ...                    random_state=0)
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # 20 epochs do not converge
        ...     reg = reg.fit(X, y)
        >>> display = LossCurveDisplay.from_estimator(reg, yscale="log")
        >>> len(display.line_.get_xdata()), display.validation_ax_ is None
        (20, True)
        >>> plt.close(display.figure_)
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        network, _ = network_and_input(estimator)
        classifier = is_classifier(network)
        loss_name = "log-loss" if classifier else {
            "squared_error": "half squared error", "poisson": "half Poisson deviance",
        }.get(getattr(network, "loss", None), "loss")
        if not classifier and getattr(network, "target_scaling", False):
            loss_name += ", scaled target"
        scores = network.validation_scores_ or None
        best_epoch = None
        if scores is not None and network.best_loss_ is None:  # it stopped on them
            best_epoch = int(np.argmax(scores)) + 1
        score_name = "accuracy" if classifier else "R²"
        if scores is not None and getattr(network, "scoring", None) == "loss":
            # drawn as the loss it is: the negative of the scores
            scores = [-score for score in scores]
            score_name = "log-loss" if classifier else loss_name
        display = cls(
            network.loss_curve_, validation_scores=scores, loss_name=loss_name,
            score_name=score_name, best_epoch=best_epoch,
            xlabel="Iteration" if network.solver == "lbfgs" else "Epoch",
            estimator_name=type(network).__name__,
        )
        return display.plot(ax=ax, yscale=yscale)

    def plot(self, ax=None, *, yscale="linear"):
        """Draw the loss curve, and the validation curve on a twin y-axis.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw the loss; ``None`` creates a figure.
        yscale : {"linear", "log"}, default="linear"
            Scale of the loss axis.

        Returns
        -------
        LossCurveDisplay
            This display, with ``ax_`` and ``figure_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skembed.plotting import LossCurveDisplay
        >>> display = LossCurveDisplay([0.9, 0.5, 0.3, 0.25],
        ...                            validation_scores=[0.2, 0.6, 0.7, 0.68],
        ...                            score_name="R²", best_epoch=3).plot()
        >>> display.validation_ax_.get_ylabel()
        'Validation R²'
        >>> plt.close(display.figure_)
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        if yscale not in ("linear", "log"):
            raise ValueError(f"yscale={yscale!r} is not understood: use 'linear' or 'log'.")
        loss = np.asarray(self.loss_curve, dtype=float)
        if loss.ndim != 1 or loss.size == 0:
            raise ValueError("loss_curve is empty: the estimator has not trained an epoch.")
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
        elif not isinstance(ax, plt.Axes):
            raise TypeError(f"ax must be one matplotlib Axes, got {type(ax).__name__}.")
        (self.line_,) = ax.plot(np.arange(1, loss.size + 1), loss, color="C0",
                                label="training loss")
        ax.set_yscale(yscale)
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel(f"Training loss\n({self.loss_name})", color="C0")
        ax.tick_params(axis="y", labelcolor="C0")
        ax.set_xlim(0.5, loss.size + 0.5)
        ax.grid(True, alpha=0.3)
        handles = [self.line_, *self._validation(ax)]
        if self.best_epoch is not None:
            handles.append(ax.axvline(
                self.best_epoch, color="0.3", linestyle=":",
                label=f"best {self.xlabel.lower()} ({self.best_epoch}): parameters kept",
            ))
        if len(handles) > 1:
            # below the Axes: inside, it would hide one of the two curves, as
            # "best" placement cannot see the twin Axes' line; anchored at the
            # bottom edge, padded in font sizes: clears the tick labels and the
            # x label whatever the height of the Axes
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                      borderaxespad=3.6, ncols=len(handles), fontsize="small",
                      frameon=False)
        title = "Training curve"
        ax.set_title(f"{title}: {self.estimator_name}" if self.estimator_name else title)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    def _validation(self, ax):
        """Draw the validation curve on a twin y-axis; its handle, if any."""
        self.validation_ax_ = self.validation_line_ = None
        if self.validation_scores is None:
            return []
        scores = np.asarray(self.validation_scores, dtype=float)
        self.validation_ax_ = ax.twinx()
        (self.validation_line_,) = self.validation_ax_.plot(
            np.arange(1, scores.size + 1), scores, color="C1",
            label=f"validation {self.score_name}",
        )
        self.validation_ax_.set_ylabel(f"Validation {self.score_name}", color="C1")
        self.validation_ax_.tick_params(axis="y", labelcolor="C1")
        return [self.validation_line_]

