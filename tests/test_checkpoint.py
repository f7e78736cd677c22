"""Checkpoints and ``--resume``: N iterations, a resume, then M more equal N + M straight.

A resumed run continues from the old run's newest TF checkpoint (TF backend) or its params.h5
(NumPy backend) into a new run directory; the old one is left as it was. In float64 the
parameters must match a straight run to 1e-12 (gradient descent is deterministic, so in fact
they are identical).
"""
import json
import os

import numpy as np
import pytest

from conftest import assert_one_error_line, run_script
from tf_models.run import cli, config, execute, params_io, rundir
from tf_models.graphs.tfcompat import tf

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

# model: (dataset, learning rate, extra flags)
MODELS = {"logistic": ("breast_cancer", 0.05, []),
          "shallow": ("flower", 1.2, []),
          "deep": ("moons", 0.1, ["--layer-dims", "6,3,1"])}
N, M, EVERY = 120, 80, 40


def train(tmpdir, name, model, argv):
    """Run a training script's command-line path; returns (run_dir, metrics)."""
    dataset, learning_rate, _ = MODELS[model]
    run_dir = os.path.join(str(tmpdir), name)
    parser = cli.build_parser(model, "test", learning_rate=learning_rate, iterations=N,
                               print_every=EVERY, dataset=dataset)
    assert cli.main(parser, model, ["--run-dir", run_dir] + argv) == 0
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return run_dir, json.load(f)


def params(run_dir):
    return params_io.load_params(os.path.join(run_dir, "params.h5"))[0]


def snapshot(run_dir):
    """{relative path: bytes} of every file in a run directory."""
    files = {}
    for folder, _, names in os.walk(run_dir):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, run_dir)] = f.read()
    return files


def assert_same_parameters(resumed, straight):
    for key in sorted(straight):
        np.testing.assert_allclose(resumed[key], straight[key], rtol=0, atol=1e-12,
                                   err_msg="%s: resumed vs straight" % key)


@pytest.mark.parametrize("backend", ["tf", "numpy"])
@pytest.mark.parametrize("model", sorted(MODELS))
def test_n_then_resume_m_equals_n_plus_m(tmpdir, model, backend):
    flags = ["--backend", backend, "--dtype", "float64"] + MODELS[model][2]
    first, _ = train(tmpdir, "first", model, flags + ["--iterations", str(N)])
    before = snapshot(first)
    resumed, metrics = train(tmpdir, "resumed", model,
                             ["--resume", first, "--iterations", str(M)])
    straight, expected = train(tmpdir, "straight", model, flags + ["--iterations", str(N + M)])
    # parameters
    assert_same_parameters(params(resumed), params(straight))
    # the record of the resumed run covers the whole training, as the straight one does
    assert metrics["iterations"] == N + M and metrics["backend"] == backend
    assert metrics["resumed_from"] == {"run_dir": first, "iteration": N}
    assert [i for i, _ in metrics["costs"]] == [i for i, _ in expected["costs"]]
    np.testing.assert_allclose([J for _, J in metrics["costs"]],
                               [J for _, J in expected["costs"]], rtol=1e-12, err_msg="costs")
    # the old run is untouched
    assert snapshot(first) == before


def shallow_config(run_dir, **settings):
    """A checked RunConfig of the shallow network on the flower (as train_shallow.py fills it)."""
    values = dict(model="shallow", backend="tf", iterations=N, print_every=EVERY, run_dir=run_dir)
    values.update(settings)
    return config.check(config.make(**values))


def checkpoint_steps(run_dir):
    folder = os.path.join(run_dir, rundir.CHECKPOINT_DIR)
    return sorted(int(f[len("model.ckpt-"):-len(".index")]) for f in os.listdir(folder)
                  if f.endswith(".index"))


