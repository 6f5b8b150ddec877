"""
==============================================
House prices: a linear model against a network
==============================================

A house's price is not a straight line in its features: the structure only
starts to lose value past 30 years of age, each extra bedroom adds less than
the one before, a pool pays off only in a hot climate on a large house, and
each neighbourhood has its own price level.
:func:`~skembed.datasets.make_houses` generates such a table.

:class:`~sklearn.linear_model.LinearRegression` needs its usual preparation
(numbers standardised, categories one-hot encoded). The model for tables,
:class:`~skembed.EmbeddingMLPRegressor`, takes the table as it is: it scales
and embeds the numeric columns and learns a table for each categorical one
inside the network. Then we look inside the network: what it sees of a
column, and how each layer rearranges the houses.
"""

# %%
# The data
# --------
# Four numeric columns on their own scales and two categorical columns.

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_house_prices.png"
import matplotlib.pyplot as plt
from sklearn.compose import make_column_transformer
from sklearn.inspection import PartialDependenceDisplay
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skembed import EmbeddingMLPRegressor
from skembed.datasets import make_houses
from skembed.plotting import EmbeddingDisplay, NumericEmbeddingDisplay

X, y = make_houses(3000, random_state=0)
numeric = ["size_sqft", "bedrooms", "age_years", "pool"]
X[numeric] = X[numeric].astype(float)  # partial dependence wants float columns
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X.head()

# %%
# The two models
# --------------
# The linear model gets the preparation it needs; the network gets the raw
# frame, with its default parameters.
linear = make_pipeline(
    make_column_transformer((StandardScaler(), numeric),
                            (OneHotEncoder(), ["climate", "neighbourhood"])),
    LinearRegression(),
).fit(X_train, y_train)
network = EmbeddingMLPRegressor(random_state=0).fit(X_train, y_train)
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
# What the network sees of a column
# ---------------------------------
# The network does not read the age as one number: its input layer turns it
# into the scaled age (black) and eight learned piecewise-linear functions of
# it, from which the first hidden layer builds the bend at 30 years.
# :class:`~skembed.plotting.NumericEmbeddingDisplay` draws them.
display = NumericEmbeddingDisplay.from_estimator(network, X_test, "age_years")

# %%
# The embedding spaces
# --------------------
# :class:`~skembed.plotting.EmbeddingDisplay` projects each layer's embedding
# of the test houses onto its two principal components, coloured by price.
# Layer by layer the network pulls houses of similar price together, until in
# the last hidden layer price runs along one direction: the output layer is a
# linear model on this embedding.
display = EmbeddingDisplay.from_estimator(network, X_test, y_test)

# %%
# The last hidden layer is also available as a table, one column per neuron,
# through ``transform``:
embedding = network.transform(X_test)
print(embedding.shape, network.get_feature_names_out()[:4])

plt.show()
