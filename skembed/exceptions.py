"""Warnings raised by skembed."""

from sklearn.exceptions import ConvergenceWarning

__all__ = ["DivergenceWarning"]


class DivergenceWarning(ConvergenceWarning):
    """Training diverged: the loss or the parameters became non-finite.

    Training stops at the first non-finite loss, and the estimator keeps the
    parameters it had at the start of the failing epoch (the last finite
    ones). Lower ``learning_rate_init``, scale the inputs (for instance with a
    ``StandardScaler`` in a Pipeline) or keep ``target_scaling=True``.

    Examples
    --------
    >>> import warnings
    >>> from skembed.exceptions import DivergenceWarning
    >>> from sklearn.exceptions import ConvergenceWarning
    >>> issubclass(DivergenceWarning, ConvergenceWarning)
    True
    """
