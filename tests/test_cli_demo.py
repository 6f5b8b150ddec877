"""``skembed demo``: the house-price story, computed (DemoReport) and printed."""

import io
import re
import shutil
import subprocess
import sys

import pytest

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
    # the table's columns and what the network makes of them
    assert re.search(r"neighbourhood\s+category\s+20\s+a learned table", out)
    assert re.search(r"age_years\s+int64\s+\d+\s+scaled, then 1 \+ 8 learned functions", out)
    # the layer summary: input embeddings, layers, and a total without <NA>
    assert re.search(r"layer\s+inputs\s+neurons\s+weights\s+biases\s+parameters\s+activation", out)
    assert re.search(r"embedding\[size_sqft\]\s+16\s+8\s+128\s+8\s+136\s+piecewise_linear", out)
    assert re.search(r"hidden2\s+256\s+256\s+65536\s+256\s+65792\s+relu", out)
    assert re.search(r"total\s+6\s+513\s+\d+", out) and "<NA>" not in out
    # the model for tables' skip connection, counted and explained
    assert re.search(r"skip\s+48\s+1\s+48\s+0\s+48\s+linear", out)
    assert "The skip row is a linear map from the input embedding" in out
    # the five houses, layer by layer, and what to take from them
    for house in range(5):
        assert out.count(f"house {house}") >= 4  # columns, two hidden layers, prices
    assert re.search(r"hidden1_0\s+hidden1_1", out)
    assert "Mean error on these houses ($K): linear" in out
    # the hinge, the neighbourhoods, the dead neurons by name
    assert "it found the hinge at 30" in out
    assert re.search(r"true price level with correlation 0\.9\d\d", out)
    assert re.search(r"Dead in hidden\d: hidden\d_\d+", out)


@pytest.fixture(scope="module")
def demo_report():
    """The demo's results, computed without formatting them."""
    return run_demo()


def test_demo_network_is_the_model_to_pick(demo_report):
    r2 = demo_report.scores["held-out R²"]
    assert r2["network"] >= r2["linear"] + 0.05
    assert r2["network"] >= r2["boosting"]


def test_demo_network_learned_the_hinge_and_the_neighbourhoods(demo_report):
    ages = demo_report.ages["network"]
    before, after = ages[30] - ages[0], ages[100] - ages[30]
    assert abs(before) < 0.2 * abs(after)  # nearly flat up to 30, then down
    assert demo_report.neighbourhoods > 0.9


def test_demo_report_holds_what_is_printed(demo_report):
    text = format_demo(demo_report)
    assert f"{demo_report.scores.loc['network', 'held-out R²']:.3f}" in text
    total = demo_report.layers.iloc[-1]
    assert total["layer"] == "total"
    assert total["parameters"] == demo_report.layers["parameters"].iloc[:-1].sum()
    assert [frame.shape for frame in demo_report.houses_hidden] == [(5, 256), (5, 256)]
    assert (demo_report.sparsity["neurons"] == [256, 256]).all()
    assert len(demo_report.prices) == 5
    for layer, names in demo_report.dead.items():
        row = demo_report.sparsity.set_index("layer").loc[layer]
        assert len(names) == row["dead neurons"]


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
