"""LossCurveDisplay: the training loss and the validation score."""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skembed import EmbeddingMLPRegressor  # noqa: E402
from skembed.plotting import LossCurveDisplay  # noqa: E402


@pytest.mark.parametrize("name, loss_name, score_name, sign", [
    # the model for tables: target_scaling=True, scoring="loss" (the validation
    # scores are the negative validation loss, drawn as the loss)
    ("regressor", "half squared error, scaled target", "half squared error, scaled target",
     -1),
    # the twin: the raw target, scikit-learn's R²
    ("twin_regressor", "half squared error", "R²", 1),
])
def test_loss_curve_display_with_validation(name, loss_name, score_name, sign, request):
    regressor = request.getfixturevalue(name)
    network = regressor[-1]
    display = LossCurveDisplay.from_estimator(regressor)
    assert display.figure_ is display.ax_.figure
    np.testing.assert_allclose(display.line_.get_ydata(), network.loss_curve_)
    np.testing.assert_array_equal(
        display.line_.get_xdata(), np.arange(1, len(network.loss_curve_) + 1)
    )
    assert display.ax_.get_xlabel() == "Epoch"
    assert display.ax_.get_ylabel() == f"Training loss\n({loss_name})"
    assert display.validation_ax_.get_ylabel() == f"Validation {score_name}"
    assert display.validation_line_ in display.validation_ax_.lines
    np.testing.assert_allclose(display.validation_line_.get_ydata(),
                               sign * np.asarray(network.validation_scores_))
    # the early-stopping mark sits on the best validation epoch
    best = int(np.argmax(network.validation_scores_)) + 1
    marks = [line for line in display.ax_.lines if line is not display.line_]
    assert len(marks) == 1 and marks[0].get_xdata()[0] == best
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert legend == ["training loss", f"validation {score_name}",
                      f"best epoch ({best}): parameters kept"]
    assert display.ax_.get_title() == f"Training curve: {type(network).__name__}"


def test_loss_curve_display_lbfgs_without_validation(classifier):
    display = LossCurveDisplay.from_estimator(classifier)
    assert display.validation_ax_ is None and display.validation_line_ is None
    assert display.ax_.get_xlabel() == "Iteration"
    assert display.ax_.get_ylabel() == "Training loss\n(log-loss)"
    assert len(display.ax_.lines) == 1
    assert len(display.figure_.axes) == 1


def test_loss_curve_display_user_validation_set_is_not_early_stopping(houses):
    X, y = houses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg = EmbeddingMLPRegressor(hidden_layer_sizes=(4,), max_iter=5, early_stopping=False,
                                    random_state=0)
        reg.fit(X[:150], y[:150], X_val=X[150:], y_val=y[150:])
    display = LossCurveDisplay.from_estimator(reg)
    assert display.validation_line_ is not None
    assert len(display.ax_.lines) == 1  # no best-epoch mark without early stopping


def test_loss_curve_display_own_axes_and_log_scale(classifier):
    fig, ax = plt.subplots()
    display = LossCurveDisplay.from_estimator(classifier, ax=ax, yscale="log")
    assert display.ax_ is ax and display.figure_ is fig
    assert ax.get_yscale() == "log"


def test_loss_curve_display_bad_arguments(classifier):
    with pytest.raises(ValueError, match="yscale"):
        LossCurveDisplay.from_estimator(classifier, yscale="symlog")
    _, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="one matplotlib Axes"):
        LossCurveDisplay.from_estimator(classifier, ax=axes)
    with pytest.raises(ValueError, match="empty"):
        LossCurveDisplay([]).plot()
