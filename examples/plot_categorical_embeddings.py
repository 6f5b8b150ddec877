"""
===================================================
Categorical embeddings of a high-cardinality column
===================================================

A ``neighbourhood`` column with hundreds of values is awkward for most models:
one-hot encoding gives each neighbourhood its own coefficient, learned only
from the few houses in it, and says nothing about which neighbourhoods are
alike. skembed learns a pandas ``category`` column through an *embedding
table* instead: each neighbourhood is a short vector of learned numbers that
joins the numeric columns in the network's input. Neighbourhoods that affect
prices alike end up with nearby vectors.

:func:`~skembed.datasets.make_houses` draws each neighbourhood's effect on
price from four levels (-150, -50, +50 and +150 $K). The network never sees
those effects; we check whether its embedding table found them.
"""

# %%
# The data
# --------
# 6000 houses in 300 neighbourhoods: 20 houses per neighbourhood on average.

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_categorical_embeddings.png"
import matplotlib.pyplot as plt
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import RidgeCV
from sklearn.metrics import r2_score
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skembed import EmbeddingMLPRegressor
from skembed.datasets import make_houses

X, y, effects = make_houses(6000, n_neighbourhoods=300, return_effects=True,
                            random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
print(X.dtypes)
print(f"{X['neighbourhood'].nunique()} neighbourhoods")

# %%
# The network
# -----------
# The model for tables takes the frame as it is: it scales and embeds the
# numeric columns itself, and learns an embedding table for each ``category``
# column. We ask for 2-D neighbourhood embeddings, so that the table can be
# drawn as it is; ``embedding_dims="auto"`` would pick a width from the number
# of categories. The L2 penalty ``alpha`` (the model for tables' 0.5, shared
# out over the training rows) keeps the table's arrangement simple.
numeric = ["size_sqft", "bedrooms", "age_years", "pool"]
network = EmbeddingMLPRegressor(hidden_layer_sizes=(32,), embedding_dims={"neighbourhood": 2},
                                random_state=0)
network.fit(X_train, y_train)
mlp = network
print("layer sizes:", mlp.layer_sizes_)

# %%
# Against one-hot encoding
# ------------------------
# The same columns, scaled and one-hot encoded, into a ridge regression: one
# coefficient per neighbourhood, and no interactions.
one_hot = make_pipeline(
    ColumnTransformer([
        ("numeric", StandardScaler(), numeric),
        ("categories", OneHotEncoder(handle_unknown="ignore"), ["climate", "neighbourhood"]),
    ]),
    RidgeCV(),
)
one_hot.fit(X_train, y_train)
print(f"one-hot + RidgeCV                  R²: {one_hot.score(X_test, y_test):.3f}")
print(f"EmbeddingMLPRegressor (embeddings) R²: {network.score(X_test, y_test):.3f}")

# %%
# The learned neighbourhood table
# -------------------------------
# ``categorical_embeddings_["neighbourhood"]`` is a DataFrame with one row per
# neighbourhood seen in training, plus reserved rows for unknown and missing
# values, and one column per embedding dimension. A neighbourhood found in
# fewer than ``min_frequency=5`` training houses gets no row of its own: too
# few prices to learn from, it shares the unknown row.
table = mlp.categorical_embeddings_["neighbourhood"]
pooled = effects.index.difference(table.index)
print(f"{len(table) - 2} neighbourhoods with a row; sharing the unknown row: {list(pooled)}")
table.tail()

# %%
# Each neighbourhood is a point of this 2-D table, coloured by its true
# effect on price. The network only saw prices, yet the neighbourhoods line
# up in bands, one per effect level: the embedding has discovered which
# neighbourhoods are alike.
#
# On the right, each neighbourhood's effect is guessed from its five nearest
# neighbours in the embedding (never from itself: cross-validated). If close
# vectors mean alike neighbourhoods, the guesses are right.
seen = table.loc[effects.index.intersection(table.index, sort=False)]
effects = effects.loc[seen.index]
guessed = cross_val_predict(KNeighborsRegressor(n_neighbors=5), seen, effects, cv=5)

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
points = axes[0].scatter(seen.iloc[:, 0], seen.iloc[:, 1], c=effects, cmap="coolwarm",
                         s=18, edgecolors="0.3", linewidths=0.3)
fig.colorbar(points, ax=axes[0], label="true neighbourhood effect ($K)")
axes[0].set_xlabel(table.columns[0])
axes[0].set_ylabel(table.columns[1])
axes[0].set_title("Neighbourhood embeddings (one point each)")

axes[1].scatter(effects, guessed, s=12, alpha=0.6)
axes[1].axline((0, 0), slope=1, color="0.3", linestyle=":")
axes[1].set_xlabel("true neighbourhood effect ($K)")
axes[1].set_ylabel("mean effect of its 5 nearest neighbours ($K)")
axes[1].set_title(f"Neighbours in embedding space: R² = {r2_score(effects, guessed):.2f}")

# %%
# Unknown categories
# ------------------
# A neighbourhood never seen in training maps to the reserved "unknown" row
# instead of raising an error, so the model still predicts a price for it:
# the row the rare neighbourhoods trained.
new_house = X_test.head(1).copy()
new_house["neighbourhood"] = new_house["neighbourhood"].cat.add_categories("nb_new")
new_house.loc[:, "neighbourhood"] = "nb_new"
print(f"price with its own neighbourhood: {network.predict(X_test.head(1))[0]:.0f} $K")
print(f"price in an unseen neighbourhood: {network.predict(new_house)[0]:.0f} $K")

plt.show()
