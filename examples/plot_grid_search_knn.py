"""
======================================================
Nearest neighbours in embedding space, tuned by search
======================================================

A fitted network is also a transformer: ``transform`` returns the embedding of
the hidden layer ``embedding_layer``. Put it in a
:class:`~sklearn.pipeline.Pipeline` before another estimator, and that
estimator works in the network's embedding space instead of the raw input
space.

Nearest neighbours are a natural partner. In the raw (scaled) input space,
"near" weighs every column alike: the floor area, the pool, and columns that
have nothing to do with the price. In the embedding space of a network
trained on prices, "near" means "priced alike for the same reasons". :class:`~sklearn.model_selection.GridSearchCV`
picks the network's hidden sizes and which layer to embed with, like any
other hyper-parameters.
"""

# %%
# Data and the raw-space baseline
# -------------------------------
# The house table, with two more columns of the kind real listings carry and
# that do not affect the price: the weekday the house was listed and the
# number of photos in the listing.

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_grid_search_knn.png"
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skembed import EmbeddingMLPRegressor
from skembed.datasets import make_houses

X, y = make_houses(2000, random_state=0)
X = X.drop(columns="neighbourhood")
rng = np.random.default_rng(0)
X["listing_weekday"] = rng.integers(0, 7, size=len(X))
X["photos"] = rng.integers(5, 40, size=len(X))
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)


numeric = ["size_sqft", "bedrooms", "age_years", "pool", "listing_weekday", "photos"]
prepare = ColumnTransformer([("numeric", StandardScaler(), numeric),
                             ("climate", OneHotEncoder(), ["climate"])])
raw_knn = Pipeline([("prepare", prepare), ("knn", KNeighborsRegressor(10))])
raw_knn.fit(X_train, y_train)
raw_cv = cross_val_score(raw_knn, X_train, y_train, cv=3).mean()
print(f"KNN in the scaled input space R²: {raw_knn.score(X_test, y_test):.3f}")

# %%
# The network as a transformer
# ----------------------------
# The network is the model for tables, which takes the DataFrame as it is:
# it scales the numeric columns and learns an embedding of the climate
# itself, so no preprocessing step comes before it (the baseline above needs
# a scaler and a one-hot encoder). In a Pipeline, ``fit`` trains the network
# on the target (``fit_transform`` receives ``y``), then the neighbours model
# is fitted on the training embeddings. At predict time the test houses are
# embedded and compared with the training houses there.
pipeline = Pipeline([
    ("embed", EmbeddingMLPRegressor(random_state=0)),
    ("knn", KNeighborsRegressor(10)),
])
param_grid = {
    "embed__hidden_layer_sizes": [(8,), (32,), (32, 8)],
    "embed__embedding_layer": [0, -1],
}
search = GridSearchCV(pipeline, param_grid, cv=3)
search.fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"KNN in the best embedding space R²: {search.score(X_test, y_test):.3f}")

# %%
# The grid
# --------
# With one hidden layer, ``embedding_layer=0`` and ``-1`` are the same layer.
# With two, the first hidden layer (32 neurons) and the last (8 neurons) are
# different spaces: deeper layers are shaped more by the target.
results = pd.DataFrame(search.cv_results_)
results["hidden sizes"] = results["param_embed__hidden_layer_sizes"].astype(str)
table = results.pivot_table(index="hidden sizes", columns="param_embed__embedding_layer",
                            values="mean_test_score")
table.columns = [f"embedding_layer={layer}" for layer in table.columns]
table.round(3)

# %%
# The same cross-validation of KNN in the input space is the dotted line.
fig, ax = plt.subplots(figsize=(7.5, 3.6), layout="constrained")
table.plot.barh(ax=ax, xlim=(0.8, 0.95), color=["C0", "C1"])
ax.axvline(raw_cv, color="0.3", linestyle=":", label="KNN in the input space")
ax.set_xlabel("mean cross-validated R² of KNN")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)

# %%
# The network alone versus the network plus neighbours
# ----------------------------------------------------
# The output layer of the network is a linear model on the last embedding;
# the neighbours model is a local one on the same space. Both do better than
# neighbours in the input space, which the irrelevant columns mislead.
network = search.best_estimator_["embed"]  # fitted on X_train in the pipeline
print(f"the network's own prediction R²: {network.score(X_test, y_test):.3f}")

plt.show()
