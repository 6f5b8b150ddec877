"""Plots of a fitted network's inside: embedding spaces, training, neurons.

Five display objects, shaped like scikit-learn's
(:class:`sklearn.metrics.RocCurveDisplay`,
:class:`sklearn.inspection.PartialDependenceDisplay`): ``__init__`` stores the
data to draw, the ``from_estimator`` class method computes it from a fitted
estimator and calls ``plot``, and ``plot(ax=None, ...)`` draws it, sets
``ax_`` and ``figure_`` and returns the display.

- :class:`EmbeddingDisplay`: a 2-D projection (PCA by default) of the
  embeddings of one or more layers, coloured by the target; layers side by
  side show the space being reshaped from the input to the last hidden layer.
- :class:`LossCurveDisplay`: training loss per epoch, with the validation
  score on a second y-axis when there is one.
- :class:`ActivationDisplay`: a neurons x samples heatmap of one layer, the
  silent (zero) activations that ReLU makes drawn in light grey.
- :class:`NeuronPatternsDisplay`: each first-layer neuron's incoming weights
  drawn as an image (for image inputs such as 8x8 digits): the pattern the
  neuron detects.
- :class:`NumericEmbeddingDisplay`: what the network sees of one numeric
  column (its scaled value and learned numeric embedding) against the raw
  value.

Every ``from_estimator`` accepts the network itself or a fitted
:class:`~sklearn.pipeline.Pipeline` that contains it: the steps before the
network transform ``X`` first, so a ``StandardScaler`` in front is handled.

matplotlib is an optional dependency, imported only when something is drawn:
install it with ``pip install "skembed[plot]"``.
"""

from ._activation import ActivationDisplay
from ._embedding import EmbeddingDisplay
from ._loss_curve import LossCurveDisplay
from ._neuron_patterns import NeuronPatternsDisplay
from ._numeric_embedding import NumericEmbeddingDisplay

__all__ = [
    "ActivationDisplay",
    "EmbeddingDisplay",
    "LossCurveDisplay",
    "NeuronPatternsDisplay",
    "NumericEmbeddingDisplay",
]
