"""``skembed embed``: a CSV as pandas reads it, in and out, and every error in one line."""

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from skembed import EmbeddingMLPClassifier, EmbeddingMLPRegressor
from skembed.__main__ import main

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def sales_csv(tmp_path):
    """A sales table as a CSV holds it: an id column, text columns, a number
    with missing values, a boolean, a price."""
    rng = np.random.RandomState(0)
    n = 150
    frame = pd.DataFrame({
        "rownames": np.arange(1, n + 1),
        "size_sqft": rng.uniform(600, 4000, n).round(),
        "age_years": rng.randint(0, 100, n).astype(float),
        "city": rng.choice(["Lyon", "Nantes", "Lille", "Nice"], n),
        "agency": rng.choice([f"agency {i}" for i in range(12)], n),
        "has_pool": rng.uniform(size=n) < 0.4,
    })
    frame.loc[rng.choice(n, 9, replace=False), "age_years"] = np.nan
    frame["price"] = (300 + 0.4 * frame["size_sqft"] + 80 * (frame["city"] == "Nice")
                      + rng.normal(scale=20, size=n))
    frame["kind"] = np.where(frame["size_sqft"] > 2000, "large", "small")
    frame["rooms_class"] = np.clip(frame["size_sqft"] // 1000, 1, 3).astype(int)
    path = tmp_path / "sales.csv"
    frame.to_csv(path, index=False)
    return path, frame


def run(argv, capsys):
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_text_columns_become_embeddings_and_the_rows_are_written(sales_csv, tmp_path, capsys):
    path, frame = sales_csv
    out = tmp_path / "embeddings.csv"
    status, stdout, stderr = run(
        ["embed", str(path), "--target", "price", "--drop", "rownames", "kind", "rooms_class",
         "--layer", "0", "--hidden", "8,4", "--out", str(out)], capsys)
    assert status == 0 and stdout == "", stderr
    assert "EmbeddingMLPRegressor on 5 feature(s) (3 categorical, learned as embeddings)" \
        in stderr
    embeddings = pd.read_csv(out)
    assert embeddings.shape == (len(frame), 8)
    assert embeddings.columns.tolist() == [f"hidden1_{j}" for j in range(8)]
    # the same network fitted from Python, on the same 80 % of the rows
    from sklearn.model_selection import train_test_split

    X = frame.drop(columns=["rownames", "kind", "rooms_class", "price"])
    X = X.astype({"city": object, "agency": object})
    train, _ = train_test_split(np.arange(len(frame)), test_size=0.2, random_state=0)
    model = EmbeddingMLPRegressor(hidden_layer_sizes=(8, 4), embedding_layer=0,
                                  random_state=0).fit(X.iloc[train], frame["price"].iloc[train])
    assert sorted(model.categorical_embeddings_) == ["agency", "city", "has_pool"]
    np.testing.assert_allclose(embeddings.to_numpy(), model.transform(X), rtol=1e-5, atol=1e-5)


def test_categorical_learns_a_numeric_code_as_categories(sales_csv, tmp_path, capsys):
    path, frame = sales_csv
    out = tmp_path / "embeddings.csv"
    argv = ["embed", str(path), "--target", "price", "--drop", "rownames", "kind",
            "--hidden", "8", "--out", str(out)]
    status, _, as_number = run(argv, capsys)
    assert status == 0
    assert "on 6 feature(s) (3 categorical" in as_number
    status, _, as_code = run([*argv, "--categorical", "rooms_class"], capsys)
    assert status == 0, as_code
    assert "on 6 feature(s) (4 categorical" in as_code
    # the same network fitted from Python on the column cast to category
    from sklearn.model_selection import train_test_split

    X = frame.drop(columns=["rownames", "kind", "price"]).astype(
        {"city": object, "agency": object, "rooms_class": "category"})
    train, _ = train_test_split(np.arange(len(frame)), test_size=0.2, random_state=0)
    model = EmbeddingMLPRegressor(hidden_layer_sizes=(8,), random_state=0).fit(
        X.iloc[train], frame["price"].iloc[train])
    assert model.categorical_embeddings_["rooms_class"].shape[0] == 3 + 2
    np.testing.assert_allclose(pd.read_csv(out).to_numpy(), model.transform(X),
                               rtol=1e-5, atol=1e-5)


def test_a_held_out_score_is_reported_beside_the_training_one(sales_csv, capsys):
    path, frame = sales_csv
    status, stdout, stderr = run(["embed", str(path), "--target", "price",
                                  "--drop", "rownames", "kind"], capsys)
    assert status == 0
    scores = stderr.splitlines()[0]
    assert "on the 120 training rows" in scores and "on the 30 held-out rows" in scores
    embeddings = pd.read_csv(io.StringIO(stdout))
    assert embeddings.shape[0] == len(frame)


def test_a_small_csv_is_scored_on_all_its_rows(sales_csv, tmp_path, capsys):
    path, frame = sales_csv
    small = tmp_path / "small.csv"
    frame.head(12).to_csv(small, index=False)
    status, _, stderr = run(["embed", str(small), "--target", "price", "--drop", "rownames",
                             "--out", str(tmp_path / "e.csv")], capsys)
    assert status == 0 and "on all 12 rows (too few to hold some out)" in stderr


@pytest.mark.parametrize("target, task, expected", [
    ("kind", "auto", "EmbeddingMLPClassifier"),  # text
    ("rooms_class", "auto", "EmbeddingMLPClassifier"),  # few integer values
    ("price", "auto", "EmbeddingMLPRegressor"),
    ("rooms_class", "regression", "EmbeddingMLPRegressor"),
])
def test_classifier_or_regressor(sales_csv, tmp_path, capsys, target, task, expected):
    path, frame = sales_csv
    others = [c for c in ("kind", "rooms_class", "price") if c != target]
    status, _, stderr = run(["embed", str(path), "--target", target, "--task", task,
                             "--drop", "rownames", *others, "--hidden", "4",
                             "--out", str(tmp_path / "e.csv")], capsys)
    assert status == 0 and expected in stderr


def test_classification_of_a_continuous_target_is_refused(sales_csv, capsys):
    path, _ = sales_csv
    status, stdout, stderr = run(["embed", str(path), "--target", "size_sqft",
                                  "--task", "classification"], capsys)
    assert status == 2 and stdout == ""
    assert "distinct values in 150 rows: about one row per class" in stderr
    assert "--task regression" in stderr


def test_plot(sales_csv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path, _ = sales_csv
    png = tmp_path / "embeddings.png"
    status, _, _ = run(["embed", str(path), "--target", "price", "--drop", "rownames",
                        "--hidden", "4,3", "--out", str(tmp_path / "e.csv"),
                        "--plot", str(png)], capsys)
    assert status == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_says_how_to_install_and_fails(sales_csv, tmp_path, capsys,
                                                               monkeypatch):
    path, _ = sales_csv
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    png = tmp_path / "embeddings.png"
    out = tmp_path / "e.csv"
    status, _, stderr = run(["embed", str(path), "--target", "price", "--out", str(out),
                             "--plot", str(png)], capsys)
    assert status == 2
    assert 'pip install "skembed[plot]"' in stderr
    assert not png.exists() and not out.exists()  # refused before fitting


def test_layer_help_says_how_layers_are_numbered(capsys):
    assert main(["embed", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--layer 0, the first hidden layer, writes hidden1_*" in help_text
    assert "(0: the first hidden layer, written as hidden1_*)" in help_text


# --------------------------------------------------------------------------
# errors: exit 2, one line on stderr, nothing on stdout
# --------------------------------------------------------------------------
def _bad_csvs(tmp_path):
    good = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0, 1, 0, 1],
                         "y": [1.0, 2.0, 3.0, 5.0], "price_eur": [1, 2, 3, 4]})
    wide = pd.DataFrame({f"column_{i}": [1.0, 2.0] for i in range(30)})
    files = {
        "good": good,
        "nan_target": good.assign(y=[1.0, np.nan, 3.0, 4.0]),
        "only_target": good[["y"]],
        "header_only": good.iloc[:0],
        "one_class": good.assign(y=["yes"] * 4),
        # a number column as read_csv reads it with one "?" among 20 values
        "dirty": pd.DataFrame({"a": [f"{i * 1.5}" for i in range(19)] + ["?"],
                               "y": np.arange(20.0)}),
        "wide": wide,
    }
    paths = {}
    for name, frame in files.items():
        paths[name] = tmp_path / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    (tmp_path / "empty.csv").write_text("")
    paths["empty"] = tmp_path / "empty.csv"
    return paths


ERROR_CASES = [
    # (id, argv with {name} placeholders, fragment of the message)
    ("missing file", ["{dir}/nope.csv", "--target", "y"], "no such file"),
    ("directory", ["{dir}", "--target", "y"], "is a directory"),
    ("empty file", ["{empty}", "--target", "y"], "is empty"),
    ("header only", ["{header_only}", "--target", "y"], "no rows"),
    ("missing target", ["{good}", "--target", "cost"], "no column 'cost' in "),
    ("missing target, no near miss", ["{good}", "--target", "cost"], ".csv'. Its "),
    ("near miss", ["{good}", "--target", "Y"], "did you mean 'y'?"),
    ("near miss, longer", ["{good}", "--target", "price_euro"], "did you mean 'price_eur'?"),
    ("many columns", ["{wide}", "--target", "colum_3"],
     "Its 30 columns: 'column_0', 'column_1'"),
    ("dropped column unknown", ["{good}", "--target", "y", "--drop", "bb"],
     "no column 'bb'"),
    ("categorical column unknown", ["{good}", "--target", "y", "--categorical", "bb"],
     "no column 'bb'"),
    ("categorical target", ["{good}", "--target", "y", "--categorical", "y"],
     "--categorical 'y' is the target"),
    ("categorical and dropped", ["{good}", "--target", "y", "--drop", "b",
                                 "--categorical", "b"], "--categorical 'b' is also dropped"),
    ("no --target", ["{good}"], "--target"),
    ("stray text in a number column", ["{dirty}", "--target", "y"], "'a' holds numbers"),
    ("missing target value", ["{nan_target}", "--target", "y"], "missing value"),
    ("no features", ["{only_target}", "--target", "y"], "no feature column"),
    ("everything dropped", ["{good}", "--target", "y", "--drop", "a", "b", "price_eur"],
     "no feature column besides the target 'y' and the dropped ones"),
    ("layer out of range", ["{good}", "--target", "y", "--layer", "2"], "out of range"),
    ("negative layer out of range", ["{good}", "--target", "y", "--layer", "-3"],
     "out of range"),
    ("layer not an int", ["{good}", "--target", "y", "--layer", "last"], "--layer"),
    ("bad hidden sizes", ["{good}", "--target", "y", "--hidden", "8,0"], "--hidden"),
    ("bad task", ["{good}", "--target", "y", "--task", "clustering"], "--task"),
    ("one class", ["{one_class}", "--target", "y"], "one class"),
    ("unwritable out", ["{good}", "--target", "y", "--out", "{dir}/no/such/dir/e.csv"],
     "no such directory"),
]


@pytest.mark.parametrize("argv, fragment", [case[1:] for case in ERROR_CASES],
                         ids=[case[0] for case in ERROR_CASES])
def test_errors_exit_2_with_a_clear_message(tmp_path, capsys, argv, fragment):
    paths = {name: str(path) for name, path in _bad_csvs(tmp_path).items()}
    argv = [arg.format(dir=tmp_path, **paths) for arg in argv]
    status, stdout, stderr = run(["embed", *argv], capsys)
    assert status == 2
    assert "Traceback" not in stderr
    assert fragment in stderr
    assert stdout == ""  # no partial CSV
    assert stderr.rstrip().splitlines()[-1].startswith("skembed embed: error:")


def test_an_error_from_the_shell_is_one_line_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "skembed", "embed", str(tmp_path / "nope.csv"), "--target", "y"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"skembed embed: error: no such file: {str(tmp_path / 'nope.csv')!r}"
    ]


