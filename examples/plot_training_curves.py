"""
==================================
Training curves and early stopping
==================================

Training is gradient descent on a loss: each *epoch* passes over the training
data once, in mini-batches; for each batch, backpropagation computes how the
loss changes with every weight and bias, and the optimizer moves them a small
step downhill. ``loss_curve_`` records the training loss after each epoch.

The training loss keeps falling for as long as we train. What we care about
is the error on new data, which falls, bottoms out, and rises again once the
network starts to memorise the noise of its training set (overfitting). A
validation set, held out from training, shows where that happens; early
stopping stops there and keeps the best parameters seen.
"""

# %%
# A small, noisy problem and a large network
# ------------------------------------------
# 280 houses to train on, prices with a lot of noise, and two wide hidden
# layers: a network that can memorise its training set. The network is
# :class:`~skembed.MLPRegressor`, skembed's twin of scikit-learn's, on
# standardised features; ``target_scaling=True`` standardises the prices
# inside it (``predict`` still answers in $K).

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_training_curves.png"
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skembed import MLPRegressor
from skembed.datasets import make_houses
from skembed.plotting import LossCurveDisplay

X, y = make_houses(400, noise=150, random_state=0)
X = X[["size_sqft", "bedrooms", "age_years", "pool"]]
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

params = dict(hidden_layer_sizes=(256, 128), learning_rate_init=0.003, alpha=0.0,
              target_scaling=True, random_state=0)

# %%
# Training for a fixed number of epochs
# -------------------------------------
# ``fit(..., X_val=, y_val=)`` scores the validation set after every epoch
# into ``validation_scores_`` (R² for a regressor, with the twins' default
# ``scoring=None``). Without ``early_stopping`` the scores are recorded but
# do not stop training. ``n_iter_no_change=300`` keeps the loss-based
# stopping rule out of the way; stopping at ``max_iter`` is the point here,
# so its ConvergenceWarning is silenced.
long_run = MLPRegressor(max_iter=300, n_iter_no_change=300, **params)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    long_run.fit(X_train, y_train, X_val=X_val, y_val=y_val)

# %%
# Early stopping
# --------------
# The same network with ``early_stopping=True``: it stops once more than
# ``n_iter_no_change`` epochs in a row have brought no better validation
# score, and restores the parameters of the best epoch.
early = MLPRegressor(early_stopping=True, n_iter_no_change=20, **params)
early.fit(X_train, y_train, X_val=X_val, y_val=y_val)
best_epoch = int(np.argmax(early.validation_scores_)) + 1
print(f"300 epochs:     validation R² at the end {long_run.score(X_val, y_val):.3f}")
print(f"early stopping: {early.n_iter_} epochs, best validation R² "
      f"{early.best_validation_score_:.3f} at epoch {best_epoch}, "
      f"kept: {early.score(X_val, y_val):.3f}")

# %%
# The curves
# ----------
# :class:`~skembed.plotting.LossCurveDisplay` draws the training loss (left
# axis, on the standardised target: ``target_scaling=True``) and the
# validation R² (right axis). On the left, the training loss goes on falling
# while the validation R² peaks early and then decays: every epoch after the
# peak fits noise. On the right, early stopping halts once 21 epochs, more
# than ``n_iter_no_change=20``, have passed since the peak (epochs 17 and 38
# in the printout above), and the dotted line marks the epoch whose
# parameters the model keeps.
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
LossCurveDisplay.from_estimator(long_run, ax=axes[0])
LossCurveDisplay.from_estimator(early, ax=axes[1])
axes[0].set_title("300 epochs, validation scored but not used")
axes[1].set_title("early_stopping=True")

# %%
# Without a validation set of your own, ``early_stopping=True`` holds out
# ``validation_fraction`` of the training data (10% by default) and does the
# same on it. Here 20%, 56 houses: a small validation set gives a noisy
# curve, and a noisy curve can stop training early on a lucky epoch.
internal = MLPRegressor(early_stopping=True, validation_fraction=0.2,
                        n_iter_no_change=20, **params)
internal.fit(X_train, y_train)
display = LossCurveDisplay.from_estimator(internal)

plt.show()
