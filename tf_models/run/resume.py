"""Continuing a run: ``--resume RUN_DIR`` trains on from where RUN_DIR stopped, into a new run.

The new run keeps the old one's model, data, seed, dtype and architecture. It starts from the
old run's params.h5, at the iteration those parameters belong to, or, for TF, from the run's
newest checkpoint when that is newer (a damaged or foreign one is passed over, with a warning).
A run that did not finish (stopped, or killed: its params.h5 and metrics.json, "status":
"running", are its last saved progress) is continued up to its planned iterations unless
--iterations says how many to add. A data file whose content changed since the old run is
refused.
"""
import json
import os

import numpy as np

from tf_models import datasets
from tf_models.run import console, params_io, rundir

RESUME_KEYS = ("model", "dataset", "layer_dims", "seed", "dtype", "learning_rate", "iterations",
               "costs", "backend")


def read_run(run_dir):
    """The metrics.json of a run directory; ValueError (one line) when ``run_dir`` is not a run."""
    path = os.path.join(run_dir, "metrics.json")
    if not os.path.isdir(run_dir):
        raise ValueError("--resume %s: no such directory" % run_dir)
    if not (os.path.isfile(path) and os.path.isfile(os.path.join(run_dir, "params.h5"))) and \
            os.path.exists(os.path.join(run_dir, rundir.LOCK)):
        raise ValueError("--resume %s: that run saved no progress yet (it holds no params.h5 and "
                         "metrics.json: it is starting, or was stopped before its first "
                         "iteration); start a new run instead" % run_dir)
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
    bad = _malformed(metrics)
    if bad:
        raise ValueError("--resume %s: metrics.json has %s; it was not written by a training "
                         "script, or was edited" % (run_dir, bad))
    return metrics


def _malformed(m):
    """What is wrong with the fields a resume relies on, or None."""
    costs, dims = m["costs"], m["layer_dims"]
    if not (isinstance(costs, list) and costs and all(
            isinstance(c, list) and len(c) == 2 and all(_number(v) for v in c) for c in costs)):
        return "costs %s (expected a non-empty list of [iteration, cost] pairs)" % _short(costs)
    if not (isinstance(dims, list) and len(dims) >= 2 and all(
            isinstance(n, int) and n >= 1 for n in dims)):
        return "layer_dims %s (expected a list of positive whole numbers)" % _short(dims)
    done = m.get("iterations_completed")
    if done is not None and not (isinstance(done, int) and done >= 0):
        return "iterations_completed %s" % _short(done)
    if not isinstance(m.get("dataset"), str):
        return "dataset %s" % _short(m.get("dataset"))
    return None


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _short(value):
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_data(config, prints):
    """ValueError when a data file of the resumed run changed since it trained (its content
    fingerprint differs from the one in its metrics.json)."""
    recorded = (config.previous or {}).get("data_fingerprints") or {}
    for path, now in sorted(prints.items()):
        if path in recorded and recorded[path] != now:
            raise ValueError("--resume %s: the data file %s changed since that run trained on it "
                             "(its content fingerprint differs); resume with the same data, or "
                             "start a new run" % (config.resume, path))



def apply(config, given=()):
    """``config`` (a RunConfig) filled from the run it resumes (``config.resume``): its model,
    data, seed, dtype and architecture always; its backend, learning rate, mode and print
    interval unless the user gave them (names in ``given``). ``iterations``, when given, are
    the iterations to add; otherwise a run that did not finish goes on ``until`` its planned
    total. The old run's metrics go to ``previous``."""
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
    if "iterations" not in given and old.get("status") in UNFINISHED:
        changes["until"] = old["iterations"]
    return config._replace(**changes)


UNFINISHED = ("running", "interrupted")  # a run that stopped short of its planned iterations


def point(config, layer_dims):
    """(parameters, start iteration, checkpoint or None) to continue the run ``config.resume``.

    The start is the iteration params.h5's parameters belong to (its ``iterations_completed``;
    files written before it was recorded: metrics.json's, or its last record). TF restores the
    run's newest checkpoint instead when it is at least as new. params.h5 also gives the shapes
    the TF graph is built with.
    """
    old = config.previous
    parameters, attrs = params_io.load_params(os.path.join(config.resume, "params.h5"))
    if list(attrs["layer_dims"]) != list(layer_dims):
        raise ValueError("--resume %s: its parameters have layer_dims %s but the data now gives %s"
                         % (config.resume, attrs["layer_dims"], layer_dims))
    done = attrs.get("iterations_completed")
    start = int(done if isinstance(done, int) else
                old.get("iterations_completed") or old["costs"][-1][0])
    checkpoint = None
    if config.backend == "tf":
        found, step = rundir.latest_checkpoint(config.resume)
        if found and step < start:
            found = None  # older than params.h5: the parameters are newer
        if found and _usable(found, parameters):
            checkpoint, start = found, step
        elif found:
            console.warn("warning: %s cannot be read or does not hold this model's parameters; "
                         "resuming from params.h5 (iteration %d) instead" % (found, start))
    return parameters, start, checkpoint


def remaining(config, start):
    """``config`` with the iterations left from ``start`` to its ``until`` (a run that did not
    finish); ValueError when none are left."""
    if config.until is None:
        return config
    if config.until <= start:
        raise ValueError("--resume %s: its parameters are at iteration %d, the run's planned total; "
                         "give --iterations N to train N more" % (config.resume, start))
    return config._replace(iterations=config.until - start)


def _usable(prefix, parameters):
    """True when the checkpoint ``prefix`` holds every parameter with params.h5's shapes."""
    from tf_models.graphs.tfcompat import tf
    try:
        reader = tf.train.NewCheckpointReader(prefix)
        shapes = reader.get_variable_to_shape_map()
        for name, value in parameters.items():
            if name not in shapes or tuple(shapes[name]) != tuple(np.shape(value)):
                return False
            reader.get_tensor(name)  # reads the data: a truncated file fails here
        return True
    except Exception:  # TF raises its own error types for a damaged or foreign checkpoint
        return False


def restore(saver, sess, checkpoint):
    """Restore ``checkpoint`` into ``sess``; ValueError (one line) when it cannot be read."""
    try:
        saver.restore(sess, checkpoint)
    except Exception as e:  # checked by _usable already; a race with a deleted file lands here
        raise ValueError("--resume: cannot restore %s (%s)"
                         % (checkpoint, str(e).splitlines()[0][:200] if str(e) else type(e).__name__))
