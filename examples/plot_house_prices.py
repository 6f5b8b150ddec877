"""
==============================================
House prices: a linear model against a network
==============================================

A house's price is not a straight line in its features: the structure only
starts to lose value past 30 years of age, each extra bedroom adds less than
the one before, and a pool pays off only in a hot climate on a large house.
:func:`~skembed.datasets.make_houses` generates such a table.

Here :class:`~sklearn.linear_model.LinearRegression` and an
:class:`~skembed.EmbeddingMLPRegressor` get exactly the same preprocessed
features in the same kind of :class:`~sklearn.pipeline.Pipeline`; only the
final estimator differs. Then we look inside the network: how each layer
rearranges the houses.
"""

# %%
# The data
# --------
# Four numeric columns and a ``climate`` category. The neighbourhood column is
# left out here (see :ref:`sphx_glr_auto_examples_plot_categorical_embeddings.py`
# for it).

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_house_prices.png"
import matplotlib.pyplot as plt
from sklearn.compose import ColumnTransformer
from sklearn.inspection import PartialDependenceDisplay
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skembed import EmbeddingMLPRegressor
from skembed.datasets import make_houses
from skembed.plotting import EmbeddingDisplay

X, y = make_houses(3000, random_state=0)
X = X.drop(columns="neighbourhood")
numeric = ["size_sqft", "bedrooms", "age_years", "pool"]
X[numeric] = X[numeric].astype(float)  # partial dependence wants float columns
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X.head()

# %%
# Two pipelines, one preprocessing
# --------------------------------
# Numeric columns are standardised, the climate is one-hot encoded. Neural
# networks train badly on raw inputs of very different scales (square feet in
# the thousands, a pool in {0, 1}): the scaler is part of the model.


def preprocessing():
    return ColumnTransformer([
        ("numeric", StandardScaler(), numeric),
        ("climate", OneHotEncoder(), ["climate"]),
    ])


linear = make_pipeline(preprocessing(), LinearRegression())
network = make_pipeline(
    preprocessing(),
    EmbeddingMLPRegressor(hidden_layer_sizes=(32, 16), learning_rate_init=0.01,
                          early_stopping=True, random_state=0),
)
linear.fit(X_train, y_train)
network.fit(X_train, y_train)
print(f"LinearRegression       R² on held-out houses: {linear.score(X_test, y_test):.3f}")
print(f"EmbeddingMLPRegressor  R² on held-out houses: {network.score(X_test, y_test):.3f}")

# %%
# Where the line goes wrong
# -------------------------
# Predicted against true prices: the linear model's errors are largest on the
# expensive houses, where the pool and size interact.
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharex=True, sharey=True,
                         layout="constrained")
for ax, (name, model) in zip(axes, [("LinearRegression", linear),
                                    ("EmbeddingMLPRegressor", network)]):
    ax.scatter(y_test, model.predict(X_test), s=8, alpha=0.5)
    ax.axline((0, 0), slope=1, color="0.3", linestyle=":", label="perfect prediction")
    ax.set_title(f"{name}: R² = {model.score(X_test, y_test):.3f}")
    ax.set_xlabel("true price ($K)")
axes[0].set_ylabel("predicted price ($K)")
axes[0].legend(loc="upper left")

# %%
# The partial dependence on age shows why: the linear model can only draw a
# straight line through it; the network recovers the flat stretch up to 30
# years and the depreciation after it.
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
pd_linear = PartialDependenceDisplay.from_estimator(
    linear, X_test, ["age_years"], ax=ax, line_kw={"label": "LinearRegression"}
)
pd_network = PartialDependenceDisplay.from_estimator(
    network, X_test, ["age_years"], ax=pd_linear.axes_,
    line_kw={"label": "EmbeddingMLPRegressor", "color": "C1"},
)
age_ax = pd_network.axes_[0, 0]
age_ax.relim()  # both curves in view: each display set limits for its own
age_ax.autoscale(axis="y")
age_ax.axvline(30, color="0.5", linestyle=":")
age_ax.set_ylabel("average predicted price ($K)")
age_ax.legend()

# %%
# The embedding spaces
# --------------------
# :class:`~skembed.plotting.EmbeddingDisplay` projects each layer's embedding
# of the test houses onto its two principal components, coloured by price.
# In the input space the houses fall into two bands (with and without a pool:
# a 0/1 column is a large, discrete direction) and price is spread across
# them; layer by layer the
# network pulls houses of similar price together, until in the last hidden
# layer price runs along one direction: the output layer is a linear model
# on this embedding.
display = EmbeddingDisplay.from_estimator(network, X_test, y_test)

# %%
# The last hidden layer is also available as a table, one column per neuron,
# through ``transform`` (here after the preprocessing step):
embedding = network[-1].transform(network[0].transform(X_test))
print(embedding.shape, network[-1].get_feature_names_out()[:4])

plt.show()
