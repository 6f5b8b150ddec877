"""Tests of the command line: ``skembed demo`` and ``skembed embed``."""

import io
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skembed import EmbeddingMLPRegressor
from skembed.__main__ import main
from skembed._cli.demo import run_demo
from skembed._cli.text import format_demo

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


# --------------------------------------------------------------------------
# skembed demo
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_output():
    """The demo's stdout and stderr, run once through main()."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        status = main(["demo"])
    return status, stdout.getvalue(), stderr.getvalue()


def test_demo_exits_0_and_prints_the_tables(demo_output):
    status, out, err = demo_output
    assert status == 0
    assert "Traceback" not in out + err
    # the layer summary, with its total
    assert re.search(r"layer\s+inputs\s+neurons\s+weights\s+biases\s+parameters\s+activation", out)
    for layer, inputs, neurons in [("hidden1", 3, 32), ("hidden2", 32, 16), ("output", 16, 1)]:
        parameters = inputs * neurons + neurons
        assert re.search(rf"{layer}\s+{inputs}\s+{neurons}\s+{inputs * neurons}\s+{neurons}"
                         rf"\s+{parameters}\s", out), layer
    assert re.search(r"total\s+<NA>\s+<NA>\s+624\s+49\s+673", out)
    # the five houses, layer by layer
    for house in range(5):
        assert out.count(f"house {house}") >= 4  # inputs (twice), two hidden layers, output
    assert "Hidden layer 1" in out and "Hidden layer 2" in out
    assert re.search(r"hidden1_0\s+hidden1_1", out)
    # sparsity per layer
    assert re.search(r"layer\s+neurons\s+sparsity\s+dead neurons", out)
    assert re.search(r"hidden1\s+32\s+0\.\d\d", out)


@pytest.fixture(scope="module")
def demo_report():
    """The demo's results, computed without formatting them."""
    return run_demo()


def test_demo_network_clearly_beats_the_linear_model(demo_report):
    r2_linear, r2_network = demo_report.scores["held-out R²"]
    assert r2_network >= r2_linear + 0.05


def test_demo_report_holds_what_is_printed(demo_report):
    text = format_demo(demo_report)
    assert f"{demo_report.scores['held-out R²'].iloc[1]:.3f}" in text
    total = demo_report.layers.iloc[-1]
    assert total["parameters"] == 673
    assert [frame.shape for frame in demo_report.houses_hidden] == [(5, 32), (5, 16)]
    assert (demo_report.sparsity["neurons"] == [32, 16]).all()
    assert len(demo_report.prices) == 5


