"""One training run, as the scripts perform it: data, parameters, training, outputs.

``execute(config)`` reads the dataset, trains with the chosen backend, prints progress, and fills
a new run directory (DESIGN.md): metrics.json, params.h5, cost.png, decision_boundary.png
(2-D data), and for the TF backend the TensorBoard event files and a checkpoint.
Errors in the user's input raise ValueError with a one-line message; the scripts print it.
"""
import datetime
import json
import os
import platform
import sys
import time

import numpy as np

from tf_models import datasets, models, params_io, stopping, validation


class Config(object):
    """A run's settings (the scripts fill it from argparse)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def make_run_dir(run_dir, label, root="runs"):
    """Create and return a fresh run directory. A given ``run_dir`` must not exist yet (or be
    empty); by default a new folder ``runs/<label>-<date>-<time>`` (suffixed if taken)."""
    if run_dir:
        if os.path.exists(run_dir) and (not os.path.isdir(run_dir) or os.listdir(run_dir)):
            raise ValueError("run directory %s already exists and is not empty; choose a new "
                             "--run-dir (runs are never overwritten)" % run_dir)
        try:
            os.makedirs(run_dir, exist_ok=True)
        except OSError as e:
            raise ValueError("cannot create run directory %s (%s); choose another --run-dir"
                             % (run_dir, e.strerror or e))
        return run_dir
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = os.path.join(root, "%s-%s" % (label, stamp))
    for n in range(1000):
        path = base if n == 0 else "%s-%d" % (base, n)
        try:
            os.makedirs(path)
            return path
        except FileExistsError:
            continue
        except OSError as e:
            raise ValueError("cannot create a run directory under %s (%s); pass a writable "
                             "--run-dir" % (root, e.strerror or e))
    raise ValueError("could not create a new run directory under %s" % root)


def load_data(config):
    """The config's dataset (built-in or HDF5), cast to its dtype."""
    if getattr(config, "data", None):
        ds = datasets.load_h5(config.data, getattr(config, "test_data", None), seed=config.seed)
    else:
        if getattr(config, "test_data", None):
            raise ValueError("--test-data needs --data (the training file)")
        ds = datasets.load_dataset(config.dataset, seed=config.seed)
    return ds.astype(config.dtype)


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


def print_progress(i, J, every_line):
    if every_line:
        print("iteration %6d   cost %.6f" % (i, J), flush=True)


def train_tf(config, ds, parameters, layer_dims, run_dir, log):
    """Train the TF graph with TensorBoard logging and a checkpoint; returns (parameters, costs)."""
    from tf_models.graphs import session, summaries
    from tf_models.tfcompat import tf
    graph = models.build_graph(config.model, parameters, config.learning_rate, config.activation,
                               config.dtype, m=ds.X_train.shape[1])  # m: a faster train_loop
    logger = summaries.TensorBoardLogger(graph, run_dir, ds.X_test, ds.Y_test)
    with graph.graph.as_default():
        saver = tf.train.Saver(var_list=graph.parameters, max_to_keep=2)
    sess = session.open_session(graph, ds.X_train, ds.Y_train)
    try:
        def on_record(i, J, sess_):
            log(i, J)
            logger.record(sess_, i)
        costs = session.train(graph, sess, ds.X_train, ds.Y_train, config.iterations,
                              config.print_every, config.mode, on_record)
        trained = graph.parameter_values(sess)
        saver.save(sess, os.path.join(run_dir, "checkpoint", "model.ckpt"),
                   global_step=config.iterations)
    except stopping.Interrupted as e:  # the session holds e.parameters: checkpoint them too
        if e.iteration is not None:
            saver.save(sess, os.path.join(run_dir, "checkpoint", "model.ckpt"),
                       global_step=e.iteration)
        raise
    finally:
        logger.close()
        sess.close()
    return trained, costs


def execute(config):
    """Run one training; returns the metrics dict (also written to metrics.json)."""
    dt = models.check_dtype(config.dtype)
    config.dtype = dt.name
    validation.check_model(config.model)
    validation.check_backend(config.backend)
    validation.check_learning_rate(config.learning_rate)
    validation.check_iterations(config.iterations, config.print_every)
    validation.check_seed(config.seed)
    ds = load_data(config)
    layer_dims = [ds.n_x] + list(config.hidden_dims) + [1]
    parameters = models.initial_parameters(config.model, layer_dims, config.init, config.seed,
                                           config.dtype)
    run_dir = make_run_dir(config.run_dir, "%s-%s" % (config.model, config.backend))
    print("%s on %s (%d training, %d test examples), backend %s, %s, layer_dims %s"
          % (config.model, ds.description, ds.X_train.shape[1], ds.X_test.shape[1],
             config.backend, config.dtype, layer_dims), flush=True)

    def log(i, J):
        print_progress(i, J, True)

    start = time.time()
    stopped = None  # a stopping.Diverged or Interrupted: save the parameters it kept, re-raise
    try:
        if config.backend == "tf":
            trained, costs = train_tf(config, ds, parameters, layer_dims, run_dir, log)
        else:
            trained, costs = models.train_numpy(config.model, ds.X_train, ds.Y_train, parameters,
                                                config.learning_rate, config.iterations,
                                                config.activation, config.print_every,
                                                lambda i, J, p: log(i, J))
    except (stopping.Diverged, stopping.Interrupted) as e:
        if e.parameters is None or not e.costs:
            raise  # stopped before any good record: nothing to save
        stopped, trained, costs = e, e.parameters, e.costs
    seconds = time.time() - start
    acc = lambda X, Y: models.accuracy(config.model, trained, X, Y, config.activation)  # noqa
    metrics = {
        "model": config.model, "backend": config.backend, "dtype": config.dtype,
        "dataset": config.data or config.dataset, "test_dataset": getattr(config, "test_data", None),
        "layer_dims": layer_dims,
        "activation": config.activation if config.model != "logistic" else None,
        "init": config.init if config.model != "logistic" else "zeros",
        "learning_rate": config.learning_rate, "iterations": config.iterations,
        "seed": config.seed, "mode": config.mode if config.backend == "tf" else None,
        "costs": costs, "final_cost": costs[-1][1],
        "train_accuracy": acc(ds.X_train, ds.Y_train), "test_accuracy": acc(ds.X_test, ds.Y_test),
        "train_seconds": seconds, "versions": versions(), "status": "completed",
    }
    if stopped is not None:  # "diverged" or "interrupted", with where and why
        metrics.update(status=stopped.status, iterations_completed=stopped.iteration,
                       stop_reason=str(stopped))
    write_outputs(config, ds, trained, metrics, run_dir)
    if stopped is not None:
        raise type(stopped)("%s; outputs saved in %s" % (stopped, run_dir), stopped.parameters,
                            stopped.costs, stopped.iteration)
    print("train accuracy %.4f   test accuracy %.4f   (%.2f s)"
          % (metrics["train_accuracy"], metrics["test_accuracy"], seconds))
    metrics["run_dir"] = run_dir
    return metrics


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
        predict = lambda P: models.predict_proba(config.model, trained, P, config.activation) > 0.5  # noqa
        plots.decision_boundary(
            predict, ds.X_train, ds.Y_train, os.path.join(run_dir, "decision_boundary.png"),
            title="%s %s: train %.2f, test %.2f" % (config.model, metrics["layer_dims"],
                                                    metrics["train_accuracy"],
                                                    metrics["test_accuracy"]))


def write_json(path, obj):
    """JSON written atomically (see params_io.atomic_write)."""
    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
    params_io.atomic_write(path, write)
