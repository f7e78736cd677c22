"""What a run writes into its directory, most valuable first, each failure contained.

    params.h5      the trained parameters and the settings (run.params_io)
    metrics.json   settings, costs, accuracies, timings, versions, status
    cost.png       J against the iteration
    decision_boundary.png   for 2-D data: the classifier over the plane, with the training points

While training, ``write_progress`` keeps params.h5 and metrics.json ("status": "running") current,
so that a hard kill leaves what ``--resume`` needs; at the end ``write_outputs`` writes them for
good, then the pictures. Every file is written atomically. ``Contained`` runs a secondary writer
(TensorBoard event files, checkpoints, progress) so that its failure is noted, not raised.
"""
import functools
import json
import os
import platform
import sys

import numpy as np

from tf_models import models
from tf_models.run import console, params_io


@functools.lru_cache(maxsize=1)
def versions():
    """Python, NumPy and TensorFlow versions (TensorFlow's read without importing it; looked up
    once per process)."""
    return {"python": platform.python_version(), "numpy": np.__version__,
            "tensorflow": _installed_version("tensorflow")}


def _installed_version(package):
    if package in sys.modules:
        return getattr(sys.modules[package], "__version__", None)
    import glob
    for d in sys.path:
        for name in ("tensorflow", "tensorflow_cpu"):
            found = glob.glob(os.path.join(d or ".", "%s-*.dist-info" % name))
            if found:
                return os.path.basename(found[0])[len(name) + 1:-len(".dist-info")]
    return None


def param_attrs(metrics):
    """The attributes stored in params.h5 beside the parameters."""
    keys = ("model", "backend", "dtype", "dataset", "test_dataset", "layer_dims", "activation",
            "init", "learning_rate", "iterations", "seed", "data_fingerprints")
    attrs = {k: metrics.get(k) for k in keys}
    # the iteration these parameters belong to: what --resume starts from
    attrs["iterations_completed"] = metrics.get("iterations_completed", metrics.get("iterations"))
    return attrs


def write_progress(trained, metrics, run_dir):
    """A training run's progress, for ``--resume`` after a hard kill: metrics.json (status
    "running", the costs so far), then params.h5 (the parameters after
    ``iterations_completed`` updates). In that order, a kill between the two leaves parameters
    no newer than the costs: the resumed run starts from the parameters' iteration. Not
    fsync-ed (params_io.atomic_write): a killed process loses nothing written, and the final
    outputs are."""
    write_json(os.path.join(run_dir, "metrics.json"), metrics, durable=False)
    params_io.save_params(os.path.join(run_dir, "params.h5"), trained, param_attrs(metrics),
                          durable=False)


def write_outputs(config, ds, trained, metrics, run_dir):
    """Write a run's outputs in order of value, each failure contained; returns (saved, failed).

    params.h5 and metrics.json first: when ``run_dir`` cannot take one of them it goes to a new
    folder under the temporary directory instead. Then cost.png and (2-D data)
    decision_boundary.png. Every file is written atomically. ``saved``: the paths written;
    ``failed``: [(name, reason)] of what could not be written where it belongs."""
    saved, failed = [], []
    essentials = (("params.h5", lambda path: params_io.save_params(path, trained,
                                                                   param_attrs(metrics))),
                  ("metrics.json", lambda path: write_json(path, metrics)))
    rescue = []  # the one temporary folder, made on first need
    for name, write in essentials:
        try:
            write(os.path.join(run_dir, name))
            saved.append(os.path.join(run_dir, name))
        except Exception as e:  # a full disk, a read-only or vanished directory, a quota, ...
            failed.append((name, reason(e)))
            path = _rescue(name, write, rescue)
            if path:
                saved.append(path)
                console.warn("warning: could not write %s in %s (%s); saved it as %s"
                             % (name, run_dir, reason(e), path))
    for name, draw in pictures(config, ds, trained, metrics):
        try:
            params_io.atomic_write(os.path.join(run_dir, name), draw)
        except Exception as e:  # a picture never costs the parameters
            failed.append((name, reason(e)))
            console.warn("warning: %s not written (%s)" % (name, reason(e)))
    return saved, failed


def pictures(config, ds, trained, metrics):
    """[(file name, draw(path))] of the run's pictures."""
    from tf_models import plots
    out = [("cost.png", lambda path: plots.cost_curve(
        metrics["costs"], path, title="%s (%s), learning rate %g"
        % (config.model, config.backend, config.learning_rate)))]
    if ds.n_x == 2:
        predict = lambda P: models.predict(config.model, trained, P, config.activation)  # noqa
        out.append(("decision_boundary.png", lambda path: plots.decision_boundary(
            predict, ds.X_train, ds.Y_train, path,
            title="%s %s: train %.2f, test %.2f" % (config.model, metrics["layer_dims"],
                                                    metrics["train_accuracy"],
                                                    metrics["test_accuracy"]),
            X_test=ds.X_test, Y_test=ds.Y_test, class_names=ds.classes)))
    return out


def _rescue(name, write, rescue):
    """Write ``name`` into a new folder under the temporary directory (or the home directory);
    its path, or None when neither can take it."""
    import tempfile
    for parent in (tempfile.gettempdir(), os.path.expanduser("~")):
        try:
            if not rescue or os.path.dirname(rescue[0]) != parent:
                rescue[:] = [tempfile.mkdtemp(prefix="tf_models-saved-", dir=parent)]
            path = os.path.join(rescue[0], name)
            write(path)
            return path
        except Exception:
            continue
    return None


def reason(e):
    """A short one-line reason of an exception: its strerror for an OSError, the errno's text
    when the message quotes one (h5py's and TensorFlow's long messages), else its first line."""
    import re
    text = getattr(e, "strerror", None)
    found = re.search(r"errno = (\d+)", str(e))
    if not text and found:
        text = os.strerror(int(found.group(1)))
    text = text or (str(e).splitlines() or [type(e).__name__])[0]
    return text if len(text) <= 120 else text[:117] + "..."


def write_json(path, obj, durable=True):
    """JSON written atomically (see params_io.atomic_write)."""
    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
    params_io.atomic_write(path, write, durable=durable)


class Contained(object):
    """A secondary writer whose failures are noted in ``failed`` (once, with a warning) and
    then skipped: ``call(method, ...)`` on the object ``make()`` builds, ``run(f, ...)``."""

    def __init__(self, failed, what, make=None):
        self.failed, self.what, self.broken = failed, what, False
        self.obj = self._guard(make) if make is not None else None

    def _guard(self, f, *args, **kw):
        if self.broken:
            return None
        try:
            return f(*args, **kw)
        except Exception as e:  # a full disk, a vanished directory: never the parameters' fault
            self.broken = True
            self.failed.append((self.what, reason(e)))
            console.warn("warning: %s not written from here on (%s)" % (self.what, reason(e)))
            return None

    def call(self, method, *args, **kw):
        if self.obj is not None:
            return self._guard(getattr(self.obj, method), *args, **kw)

    def run(self, f, *args, **kw):
        return self._guard(f, *args, **kw)


def note(saved, failed, run_dir):
    """What a run kept, in words: "outputs saved in R", or what failed and where things went."""
    if not failed:
        return "outputs saved in %s" % run_dir
    what = ", ".join("%s (%s)" % f for f in failed)
    return "could not write %s; saved %s" % (what, ", ".join(saved) if saved else "nothing")


class OutputsFailed(ValueError):
    """Some outputs could not be written (exit 2); the message says which and what was saved."""
