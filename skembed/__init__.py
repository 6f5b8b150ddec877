"""skembed: scikit-learn-compatible neural networks whose embedding spaces are
first-class.

A neural network is a sequence of transformations between embedding spaces:
each layer a linear combination (weights and biases: pattern detectors)
followed by a non-linearity. Two families share one engine:
:class:`MLPRegressor` and :class:`MLPClassifier` are scikit-learn's MLPs,
twinned (same parameters, defaults and results); :class:`EmbeddingMLPRegressor`
and :class:`EmbeddingMLPClassifier` are the model for tables. Every one of them
fits and predicts like scikit-learn's MLPs, and ``transform`` returns the
embedding of a chosen hidden layer.
"""

from ._classifier import EmbeddingMLPClassifier, MLPClassifier
from ._regressor import EmbeddingMLPRegressor, MLPRegressor
from .exceptions import DivergenceWarning

__version__ = "0.1.0.dev0"

__all__ = [
    "EmbeddingMLPClassifier",
    "EmbeddingMLPRegressor",
    "MLPClassifier",
    "MLPRegressor",
    "DivergenceWarning",
    "__version__",
]
