"""Draw the gallery's thumbnails: one bold panel per example.

sphinx-gallery makes a thumbnail by shrinking one of an example's figures to
400x280 pixels, and shows it smaller still. The examples' figures have
several panels, titles and tick labels, which shrink into pale, unreadable
stamps. Each thumbnail here is one panel, drawn for that size: the example's
key picture, thick marks, saturated colours, no text (the card has the
title). Each example names its own with ``# sphinx_gallery_thumbnail_path``.

The PNG files are committed (docs/_static/thumbnail_*.png); after changing
what an example shows, draw them again and look at them::

    python docs/draw_thumbnails.py

The models are the examples' own, on the same data, so each thumbnail shows
what its example finds.
"""

import os
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "_static")
SIZE = (4.0, 2.8)  # inches; with DPI, sphinx-gallery's 400x280 thumbnail size
DPI = 100


def _figure():
    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.03, top=0.97)
    return fig, ax


def _bare(ax, frame=True):
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(frame)
        spine.set_linewidth(1.5)
        spine.set_color("0.25")


def _save(fig, example):
    path = os.path.join(OUT, f"thumbnail_{example}.png")
    fig.savefig(path, dpi=DPI, facecolor="white")
    plt.close(fig)
    print("wrote", path)


def house_prices():
    """Predicted against true price: the linear model's wide cloud (orange),
    the network's tight one (blue), the diagonal of perfect predictions."""
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skembed import EmbeddingMLPRegressor
    from skembed.datasets import make_houses

    X, y = make_houses(3000, random_state=0)
    numeric = ["size_sqft", "bedrooms", "age_years", "pool"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    linear = make_pipeline(
        make_column_transformer((StandardScaler(), numeric),
                                (OneHotEncoder(), ["climate", "neighbourhood"])),
        LinearRegression(),
    ).fit(X_train, y_train)
    network = EmbeddingMLPRegressor(random_state=0).fit(X_train, y_train)  # the raw frame

    fig, ax = _figure()
    low, high = np.percentile(y_test, [0.5, 99.5])
    ax.plot([low, high], [low, high], color="0.15", linestyle="--", linewidth=2, zorder=3)
    ax.scatter(y_test, linear.predict(X_test), s=14, color="C1", alpha=0.75,
               linewidths=0, label="linear")
    ax.scatter(y_test, network.predict(X_test), s=14, color="C0", alpha=0.85,
               linewidths=0, label="network")
    ax.set(xlim=(low, high), ylim=(low, high))
    _bare(ax)
    _save(fig, "plot_house_prices")


def xor():
    """The network's decision regions on the XOR data: four quadrants."""
    from skembed import MLPClassifier
    from skembed.datasets import make_xor

    X, y = make_xor(400, noise=0.05, random_state=0)
    network = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", alpha=1e-3,
                            max_iter=1000, random_state=0).fit(X, y)
    grid_x, grid_y = np.meshgrid(np.linspace(-1.25, 1.25, 300), np.linspace(-1.2, 1.2, 300))
    proba = network.predict_proba(np.column_stack([grid_x.ravel(), grid_y.ravel()]))[:, 1]

    fig, ax = _figure()
    ax.contourf(grid_x, grid_y, proba.reshape(grid_x.shape), levels=np.linspace(0, 1, 11),
                cmap="RdBu_r", alpha=0.55)
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "C3", "C0"), s=22,
               edgecolors="white", linewidths=0.6)
    _bare(ax)
    _save(fig, "plot_xor")


