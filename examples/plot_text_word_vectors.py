"""
====================================================
Text: the first layer learns a vector for every word
====================================================

A network that reads TF-IDF features turns words into vectors: the first
layer computes ``z = x W + b``, and since a document's TF-IDF row ``x``
holds one number per word, each word contributes its own row of ``W``,
scaled by its weight in the document. That row is the word's vector, learned
with the network: words that play the same part in the task end up with
similar rows. This is the founding idea of word embeddings, and here it
takes a :class:`~sklearn.feature_extraction.text.TfidfVectorizer` and
skembed's :class:`~skembed.MLPClassifier` in a Pipeline. The TF-IDF matrix
is sparse and goes into the network as it is, never densified.

The corpus is written for this example: short sentences about four
subjects (the kitchen, football, the weather and music), built from each
subject's words and a pool of words every subject uses.
"""

# %%
# A corpus about four subjects
# ----------------------------

# sphinx_gallery_thumbnail_path = "_static/thumbnail_plot_text_word_vectors.png"
import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skembed import MLPClassifier

SUBJECTS = {
    "kitchen": "bake oven flour recipe butter dough simmer sauce garlic onion knife pan "
               "soup bread pepper roast".split(),
    "football": "goal striker referee penalty match pitch defender league coach kick "
                "keeper stadium team tackle corner offside".split(),
    "weather": "rain storm cloud forecast wind sunny thunder snow humid drizzle fog "
               "breeze frost hail chilly gust".split(),
    "music": "guitar melody drum concert chord singer piano rhythm album violin tune "
             "band lyrics stage chorus tempo".split(),
}
COMMON = ("the a we today was great after before with and very new old big small "
          "long good bad again every our this that really quite").split()


def sentences(n_per_subject, seed):
    """Sentences of three or four subject words among four to six common ones."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for subject, words in SUBJECTS.items():
        for _ in range(n_per_subject):
            chosen = list(rng.choice(words, rng.integers(3, 5), replace=False))
            chosen += list(rng.choice(COMMON, rng.integers(4, 7), replace=False))
            rng.shuffle(chosen)
            texts.append(" ".join(chosen))
            labels.append(subject)
    return texts, np.array(labels)


texts, labels = sentences(150, seed=0)
texts_train, texts_test, y_train, y_test = train_test_split(
    texts, labels, test_size=0.25, random_state=0, stratify=labels)
print(texts[0], "->", labels[0])
print(texts[200], "->", labels[200])

# %%
# TF-IDF into a network
# ---------------------
# The vectorizer's output is a sparse matrix with one column per word; the
# network's first layer multiplies its rows as they are. Sixteen neurons in
# the first layer: each word gets a 16-dimensional vector.

model = make_pipeline(
    TfidfVectorizer(),
    MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0),
).fit(texts_train, y_train)
print(f"held-out accuracy: {model.score(texts_test, y_test):.3f}")

# %%
# Each word's row of the first layer
# ----------------------------------
# ``coefs_[0]`` has one row per column of the TF-IDF matrix, that is one row
# per word of the vectorizer's vocabulary.

vocabulary = model[0].get_feature_names_out()
network = model[-1]
vectors = network.coefs_[0]
print(vectors.shape, "=", len(vocabulary), "words x", vectors.shape[1], "neurons")

subject_of = {word: subject for subject, words in SUBJECTS.items() for word in words}
subject_of.update({word: "common" for word in COMMON})


def nearest(word, vectors, k=5):
    """The ``k`` words whose vectors have the largest cosine similarity to ``word``'s."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    row = unit[list(vocabulary).index(word)]
    order = np.argsort(-(unit @ row))
    return [vocabulary[i] for i in order if vocabulary[i] != word][:k]


for word in ["oven", "penalty", "storm", "violin"]:
    print(f"{word:>8s}: {', '.join(nearest(word, vectors))}")

# %%
# Words used alike end up near each other. Before training, the same rows
# were random: the share of each subject word's five nearest neighbours that
# come from its own subject measures what training did.


def neighbourhood_purity(vectors):
    words = [w for w in vocabulary if subject_of.get(w, "common") != "common"]
    same = [np.mean([subject_of[n] == subject_of[w] for n in nearest(w, vectors)])
            for w in words]
    return float(np.mean(same))


# The network started from Glorot-uniform weights, the first numbers drawn
# from ``random_state=0``, as scikit-learn's MLP draws them.
bound = np.sqrt(6 / sum(vectors.shape))
initial = np.random.RandomState(0).uniform(-bound, bound, size=vectors.shape)
print(f"same-subject neighbours, trained:    {neighbourhood_purity(vectors):.2f}")
print(f"same-subject neighbours, untrained:  {neighbourhood_purity(initial):.2f} "
      "(chance: about 0.2)")

# %%
# The word vectors, drawn
# -----------------------
# A PCA of the 16-dimensional rows. The subjects' words gather in their own
# regions; the common words, which tell no subject apart, stay near the
# middle: the network has no reason to move them.

points = PCA(n_components=2).fit_transform(vectors)
colours = {"kitchen": "C1", "football": "C2", "weather": "C0", "music": "C3", "common": "0.6"}
fig, ax = plt.subplots(figsize=(8, 6), layout="constrained")
for subject, colour in colours.items():
    mask = np.array([subject_of.get(w, "common") == subject for w in vocabulary])
    ax.scatter(points[mask, 0], points[mask, 1], c=colour, s=30, label=subject)
for i, word in enumerate(vocabulary):
    if word in ("oven", "sauce", "striker", "penalty", "storm", "frost", "violin",
                "chorus", "the", "great"):
        ax.annotate(word, points[i], xytext=(4, 4), textcoords="offset points")
ax.set_xlabel("PC 1")
ax.set_ylabel("PC 2")
ax.set_title("Each word's row of the first layer's weights")
ax.legend(title="the word's subject", loc="best")
plt.show()

# %%
# Documents, too
# --------------
# ``transform`` returns a document's embedding in the hidden layer: the
# vectors of its words, weighted by TF-IDF, summed, shifted by the bias and
# passed through ReLU. The held-out documents of each subject form their own
# cluster.

documents = model.transform(texts_test)
points = PCA(n_components=2).fit_transform(documents)
fig, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
for subject, colour in colours.items():
    mask = y_test == subject
    if mask.any():
        ax.scatter(points[mask, 0], points[mask, 1], c=colour, s=18, label=subject)
ax.set_title("Held-out documents in hidden layer 1")
ax.legend()
plt.show()
