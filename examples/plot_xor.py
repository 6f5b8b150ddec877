"""
===========================================
XOR: a decision boundary a line cannot draw
===========================================

In the XOR problem a point's class is 1 when exactly one of its two
coordinates is positive: the classes sit in opposite corners. No straight
line separates them, so every linear classifier fails. One hidden layer of
ReLU neurons is enough: each neuron draws its own line (a threshold), and the
output layer combines the half-planes into a boundary with corners.

The network is :class:`~skembed.MLPClassifier`, skembed's twin of
scikit-learn's, whose hidden neurons read the two coordinates as they are,
so that each neuron's threshold is a straight line in the plane drawn below.
"""

# %%
# The data, and a linear classifier
# ---------------------------------

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_xor.png"
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.linear_model import LogisticRegression

from skembed import MLPClassifier
from skembed.datasets import make_xor
from skembed.plotting import ActivationDisplay, EmbeddingDisplay

X, y = make_xor(400, noise=0.05, random_state=0)
X_test, y_test = make_xor(400, noise=0.05, random_state=1)

linear = LogisticRegression().fit(X, y)
network = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", alpha=1e-3,
                        max_iter=1000, random_state=0).fit(X, y)
print(f"LogisticRegression     accuracy: {linear.score(X_test, y_test):.2f}")
print(f"MLPClassifier          accuracy: {network.score(X_test, y_test):.2f}")

# %%
# The decision boundaries
# -----------------------
# The background is each model's predicted probability of class 1 (red) and
# class 0 (blue). The logistic regression can only cut the plane in two
# halves, and is right about half of the time. The network's boundary follows
# the axes.
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharey=True, layout="constrained")
for ax, model, name in [(axes[0], linear, "LogisticRegression"),
                        (axes[1], network, "MLPClassifier")]:
    DecisionBoundaryDisplay.from_estimator(
        model, X, ax=ax, response_method="predict_proba", cmap="RdBu_r",
        alpha=0.5, vmin=0, vmax=1, grid_resolution=200, eps=0.2,
    )
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "C3", "C0"), edgecolors="w",
               linewidths=0.4, s=16)
    ax.set_title(f"{name}: accuracy {model.score(X_test, y_test):.2f}")
    ax.set_xlabel("$x_0$")
axes[0].set_ylabel("$x_1$")

# %%
# What the hidden layer does
# --------------------------
# Each hidden neuron computes ``relu(x . w + b)``: it is silent on one side of
# the line ``x . w + b = 0`` and grows linearly on the other. Drawn as a
# heatmap over the samples (sorted by class), some neurons fire only for one
# class: they are detectors of one corner of the square. The grey cells are
# the zeros ReLU makes.
order = np.argsort(y_test, kind="stable")
display = ActivationDisplay.from_estimator(network, X_test[order], layer=0)
display.ax_.axvline((y_test == 0).sum() - 0.5, color="k", linewidth=1)
display.ax_.set_xlabel("Sample (class 0 left of the line, class 1 right)")

# %%
# The embedding space
# -------------------
# Left, the input space as it is; right, the 8-D hidden layer projected on its
# two principal components. The output layer is a logistic regression on the
# hidden layer: there, and only there, the classes must be separable by a
# flat cut. The projection shows how the hidden layer gets there: each corner
# of the square becomes its own arm, carried by the neurons that fire for it.
display = EmbeddingDisplay.from_estimator(
    network, X_test, y_test, cmap=ListedColormap(["C0", "C3"])
)

plt.show()
