"""pytest setup for the doctests of the user guide.

Run them with ``python -m pytest --doctest-glob="*.rst" docs/user_guide``;
figures are drawn on the Agg backend and closed after each page.
"""

import pytest


@pytest.fixture(autouse=True)
def _agg_backend_and_closed_figures():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield
    plt.close("all")
