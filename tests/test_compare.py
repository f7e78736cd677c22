"""NumPy vs TensorFlow comparison (tf_models.learner.compare_backends, scripts/compare_backends.py).

Checks, in order: the difference measure itself; that both backends agree within the dtype's
tolerance for every model (and that they really trained); that the check fails when the two starts
differ or the tolerance is 0; and the script's exit status, table, final line and plot.
"""
import os
import re

import numpy as np
import pytest

from conftest import RTOL, assert_one_error_line, call_script, run_script
from tf_models.learner import compare_backends
from tf_models import models

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_parameter_difference_finds_the_largest_entry_and_its_name():
    a = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]]), "W2": np.array([[3.0]])}
    b = {"W1": np.array([[1.0, 2.25]]), "b1": np.array([[0.0]]), "W2": np.array([[-4.0]])}
    diff, name, scale = compare_backends.parameter_difference(a, b)
    assert (diff, name) == (7.0, "W2")
    assert scale == 4.0  # max |θ_b|


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("model", models.MODELS)
def test_backends_agree_within_the_dtype_tolerance(model, dtype):
    result = compare_backends.compare_dataset(model, dtype=dtype, num_iterations=60, record_every=20)
    # one row per record, at the same iterations as the NumPy trainer records
    assert [r["iteration"] for r in result.rows] == [0, 20, 40, 60]
    # training moved the parameters: the comparison is not of two untouched starts
    costs = result.costs("numpy")
    assert costs[-1][1] < costs[0][1] - 1e-3, costs
    # parameters: within the tolerance at every record
    for r in result.rows:
        assert r["diff"] <= compare_backends.TOLERANCE[dtype] * r["scale"], r
    assert result.ok
    # costs: the two backends' J agree to the dtype's precision
    np.testing.assert_allclose([J for _, J in result.costs("numpy")],
                               [J for _, J in result.costs("tf")], rtol=RTOL[dtype] * 10,
                               err_msg="J: NumPy vs TF (%s, %s)" % (model, dtype))


def test_float64_agreement_is_far_tighter_than_the_tolerance():
    result = compare_backends.compare_dataset("deep", dtype="float64", num_iterations=100, record_every=50)
    assert result.max_diff < 1e-12, compare_backends.summary(result)


def test_a_different_start_exceeds_the_tolerance():
    # the TF copy starts with W1[0, 0] moved by 0.1: a real disagreement the check must catch
    result = compare_backends.compare_dataset("shallow", dtype="float64", num_iterations=40,
                                     record_every=20, perturb=0.1)
    assert not result.ok
    assert result.rows[0]["diff"] == pytest.approx(0.1, rel=1e-12)
    assert "EXCEEDS" in compare_backends.summary(result)


def test_tolerance_zero_fails_where_the_default_passes():
    # a difference of 1e-13 in one weight: inside 1e-10, outside a tolerance of 0
    kwargs = dict(model="logistic", dtype="float64", num_iterations=20, record_every=10,
                  perturb=1e-13)
    assert compare_backends.compare_dataset(**kwargs).ok
    assert not compare_backends.compare_dataset(tolerance=0.0, **kwargs).ok


def test_script_prints_the_table_and_writes_the_plot(tmp_path):
    out = str(tmp_path / "cmp.png")
    status, text, err = call_script("compare_backends", "--model", "shallow", "--dtype", "float32",
                                    "--iterations", "40", "--print-every", "20", "--out", out)
    assert status == 0, text + err
    rows = [line for line in text.splitlines() if re.match(r"\s+\d+\s", line)]
    assert [int(line.split()[0]) for line in rows] == [0, 20, 40]
    assert "largest parameter difference" in text and ": OK" in text
    with open(out, "rb") as f:
        assert f.read(8) == PNG_MAGIC


def test_script_exit_status_one_past_the_tolerance(tmp_path):
    ran = call_script("compare_backends", "--model", "logistic", "--iterations", "20",
                      "--print-every", "10", "--tolerance", "0", "--perturb", "1e-13",
                      "--out", str(tmp_path / "cmp.png"))
    assert ran.status == 1, ran.out + ran.err


def test_script_as_a_process_deep_float64(tmp_path):
    """The acceptance command (fewer iterations): exit 0 and a largest difference under 1e-10."""
    out = str(tmp_path / "deep.png")
    ran = run_script("compare_backends", "--model", "deep", "--dtype", "float64",
                     "--iterations", "50", "--print-every", "25", "--out", out)
    assert ran.status == 0, ran.out + ran.err
    largest = float(re.search(r"largest parameter difference: (\S+)", ran.out).group(1))
    assert largest < 1e-10
    assert os.path.getsize(out) > 0


def test_script_rejects_bad_input_with_status_two():
    ran = call_script("compare_backends", "--model", "deep", "--iterations", "0")
    assert_one_error_line(ran.status, ran.err, "--iterations")
