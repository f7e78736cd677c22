"""Every bad input to a script ends with exit status 2 and one ``error:`` line, no traceback.

The scripts' ``main(argv)`` run in-process (a subprocess costs a TensorFlow import each); one
subprocess case checks the same at the level of a real process. A diverging run also exits 2,
after saving its last good parameters with "status": "diverged" in metrics.json.
"""
import json
import os
import re

import numpy as np
import pytest

from bad_inputs import bad_h5_files, course_h5
from conftest import assert_one_error_line, call_script, load_script, start_script
from tf_models.run import params_io

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Bad course files, a non-empty run directory, and paths that cannot be directories."""
    tmp = tmp_path_factory.mktemp("bad_inputs")
    found = {case: path for case, (path, _) in bad_h5_files(tmp).items()}
    found["wide test"] = course_h5(str(tmp / "wide_test.h5"), "test", m=4, shape=(5, 5, 3))
    found["small train"] = course_h5(str(tmp / "small_train.h5"), m=8, shape=(2, 2, 3))
    found["test"] = course_h5(str(tmp / "test.h5"), "test", m=4, shape=(2, 2, 3))
    os.mkdir(str(tmp / "used_run"))
    with open(str(tmp / "used_run" / "metrics.json"), "w") as f:
        f.write("{}")
    found["used run"] = str(tmp / "used_run")
    found["a file"] = found["text file named .h5"]
    os.mkdir(str(tmp / "not_a_run"))
    found["not a run"] = str(tmp / "not_a_run")
    found["tmp"] = str(tmp)
    return found


# script, arguments (with {name} for a file of the fixture), words the error line must hold
CASES = {
    "learning rate 0": ("train_shallow", ["--learning-rate", "0"], "positive"),
    "negative learning rate": ("train_shallow", ["--learning-rate=-0.5"], "positive"),
    "learning rate nan": ("train_logistic", ["--learning-rate", "nan"], "positive"),
    "learning rate inf": ("train_logistic", ["--learning-rate", "inf"], "finite"),
    "learning rate text": ("train_deep", ["--learning-rate", "fast"], "expected a number"),
    "zero iterations": ("train_deep", ["--iterations", "0"], "at least 1"),
    "negative iterations": ("train_logistic", ["--iterations=-10"], "at least 1"),
    "fractional iterations": ("train_shallow", ["--iterations", "2.5"], "whole number"),
    "print every 0": ("train_shallow", ["--print-every", "0"], "at least 1"),
    "float16": ("train_deep", ["--dtype", "float16"], "float16"),
    "unknown dataset": ("train_shallow", ["--dataset", "mnist"], "mnist"),
    "unknown activation": ("train_shallow", ["--activation", "softmax"], "softmax"),
    "unknown init": ("train_deep", ["--init", "glorot"], "glorot"),
    "unknown backend": ("train_deep", ["--backend", "torch"], "torch"),
    "unknown flag": ("train_logistic", ["--epochs", "3"], "--epochs"),
    "layer of zero units": ("train_deep", ["--layer-dims", "20,0,1"], "positive whole numbers"),
    "negative units": ("train_deep", ["--layer-dims=-3,1"], "positive whole numbers"),
    "last layer not 1": ("train_deep", ["--layer-dims", "20,7,2"], "1 unit"),
    "empty layer dims": ("train_deep", ["--layer-dims", ""], "whole numbers"),
    "layer dims text": ("train_deep", ["--layer-dims", "big,small"], "whole numbers"),
    "too many units": ("train_shallow", ["--hidden-units", "100000000"], "fewer units"),
    "zero hidden units": ("train_shallow", ["--hidden-units", "0"], "at least 1"),
    "negative seed": ("train_shallow", ["--backend", "numpy", "--seed=-1"], "seed"),
    "huge seed": ("train_logistic", ["--seed", "99999999999"], "seed"),
    "test data alone": ("train_logistic", ["--test-data", "{test}"], "--test-data needs --data"),
    "test data wider than train": ("train_logistic", ["--data", "{small train}",
                                                      "--test-data", "{wide test}"], "features"),
    "--data: a device, not a file": ("train_deep", ["--data", os.devnull], "not a regular file"),
    "run dir in use": ("train_logistic", ["--backend", "numpy", "--run-dir", "{used run}"],
                       "already exists"),
    "run dir inside a file": ("train_logistic", ["--backend", "numpy",
                                                 "--run-dir", "{a file}/run"], "cannot create"),
    "resume a missing directory": ("train_shallow", ["--resume", "{tmp}/gone"], "no such"),
    "resume a directory that is not a run": ("train_shallow", ["--resume", "{not a run}"],
                                             "not a run"),
    "resume a half run": ("train_shallow", ["--resume", "{used run}"], "not a run"),
}
H5_CASES = ["missing", "directory", "text file named .h5", "zero-byte file", "truncated to 0.5",
            "truncated to 0.99", "wrong keys", "a group where a dataset belongs",
            "x and y disagree", "x one-dimensional", "y two columns", "labels 1/2", "NaN pixel",
            "no examples", "text pixels", "one example, nothing to split"]
for _case in H5_CASES:
    CASES["--data: " + _case] = ("train_deep", ["--data", "{%s}" % _case], "")


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_input_gives_one_error_line_and_status_2(files, case):
    name, args, words = CASES[case]
    argv = [re.sub(r"\{([^}]*)\}", lambda k: files[k.group(1)], a) for a in args]
    if not any(a.startswith("--iterations") for a in argv):
        argv += ["--iterations", "1"]  # should the input slip through, fail fast, not train long
    status, out, err = call_script(name, *argv)
    assert_one_error_line(status, err, words)


def test_a_real_process_prints_one_line_and_no_traceback(files):
    proc = start_script("train_deep", "--data", files["text file named .h5"])
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err


@pytest.mark.parametrize("failure, status, words", [
    (MemoryError(), 2, "not enough memory"),
    (ZeroDivisionError("float division by zero"), 1, "unexpected ZeroDivisionError"),
])
def test_out_of_memory_and_bugs_also_end_in_one_line(monkeypatch, failure, status, words):
    """Out of memory is the input's size (2); anything else is a bug (1), shown on request."""
    from tf_models.run import execute

    def fail(*args, **kw):
        raise failure
    monkeypatch.setattr(execute, "execute", fail)
    monkeypatch.delenv("TF_MODELS_TRACEBACK", raising=False)
    got, out, err = call_script("train_logistic")
    assert got == status and err.count("\n") == 1 and err.startswith("error: ")
    assert words in err and "Traceback" not in err
    if status == 1:
        monkeypatch.setenv("TF_MODELS_TRACEBACK", "1")
        with pytest.raises(type(failure)):
            load_script("train_logistic").main([])


