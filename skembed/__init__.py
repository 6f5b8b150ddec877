"""skembed: scikit-learn-compatible neural networks whose embedding spaces are
first-class.

A neural network is a sequence of transformations between embedding spaces:
each layer a linear combination (weights and biases: pattern detectors)
followed by a non-linearity. :class:`EmbeddingMLPRegressor` and
:class:`EmbeddingMLPClassifier` fit and predict like scikit-learn's MLPs, and
``transform`` returns the embedding of a chosen hidden layer.
"""

from ._classifier import EmbeddingMLPClassifier
from ._regressor import EmbeddingMLPRegressor
from .exceptions import DivergenceWarning

__version__ = "0.1.0.dev0"

__all__ = [
    "EmbeddingMLPClassifier",
    "EmbeddingMLPRegressor",
    "DivergenceWarning",
    "__version__",
]