def test_tf_checkpoints_at_intervals_and_resume_from_the_newest(tmpdir):
    """With checkpoint_seconds = 0 a checkpoint is saved at every printed record (the last two
    kept), the final one at the last iteration, its variables named as the course names them.
    A resumed run starts from the newest of params.h5 and the checkpoints: here, with the final
    checkpoint gone and params.h5 replaced by that of iteration N - EVERY (a run killed between
    two saves can leave either one ahead), from the checkpoint at N - EVERY, and with params.h5
    ahead of every checkpoint, from params.h5."""
    first = os.path.join(str(tmpdir), "first")
    execute.execute(shallow_config(first, checkpoint_seconds=0))
    assert checkpoint_steps(first) == [N - EVERY, N]
    path, step = rundir.latest_checkpoint(first)
    assert step == N and path.endswith("model.ckpt-%d" % N)
    assert dict(tf.train.list_variables(path)) == {"W1": [4, 2], "b1": [4, 1], "W2": [1, 4],
                                                   "b2": [1, 1]}
    folder = os.path.join(first, rundir.CHECKPOINT_DIR)
    for f in os.listdir(folder):
        if f.startswith("model.ckpt-%d." % N):
            os.remove(os.path.join(folder, f))
    assert checkpoint_steps(first) == [N - EVERY]
    # params.h5 ahead of the checkpoints: from params.h5, at N
    resumed, metrics = train(tmpdir, "from_params", "shallow", ["--resume", first, "--iterations",
                                                                str(M)])
    assert metrics["resumed_from"]["iteration"] == N
    straight, _ = train(tmpdir, "straight", "shallow", ["--iterations", str(N + M)])
    assert_same_parameters(params(resumed), params(straight))
    # a checkpoint ahead of params.h5: from the checkpoint, at N - EVERY
    older = os.path.join(str(tmpdir), "older")
    execute.execute(shallow_config(older, iterations=N - EVERY - 10))
    os.replace(os.path.join(older, "params.h5"), os.path.join(first, "params.h5"))
    resumed, metrics = train(tmpdir, "from_checkpoint", "shallow",
                             ["--resume", first, "--iterations", str(M)])
    straight, _ = train(tmpdir, "straight2", "shallow", ["--iterations", str(N - EVERY + M)])
    assert metrics["resumed_from"]["iteration"] == N - EVERY
    assert metrics["iterations"] == N - EVERY + M
    assert_same_parameters(params(resumed), params(straight))


def test_numpy_run_resumed_by_tf(tmpdir):
    """A NumPy run (no checkpoint) resumes in TF from its params.h5; the two backends then
    agree with a straight NumPy run to the precision of float64 arithmetic."""
    first, _ = train(tmpdir, "first", "shallow", ["--backend", "numpy", "--iterations", str(N)])
    resumed, metrics = train(tmpdir, "resumed", "shallow",
                             ["--resume", first, "--backend", "tf", "--iterations", str(M)])
    straight, _ = train(tmpdir, "straight", "shallow",
                        ["--backend", "numpy", "--iterations", str(N + M)])
    assert metrics["backend"] == "tf" and metrics["resumed_from"]["iteration"] == N
    got, want = params(resumed), params(straight)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-9, atol=1e-12, err_msg=key)


# ---- bad input -------------------------------------------------------------------------------

def test_resume_of_a_folder_that_is_not_a_run(tmpdir):
    ran = run_script("train_shallow", "--resume", str(tmpdir))
    assert_one_error_line(ran.status, ran.err, "not a run directory")
    assert os.listdir(str(tmpdir)) == []


@pytest.fixture(scope="module")
def small_run(tmpdir_factory):
    """A short NumPy run of the shallow network, to be resumed (or not) by the tests below."""
    return train(tmpdir_factory.mktemp("small"), "first", "shallow",
                 ["--backend", "numpy", "--iterations", "10"])[0]


@pytest.mark.parametrize("argv,message", [
    (["--dataset", "moons"], "--dataset cannot be combined with --resume"),
    (["--hidden-units", "7"], "--hidden-units cannot be combined with --resume"),
])
def test_resume_refuses_flags_that_would_change_the_run(small_run, capsys, argv, message):
    parser = cli.build_parser("shallow", "test", iterations=10, print_every=5)
    assert cli.main(parser, "shallow", ["--resume", small_run] + argv) == 2
    assert message in capsys.readouterr().err


def test_resume_with_the_wrong_script(small_run, capsys):
    parser = cli.build_parser("deep", "test", learning_rate=0.1, iterations=10, print_every=5,
                              dataset="moons")
    assert cli.main(parser, "deep", ["--resume", small_run]) == 2
    assert "resume it with scripts/train_shallow.py" in capsys.readouterr().err