@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_a_diverging_run_saves_its_last_good_parameters_and_exits_2(tmp_path, backend):
    run_dir = str(tmp_path / "run")
    status, out, err = call_script("train_logistic", *[
        "--backend", backend, "--learning-rate", "1e6", "--iterations", "300",
        "--print-every", "10", "--run-dir", run_dir])
    assert_one_error_line(status, err, "diverged", "learning rate", run_dir)
    assert "iteration      0" in out
    with open(os.path.join(run_dir, "metrics.json")) as f:
        metrics = json.load(f)
    assert metrics["status"] == "diverged" and "learning rate" in metrics["stop_reason"]
    assert metrics["costs"] == [[0, pytest.approx(np.log(2))]]
    parameters, attrs = params_io.load_params(os.path.join(run_dir, "params.h5"))
    assert attrs["learning_rate"] == 1e6
    np.testing.assert_array_equal(parameters["w"], 0)  # iteration 0: the zeros it started from


@pytest.fixture(scope="module")
def trained_params(tmp_path_factory):
    """A params.h5 from a 1-iteration logistic run on breast_cancer."""
    run_dir = str(tmp_path_factory.mktemp("run") / "logistic")
    assert load_script("train_logistic").main(["--backend", "numpy", "--iterations", "1",
                                          "--run-dir", run_dir]) == 0
    return os.path.join(run_dir, "params.h5")


def test_predict_rejects_bad_parameter_files_and_data(files, trained_params):
    for params, extra, words in [
            (os.path.join(files["tmp"], "none.h5"), [], "no such file"),
            (files["text file named .h5"], [], "not a readable HDF5 file"),
            (files["truncated to 0.5"], [], "HDF5"),
            (files["small train"], [], "not a parameter file"),
            (trained_params, ["--data", files["small train"]], "features"),
            (trained_params, ["--dataset", "flower"], "features")]:
        status, out, err = call_script("predict", *(["--params", params] + extra))
        assert_one_error_line(status, err, words)
