"""What a finished (or stopped) run writes into its directory.

    params.h5      the trained parameters and the settings (app.params_io)
    metrics.json   settings, costs, accuracies, timings, versions, status
    cost.png       J against the iteration
    decision_boundary.png   for 2-D data: the classifier over the plane, with the training points
"""
import json
import os
import platform
import sys

import numpy as np

from tf_models import models
from tf_models.app import params_io


def versions():
    """Python, NumPy and TensorFlow versions (TensorFlow's read without importing it)."""
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
            "init", "learning_rate", "iterations", "seed")
    return {k: metrics.get(k) for k in keys}


def write_outputs(config, ds, trained, metrics, run_dir):
    """params.h5, metrics.json, cost.png and (2-D data) decision_boundary.png in ``run_dir``."""
    from tf_models import plots
    params_io.save_params(os.path.join(run_dir, "params.h5"), trained, param_attrs(metrics))
    write_json(os.path.join(run_dir, "metrics.json"), metrics)
    plots.cost_curve(metrics["costs"], os.path.join(run_dir, "cost.png"),
                     title="%s (%s), learning rate %g" % (config.model, config.backend,
                                                          config.learning_rate))
    if ds.n_x == 2:
        predict = lambda P: models.predict(config.model, trained, P, config.activation)  # noqa
        plots.decision_boundary(
            predict, ds.X_train, ds.Y_train, os.path.join(run_dir, "decision_boundary.png"),
            title="%s %s: train %.2f, test %.2f" % (config.model, metrics["layer_dims"],
                                                    metrics["train_accuracy"],
                                                    metrics["test_accuracy"]),
            X_test=ds.X_test, Y_test=ds.Y_test, class_names=ds.classes)


def write_json(path, obj):
    """JSON written atomically (see params_io.atomic_write)."""
    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
    params_io.atomic_write(path, write)