def test_python_dash_m_skembed_demo():
    result = subprocess.run(
        [sys.executable, "-m", "skembed", "demo"], capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "total" in result.stdout and "house 4" in result.stdout


@pytest.mark.skipif(shutil.which("skembed") is None, reason="console script not installed")
def test_console_script_is_installed():
    result = subprocess.run(["skembed", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("skembed ")


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "choose a command" in err and "Traceback" not in err


# --------------------------------------------------------------------------
# skembed embed: round trips
# --------------------------------------------------------------------------


@pytest.fixture
def houses_csv(tmp_path):
    rng = np.random.RandomState(0)
    n = 120
    frame = pd.DataFrame({
        "size_sqft": rng.uniform(600, 4000, n).round(),
        "bedrooms": rng.randint(1, 6, n),
        "age_years": rng.randint(0, 100, n),
        "has_pool": rng.uniform(size=n) < 0.4,
    })
    frame["price"] = (300 + 0.4 * frame["size_sqft"] - 3 * np.maximum(0, frame["age_years"] - 30)
                      + rng.normal(scale=20, size=n))
    frame["kind"] = np.where(frame["size_sqft"] > 2000, "large", "small")
    frame["rooms_class"] = np.clip(frame["bedrooms"], 1, 3)
    path = tmp_path / "houses.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_embed_round_trips_a_csv(houses_csv, tmp_path, capsys):
    path, frame = houses_csv
    out = tmp_path / "embeddings.csv"
    data = frame.drop(columns=["kind", "rooms_class"])
    data.to_csv(path, index=False)

    status = main(["embed", str(path), "--target", "price", "--layer", "0", "--hidden", "8,4",
                   "--out", str(out)])

    assert status == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # the CSV went to --out
    assert "EmbeddingMLPRegressor" in captured.err
    embeddings = pd.read_csv(out)
    assert embeddings.shape == (len(frame), 8)
    assert embeddings.columns.tolist() == [f"hidden1_{j}" for j in range(8)]
    # the same network fitted from Python gives the same embeddings
    X = data.drop(columns=["price"]).astype(float)
    model = make_pipeline(StandardScaler(), EmbeddingMLPRegressor(
        hidden_layer_sizes=(8, 4), embedding_layer=0, solver="lbfgs", max_iter=500,
        dtype="float32", categorical_features=None, random_state=0,
    )).fit(X, data["price"])
    np.testing.assert_allclose(embeddings.to_numpy(), model.transform(X), rtol=1e-6, atol=1e-6)
    assert (embeddings.to_numpy() == 0).any()  # ReLU zeros survive the round trip


def test_embed_writes_the_last_layer_to_stdout_by_default(houses_csv, capsys):
    path, frame = houses_csv
    frame.drop(columns=["kind"]).to_csv(path, index=False)

    assert main(["embed", str(path), "--target", "price"]) == 0

    embeddings = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert embeddings.shape == (len(frame), 16)  # default hidden layers 32,16
    assert embeddings.columns.tolist() == [f"hidden2_{j}" for j in range(16)]


@pytest.mark.parametrize(
    "target, task, expected",
    [
        ("kind", "auto", "EmbeddingMLPClassifier"),  # strings
        ("rooms_class", "auto", "EmbeddingMLPClassifier"),  # few integer values
        ("price", "auto", "EmbeddingMLPRegressor"),
        ("rooms_class", "regression", "EmbeddingMLPRegressor"),
    ],
)
def test_embed_chooses_classifier_or_regressor(houses_csv, tmp_path, capsys, target, task,
                                               expected):
    path, frame = houses_csv
    others = [c for c in ("kind", "rooms_class", "price") if c != target]
    frame.drop(columns=others).to_csv(path, index=False)
    out = tmp_path / "e.csv"

    status = main(["embed", str(path), "--target", target, "--task", task, "--hidden", "4",
                   "--out", str(out)])

    assert status == 0
    assert expected in capsys.readouterr().err
    assert pd.read_csv(out).shape == (len(frame), 4)


def test_embed_plot(houses_csv, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("skembed.plotting")
    path, frame = houses_csv
    frame.drop(columns=["kind", "rooms_class"]).to_csv(path, index=False)
    png = tmp_path / "embeddings.png"

    status = main(["embed", str(path), "--target", "price", "--hidden", "4,3",
                   "--out", str(tmp_path / "e.csv"), "--plot", str(png)])

    assert status == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_embed_plot_without_plotting_says_so(houses_csv, tmp_path, capsys, monkeypatch):
    path, frame = houses_csv
    frame.drop(columns=["kind", "rooms_class"]).to_csv(path, index=False)
    monkeypatch.setitem(sys.modules, "skembed.plotting", None)  # import fails
    png = tmp_path / "embeddings.png"

    status = main(["embed", str(path), "--target", "price", "--hidden", "4",
                   "--out", str(tmp_path / "e.csv"), "--plot", str(png)])

    assert status == 0
    assert "plotting is not available" in capsys.readouterr().err
    assert not png.exists()


# --------------------------------------------------------------------------
# skembed embed: error paths
# --------------------------------------------------------------------------


def _bad_csvs(tmp_path):
    good = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0, 1, 0, 1], "y": [1.0, 2.0, 3.0, 5.0]})
    files = {
        "good": good,
        "text": good.assign(city=["x", "y", "x", "z"]),
        "nan_feature": good.assign(a=[1.0, np.nan, 3.0, 4.0]),
        "nan_target": good.assign(y=[1.0, np.nan, 3.0, 4.0]),
        "only_target": good[["y"]],
        "header_only": good.iloc[:0],
        "one_class": good.assign(y=["yes"] * 4),
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
    ("missing target", ["{good}", "--target", "price"], "no column 'price'"),
    ("no --target", ["{good}"], "--target"),
    ("non-numeric feature", ["{text}", "--target", "y"], "non-numeric feature column(s) 'city'"),
    ("missing feature value", ["{nan_feature}", "--target", "y"], "missing values"),
    ("missing target value", ["{nan_target}", "--target", "y"], "missing value"),
    ("no features", ["{only_target}", "--target", "y"], "no feature column"),
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
def test_embed_errors_exit_2_with_a_clear_message(tmp_path, capsys, argv, fragment):
    paths = {name: str(path) for name, path in _bad_csvs(tmp_path).items()}
    argv = [arg.format(dir=tmp_path, **paths) for arg in argv]

    status = main(["embed", *argv])

    captured = capsys.readouterr()
    assert status == 2
    assert "Traceback" not in captured.err
    assert fragment in captured.err
    assert captured.out == ""  # no partial CSV
    assert captured.err.rstrip().splitlines()[-1].startswith("skembed embed: error:")


def test_embed_error_from_the_shell_is_one_line_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "skembed", "embed", str(tmp_path / "nope.csv"), "--target", "y"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"skembed embed: error: no such file: {str(tmp_path / 'nope.csv')!r}"
    ]