def digits():
    """Six first-layer pattern detectors of the digits network, as 8x8
    images: red pixels excite the neuron, blue ones inhibit it."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    from skembed import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X / 16, y, stratify=y, random_state=0)
    network = MLPClassifier(hidden_layer_sizes=(32, 16), alpha=1.0, learning_rate_init=0.01,
                            random_state=0)
    network.fit(X_train, y_train)
    weights = network.coefs_[0].T  # one row of 64 weights per neuron
    strongest = np.sort(np.argsort(-np.abs(weights).sum(axis=1))[:6])
    limit = np.percentile(np.abs(weights[strongest]), 97)  # saturated, not pale

    fig, axes = plt.subplots(2, 3, figsize=SIZE, dpi=DPI)
    fig.subplots_adjust(left=0.03, right=0.97, bottom=0.03, top=0.97, wspace=0.06,
                        hspace=0.06)
    for ax, neuron in zip(axes.ravel(), strongest):
        ax.imshow(weights[neuron].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
        _bare(ax)
    _save(fig, "plot_digits")


def categorical_embeddings():
    """The learned 2-D neighbourhood table, one point per neighbourhood,
    coloured by its true effect on price: the bands the network found."""
    from sklearn.model_selection import train_test_split

    from skembed import EmbeddingMLPRegressor
    from skembed.datasets import make_houses

    X, y, effects = make_houses(6000, n_neighbourhoods=300, return_effects=True,
                                random_state=0)
    X_train, _, y_train, _ = train_test_split(X, y, random_state=0)
    network = EmbeddingMLPRegressor(hidden_layer_sizes=(32,), embedding_dims={"neighbourhood": 2},
                                    alpha=0.01, random_state=0).fit(X_train, y_train)
    table = network.categorical_embeddings_["neighbourhood"]
    seen = table.loc[effects.index.intersection(table.index, sort=False)]
    effects = effects.loc[seen.index]

    fig, ax = _figure()
    ax.scatter(seen.iloc[:, 0], seen.iloc[:, 1], c=effects, cmap="coolwarm", s=30,
               edgecolors="0.2", linewidths=0.4)
    ax.margins(0.06)
    _bare(ax)
    _save(fig, "plot_categorical_embeddings")


def grid_search_knn():
    """Houses in the network's embedding space (two principal components),
    coloured by price; a star, and its ten nearest neighbours: in the
    embedding (black rings), close by and priced alike; in the scaled input
    space (red crosses), which the irrelevant columns mislead, scattered."""
    from sklearn.compose import ColumnTransformer
    from sklearn.decomposition import PCA
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skembed import EmbeddingMLPRegressor
    from skembed.datasets import make_houses

    X, y = make_houses(2000, random_state=0)
    X = X.drop(columns="neighbourhood")
    rng = np.random.default_rng(0)
    X["listing_weekday"] = rng.integers(0, 7, size=len(X))
    X["photos"] = rng.integers(5, 40, size=len(X))
    numeric = ["size_sqft", "bedrooms", "age_years", "pool", "listing_weekday", "photos"]
    # the input space as the raw nearest neighbours see it: scaled, one-hot
    prepare = ColumnTransformer([("numeric", StandardScaler(), numeric),
                                 ("climate", OneHotEncoder(), ["climate"])]).fit(X)
    network = EmbeddingMLPRegressor(random_state=0).fit(X, y)  # the example's network
    raw, embedding = prepare.transform(X), network.transform(X)
    points = PCA(n_components=2).fit_transform(embedding)
    # a house in the middle of the picture, and its neighbours in either space
    query = int(np.argmin(((points - np.median(points, axis=0)) ** 2).sum(axis=1)))
    _, (near_embedded,) = NearestNeighbors(n_neighbors=11).fit(embedding).kneighbors(
        embedding[[query]])
    _, (near_raw,) = NearestNeighbors(n_neighbors=11).fit(raw).kneighbors(raw[[query]])

    fig, ax = _figure()
    ax.scatter(points[:, 0], points[:, 1], c=y, cmap="viridis", s=9, alpha=0.4,
               linewidths=0)
    ax.scatter(*points[near_raw[1:]].T, s=120, marker="x", color="#d62728", linewidths=3.5,
               zorder=4)
    ax.scatter(*points[near_embedded[1:]].T, s=90, facecolors="none", edgecolors="black",
               linewidths=2.2, zorder=4)
    ax.scatter(*points[query], s=420, marker="*", color="#ffbf00", edgecolors="black",
               linewidths=1.2, zorder=5)
    _bare(ax)
    _save(fig, "plot_grid_search_knn")


def training_curves():
    """Training loss (blue) falling for good, validation R² (orange) peaking
    early and decaying; the dotted line is where early stopping keeps."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from skembed import MLPRegressor
    from skembed.datasets import make_houses

    X, y = make_houses(400, noise=150, random_state=0)
    X = X[["size_sqft", "bedrooms", "age_years", "pool"]]
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    long_run = MLPRegressor(hidden_layer_sizes=(256, 128), learning_rate_init=0.003,
                            alpha=0.0, target_scaling=True, random_state=0, max_iter=300,
                            n_iter_no_change=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        long_run.fit(X_train, y_train, X_val=X_val, y_val=y_val)
    epochs = np.arange(1, long_run.n_iter_ + 1)
    scores = np.asarray(long_run.validation_scores_)
    # a running mean over 9 epochs: the trend, which is what reads at this size
    smooth = np.convolve(np.pad(scores, 4, mode="edge"), np.ones(9) / 9, mode="valid")

    fig, ax = _figure()
    ax.plot(epochs, long_run.loss_curve_, color="C0", linewidth=3)
    ax.set_ylim(0, max(long_run.loss_curve_[1:]) * 1.15)
    twin = ax.twinx()
    twin.plot(epochs, smooth, color="C1", linewidth=3)
    twin.set_ylim(scores.max() - 1.4 * (scores.max() - np.percentile(scores, 5)),
                  scores.max() + 0.1 * (scores.max() - np.percentile(scores, 5)))
    ax.axvline(epochs[np.argmax(smooth)], color="0.2", linestyle=":", linewidth=2.5)
    ax.set_xlim(1, epochs[-1])
    _bare(ax)
    _bare(twin)
    _save(fig, "plot_training_curves")


def text_word_vectors():
    """The words' rows of the first layer (two principal components), one
    colour per subject, the common words grey in the middle."""
    import importlib.util

    from sklearn.decomposition import PCA

    path = os.path.join(HERE, "..", "examples", "plot_text_word_vectors.py")
    spec = importlib.util.spec_from_file_location("text_example", path)
    example = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plt.show = lambda *args, **kwargs: None  # the example's own figures are not needed
        spec.loader.exec_module(example)
        plt.close("all")
    points = PCA(n_components=2).fit_transform(example.vectors)
    fig, ax = _figure()
    for subject, colour in example.colours.items():
        mask = np.array([example.subject_of.get(w, "common") == subject
                         for w in example.vocabulary])
        ax.scatter(points[mask, 0], points[mask, 1], c=colour, s=55,
                   edgecolors="white", linewidths=0.6)
    ax.margins(0.08)
    _bare(ax)
    _save(fig, "plot_text_word_vectors")


THUMBNAILS = [house_prices, xor, digits, categorical_embeddings, grid_search_knn,
              training_curves, text_word_vectors]

if __name__ == "__main__":
    for draw in THUMBNAILS:
        draw()
