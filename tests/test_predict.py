"""scripts/predict.py: parameters saved by one backend give the same predictions in the other,
and the accuracy it prints on a run's own test split is the one in that run's metrics.json."""
import csv
import json
import os

import numpy as np
import pytest

from conftest import assert_one_error_line, call_script, run_script
from tf_models.run import cli

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

ITERATIONS = 200


def train(run_dir, model, argv, dataset, learning_rate):
    parser = cli.build_parser(model, "test", learning_rate=learning_rate, iterations=ITERATIONS,
                              print_every=100, dataset=dataset)
    assert cli.main(parser, model, ["--run-dir", run_dir] + argv) == 0
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return json.load(f)


# name: (model, dataset, learning rate, flags)
RUNS = {"shallow-tf": ("shallow", "flower", 1.2, ["--backend", "tf"]),
        "shallow-numpy": ("shallow", "flower", 1.2, ["--backend", "numpy"]),
        "logistic-tf": ("logistic", "breast_cancer", 0.05, ["--backend", "tf"]),
        "deep-numpy": ("deep", "moons", 0.1, ["--backend", "numpy", "--layer-dims", "5,3,1"])}


@pytest.fixture(scope="module")
def runs(tmpdir_factory):
    root = str(tmpdir_factory.mktemp("predict"))
    found = {}
    for name, (model, dataset, lr, flags) in RUNS.items():
        run_dir = os.path.join(root, name)
        found[name] = (run_dir, train(run_dir, model, flags, dataset, lr))
    return found


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r["probability"]) for r in rows]),
            np.array([int(r["prediction"]) for r in rows]),
            np.array([int(r["label"]) for r in rows]))


def run_predict(*argv):
    """predict.py in-process: (exit status, stdout lines as {first word: rest}, stderr)."""
    ran = call_script("predict", *argv)
    lines = dict(line.split(None, 1) for line in ran.out.splitlines() if line.strip())
    return ran.status, lines, ran.err


def reported_accuracy(lines):
    """The fraction printed on the accuracy line, from its exact counts: "0.8600  (86 of 100 ...)"."""
    counts = lines["accuracy"].split("(")[1].split()
    return int(counts[0]) / float(counts[2])


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.parametrize("backend", ["numpy", "tf"])
def test_accuracy_on_the_runs_test_split_is_metrics_json(runs, capsys, name, backend):
    """Either backend, on the run's own test split (rebuilt from the seed in the file)."""
    run_dir, metrics = runs[name]
    status, lines, err = run_predict("--params", os.path.join(run_dir, "params.h5"),
                                     "--backend", backend)
    assert status == 0, err
    assert reported_accuracy(lines) == metrics["test_accuracy"]
    _, prediction, label = read_csv(lines["predictions"].strip())
    assert np.mean(prediction == label) == metrics["test_accuracy"]


@pytest.mark.parametrize("name", sorted(RUNS))
def test_both_backends_give_identical_predictions(runs, capsys, name, tmpdir):
    run_dir, _ = runs[name]
    out = {}
    for backend in ("numpy", "tf"):
        out[backend] = os.path.join(str(tmpdir), backend + ".csv")
        status, _, err = run_predict("--params", os.path.join(run_dir, "params.h5"),
                                     "--backend", backend, "--out", out[backend])
        assert status == 0, err
    p_np, y_np, labels = read_csv(out["numpy"])
    p_tf, y_tf, labels_tf = read_csv(out["tf"])
    np.testing.assert_array_equal(y_np, y_tf, err_msg="predictions: NumPy vs TF")
    np.testing.assert_array_equal(labels, labels_tf)
    np.testing.assert_allclose(p_np, p_tf, rtol=1e-12, atol=1e-15, err_msg="ŷ: NumPy vs TF")


def test_the_script_end_to_end(runs):
    """As a user runs it: a subprocess, the accuracy printed, a new CSV beside the parameters."""
    run_dir, metrics = runs["shallow-tf"]
    ran = run_script("predict", "--params", os.path.join(run_dir, "params.h5"), "--backend", "numpy")
    assert ran.status == 0, ran.err
    assert "accuracy    %.4f" % metrics["test_accuracy"] in ran.out
    assert "flower, test split, seed 1" in ran.out


def test_never_overwrites(runs, capsys, tmpdir):
    run_dir, _ = runs["shallow-numpy"]
    params = os.path.join(run_dir, "params.h5")
    first = run_predict("--params", params)[1]["predictions"].strip()
    second = run_predict("--params", params)[1]["predictions"].strip()
    assert first != second and os.path.dirname(first) == run_dir
    mine = os.path.join(str(tmpdir), "mine.csv")
    with open(mine, "w") as f:
        f.write("a user's file\n")
    status, _, err = run_predict("--params", params, "--out", mine)
    assert status == 2 and err.startswith("error: ") and "already exists" in err
    with open(mine) as f:
        assert f.read() == "a user's file\n"


def test_another_builtin_dataset(runs, capsys):
    run_dir, _ = runs["shallow-numpy"]
    status, lines, _ = run_predict("--params", os.path.join(run_dir, "params.h5"),
                                   "--dataset", "moons")
    assert status == 0 and lines["data"].startswith("moons, test split")


@pytest.mark.parametrize("argv,message", [
    (["--dataset", "digits"], "the data has 64 features per example but the parameters expect"),
    (["--params", "nowhere/params.h5"], "no such file"),
    (["--data", "nowhere.h5"], "no such file"),
])
def test_bad_input_is_one_error_line(runs, capsys, argv, message):
    run_dir, _ = runs["shallow-numpy"]
    status, _, err = run_predict("--params", os.path.join(run_dir, "params.h5"), *argv)
    assert_one_error_line(status, err, message)


# ---- HDF5 data in the course's layout -----------------------------------------------------------

def write_course_file(path, split, m, seed):
    """A tiny file of the cat/non-cat layout: (m, 4, 4, 3) uint8 images, label = bright or not."""
    import h5py
    rng = np.random.RandomState(seed)
    x = rng.randint(0, 256, size=(m, 4, 4, 3)).astype(np.uint8)
    y = (x.reshape(m, -1).mean(axis=1) > 127.5).astype(np.int64)
    with h5py.File(path, "w") as f:
        f.create_dataset("%s_set_x" % split, data=x)
        f.create_dataset("%s_set_y" % split, data=y)
        f.create_dataset("list_classes", data=np.array([b"dark", b"bright"]))


def test_hdf5_files_of_the_course_layout(tmpdir, capsys):
    train_file = os.path.join(str(tmpdir), "train_tiny.h5")
    test_file = os.path.join(str(tmpdir), "test_tiny.h5")
    write_course_file(train_file, "train", 80, 0)
    write_course_file(test_file, "test", 40, 1)
    run_dir = os.path.join(str(tmpdir), "run")
    metrics = train(run_dir, "logistic", ["--backend", "tf", "--data", train_file,
                                          "--test-data", test_file], "breast_cancer", 0.05)
    params = os.path.join(run_dir, "params.h5")
    # no data named: the run's own test file, as recorded in params.h5
    status, lines, err = run_predict("--params", params, "--backend", "tf")
    assert status == 0, err
    assert reported_accuracy(lines) == metrics["test_accuracy"]
    # the same file named explicitly
    status, lines, err = run_predict("--params", params, "--data", test_file)
    assert status == 0, err
    assert reported_accuracy(lines) == metrics["test_accuracy"]
    assert os.path.basename(lines["predictions"].strip()) == "predictions-test_tiny-numpy.csv"
