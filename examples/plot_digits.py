"""
==============================================
Digits: pattern detectors and embedding spaces
==============================================

Each first-layer neuron computes ``relu(x . w + b)``: a dot product between
the image ``x`` and the neuron's weight vector ``w``. The dot product is
large when the image looks like ``w``, so ``w`` *is* the pattern the neuron
detects, and for 8x8 digit images it can be drawn as an 8x8 image.

Deeper layers combine those detectors. Drawing the same test images in each
layer's embedding space shows the digits pulling apart into clusters, one per
class, as the network goes deeper.
"""

# %%
# A network on the digits
# -----------------------
# :class:`~skembed.MLPClassifier`, skembed's twin of scikit-learn's, reads
# the pixels as they are given, so each first-layer weight belongs to one
# pixel. Pixel intensities run from 0 to 16; dividing by 16 puts them in
# [0, 1], a scale networks train well on. The L2 penalty ``alpha`` keeps the
# weights smooth enough to read as images.

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_digits.png"
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skembed import MLPClassifier
from skembed.plotting import EmbeddingDisplay, NeuronPatternsDisplay

X, y = load_digits(return_X_y=True)
X = X / 16
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

network = MLPClassifier(hidden_layer_sizes=(32, 16), alpha=1.0,
                        learning_rate_init=0.01, random_state=0)
network.fit(X_train, y_train)
linear = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print(f"LogisticRegression     accuracy: {linear.score(X_test, y_test):.3f}")
print(f"MLPClassifier          accuracy: {network.score(X_test, y_test):.3f}")

# %%
# A few of the inputs, for reference:
fig, axes = plt.subplots(1, 8, figsize=(8, 1.4), layout="constrained")
for ax, image, label in zip(axes, X_test, y_test):
    ax.imshow(image.reshape(8, 8), cmap="gray_r")
    ax.set_title(f"digit {label}", fontsize="small")
    ax.set_axis_off()

# %%
# The first layer's pattern detectors
# -----------------------------------
# :class:`~skembed.plotting.NeuronPatternsDisplay` draws each first-layer
# neuron's 64 incoming weights as an 8x8 image: red pixels excite the neuron
# when they are inked, blue ones inhibit it. Some detectors look for strokes
# (a loop at the top, a bar on the left), others for the absence of ink in
# the middle. A uniformly pale panel is a neuron the penalty switched off:
# its weights shrank to zero, and the network uses fewer detectors than it
# was given.
display = NeuronPatternsDisplay.from_estimator(network)

# %%
# The embedding space, layer by layer
# -----------------------------------
# The test images in the input space (the raw pixels), in the 32 first-layer
# detectors and in the 16 neurons of the second layer, each projected on its
# two principal components. In pixel space most classes overlap; layer by
# layer more of them form their own cluster (0, 4, 6, 1 and 3 first), while
# digits that share strokes stay neighbours. Two principal components are a
# flat shadow of a 16-D space: classes that overlap here can still be
# separated there, as the accuracy says. For a non-linear map, pass for
# instance ``method=TSNE(n_components=2)`` from :mod:`sklearn.manifold`.
display = EmbeddingDisplay.from_estimator(network, X_test, y_test)

plt.show()
