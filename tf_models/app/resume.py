"""Continuing a run: ``--resume RUN_DIR`` trains on from where RUN_DIR stopped, into a new run.

The new run keeps the old one's model, data, seed, dtype and architecture; TF restores the old
run's newest checkpoint, NumPy (or a run without checkpoints) starts from its params.h5.
"""
import json
import os

from tf_models import datasets
from tf_models.app import params_io, rundir

RESUME_KEYS = ("model", "dataset", "layer_dims", "seed", "dtype", "learning_rate", "iterations",
               "costs", "backend")


def read_run(run_dir):
    """The metrics.json of a run directory; ValueError (one line) when ``run_dir`` is not a run."""
    path = os.path.join(run_dir, "metrics.json")
    if not os.path.isdir(run_dir):
        raise ValueError("--resume %s: no such directory" % run_dir)
    if not (os.path.isfile(path) and os.path.isfile(os.path.join(run_dir, "params.h5"))):
        raise ValueError("--resume %s: not a run directory (a run holds the metrics.json and "
                         "params.h5 that a training script writes)" % run_dir)
    try:
        with open(path) as f:
            metrics = json.load(f)
    except (OSError, IOError, ValueError) as e:
        raise ValueError("--resume %s: metrics.json is not readable JSON (%s)"
                         % (run_dir, str(e).splitlines()[0]))
    missing = [k for k in RESUME_KEYS if not isinstance(metrics, dict) or k not in metrics]
    if missing:
        raise ValueError("--resume %s: metrics.json lacks %s; it was not written by a training "
                         "script" % (run_dir, ", ".join(missing)))
    return metrics



def apply(config, given=()):
    """``config`` (a RunConfig) filled from the run it resumes (``config.resume``): its model,
    data, seed, dtype and architecture always; its backend, learning rate, mode and print
    interval unless the user gave them (names in ``given``). ``iterations`` stays: the
    iterations to add. The old run's metrics go to ``previous``."""
    old = read_run(config.resume)
    if old["model"] != config.model:
        raise ValueError("--resume %s: that is a %s run; resume it with scripts/train_%s.py"
                         % (config.resume, old["model"], old["model"]))
    dataset = old["dataset"]
    builtin = dataset in datasets.DATASETS
    changes = dict(dataset=dataset if builtin else None, data=None if builtin else dataset,
                   test_data=None if builtin else old.get("test_dataset"), seed=old["seed"],
                   dtype=old["dtype"], hidden_dims=list(old["layer_dims"][1:-1]),
                   activation=old.get("activation"), init=old.get("init", config.init),
                   previous=old)
    for key in ("backend", "learning_rate", "update", "mode", "print_every"):
        if key not in given and old.get(key) is not None:
            changes[key] = old[key]
    return config._replace(**changes)


def point(config, layer_dims):
    """(parameters, start iteration, checkpoint or None) to continue the run ``config.resume``.

    TF restores the run's newest checkpoint (its iteration is the start); NumPy, or a run
    without checkpoints (one trained by NumPy), starts from params.h5 at the iteration it holds
    (the last recorded one, or ``iterations_completed`` of a stopped run). params.h5 also
    gives the shapes the TF graph is built with.
    """
    old = config.previous
    parameters, attrs = params_io.load_params(os.path.join(config.resume, "params.h5"))
    if list(attrs["layer_dims"]) != list(layer_dims):
        raise ValueError("--resume %s: its parameters have layer_dims %s but the data now gives %s"
                         % (config.resume, attrs["layer_dims"], layer_dims))
    start = int(old.get("iterations_completed") or old["costs"][-1][0])
    checkpoint = None
    if config.backend == "tf":
        found, step = rundir.latest_checkpoint(config.resume)
        if found:
            checkpoint, start = found, step
    return parameters, start, checkpoint