def test_the_classifier_takes_text_targets(sales_csv, tmp_path, capsys):
    path, _ = sales_csv
    status, _, stderr = run(["embed", str(path), "--target", "kind", "--drop", "rownames",
                             "--out", str(tmp_path / "e.csv")], capsys)
    assert status == 0 and EmbeddingMLPClassifier.__name__ in stderr


def test_codes_stored_as_numbers_are_named_in_the_summary(tmp_path, capsys):
    rng = np.random.RandomState(0)
    n = 600
    frame = pd.DataFrame({"state": rng.randint(1, 40, n), "price": rng.uniform(1, 5, n)})
    frame["sales"] = rng.normal(size=40)[frame["state"]] - frame["price"] + rng.normal(0, 0.1, n)
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    status, _, stderr = run(["embed", str(path), "--target", "sales", "--hidden", "16",
                             "--out", str(tmp_path / "e.csv")], capsys)
    assert status == 0, stderr
    assert "(1 categorical, learned as embeddings; of them codes stored as numbers: state)" \
        in stderr
    # named with --categorical, the column is the user's choice, not a found code
    status, _, stderr = run(["embed", str(path), "--target", "sales", "--hidden", "16",
                             "--categorical", "state", "--out", str(tmp_path / "e.csv")], capsys)
    assert status == 0, stderr
    assert "(1 categorical, learned as embeddings)" in stderr
