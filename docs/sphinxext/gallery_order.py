"""The order of the gallery's examples: the order in which they teach."""

import os

from sphinx_gallery.sorting import _SortKey

EXAMPLE_ORDER = [
    "plot_house_prices.py",
    "plot_xor.py",
    "plot_digits.py",
    "plot_categorical_embeddings.py",
    "plot_text_word_vectors.py",
    "plot_grid_search_knn.py",
    "plot_training_curves.py",
]


class ExampleOrder(_SortKey):
    """Sort key: the position in EXAMPLE_ORDER; examples not listed go last,
    by file name."""

    def __call__(self, filename):
        name = os.path.basename(str(filename))
        if name in EXAMPLE_ORDER:
            return (EXAMPLE_ORDER.index(name), name)
        return (len(EXAMPLE_ORDER), name)
