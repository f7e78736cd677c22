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

# TF checkpoints of a run: <run>/checkpoints/model.ckpt-<iteration>. (Not "checkpoint": TF's own
# tools read a file of that name as a checkpoint index and warn when it is a folder.)
CHECKPOINT_DIR = "checkpoints"
CHECKPOINT_SECONDS = 60.0  # long TF runs also checkpoint at the first record this long after the last


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


def _absolute(path):
    return os.path.abspath(path) if path else path


def print_progress(i, J, every_line):
    if every_line:
        print("iteration %6d   cost %.6f" % (i, J), flush=True)


def train_tf(config, ds, parameters, layer_dims, run_dir, log, start=0, checkpoint=None):
    """Train the TF graph with TensorBoard logging and checkpoints; returns (parameters, costs).

    Iterations are counted from ``start`` (a resumed run), in the costs, the summaries and the
    checkpoint names; ``checkpoint`` (a path prefix) is restored over ``parameters`` first.
    Checkpoints go to ``run_dir/checkpoints/model.ckpt-<iteration>``: at the end, and on long
    runs at the first record ``config.checkpoint_seconds`` (default CHECKPOINT_SECONDS) after the
    previous one. Their variables are named as the course names the parameters (W1, b1, ...).
    """
    from tf_models.graphs import session, summaries
    from tf_models.tfcompat import tf
    graph = models.build_graph(config.model, parameters, config.learning_rate, config.activation,
                               config.dtype, m=ds.X_train.shape[1])  # m: a faster train_loop
    logger = summaries.TensorBoardLogger(
        graph, run_dir, ds.X_test, ds.Y_test,
        summaries.record_steps(start, config.iterations, config.print_every),
        ds.X_train, ds.Y_train)
    with graph.graph.as_default():
        saver = tf.train.Saver(var_list=graph.parameters, max_to_keep=2, save_relative_paths=True)
    path = os.path.join(run_dir, CHECKPOINT_DIR, "model.ckpt")
    every = getattr(config, "checkpoint_seconds", CHECKPOINT_SECONDS)
    last_save = [time.time()]
    sess = session.open_session(graph, ds.X_train, ds.Y_train)
    try:
        if checkpoint:
            saver.restore(sess, checkpoint)

        def on_record(i, J, sess_):
            log(start + i, J)
            logger.record(sess_, start + i)
            if 0 < i < config.iterations and time.time() - last_save[0] >= every:
                saver.save(sess_, path, global_step=start + i, write_meta_graph=False)
                last_save[0] = time.time()
        costs = session.train(graph, sess, ds.X_train, ds.Y_train, config.iterations,
                              config.print_every, config.mode, on_record)
        trained = graph.parameter_values(sess)
        saver.save(sess, path, global_step=start + config.iterations)
    except stopping.Interrupted as e:  # the session holds e.parameters: checkpoint them too
        if e.iteration is not None:
            saver.save(sess, path, global_step=start + e.iteration)
        raise
    finally:
        logger.close()
        sess.close()
    return trained, [[start + i, J] for i, J in costs]


def latest_checkpoint(run_dir):
    """(path prefix, iteration) of the newest ``checkpoints/model.ckpt-<iteration>`` in a run
    directory, or (None, None). Found from the files, so a moved run directory still works."""
    import glob
    found = glob.glob(os.path.join(run_dir, CHECKPOINT_DIR, "model.ckpt-*.index"))
    steps = sorted(int(f[:-len(".index")].rsplit("-", 1)[1]) for f in found)
    if not steps:
        return None, None
    return os.path.join(run_dir, CHECKPOINT_DIR, "model.ckpt-%d" % steps[-1]), steps[-1]


# ---- resuming a run ------------------------------------------------------------------------------

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


def apply_resume(config, given=()):
    """Fill ``config`` from the run it resumes (``config.resume``): its model, data, seed, dtype
    and architecture always; its backend, learning rate, mode and print interval unless the
    user gave them (names in ``given``). ``config.iterations`` stays: the iterations to add.
    Keeps the old run's metrics in ``config.previous``."""
    old = read_run(config.resume)
    if old["model"] != config.model:
        raise ValueError("--resume %s: that is a %s run; resume it with scripts/train_%s.py"
                         % (config.resume, old["model"], old["model"]))
    dataset = old["dataset"]
    builtin = dataset in datasets.DATASETS
    config.dataset, config.data = (dataset, None) if builtin else (None, dataset)
    config.test_data = None if builtin else old.get("test_dataset")
    config.seed, config.dtype = old["seed"], old["dtype"]
    config.hidden_dims = list(old["layer_dims"][1:-1])
    config.activation = old.get("activation")
    config.init = old.get("init", config.init)
    for key in ("backend", "learning_rate", "mode", "print_every"):
        if key not in given and old.get(key) is not None:
            setattr(config, key, old[key])
    config.previous = old
    return config


def resume_point(config, layer_dims):
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
        found, step = latest_checkpoint(config.resume)
        if found:
            checkpoint, start = found, step
    return parameters, start, checkpoint


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
    start, checkpoint, previous = 0, None, getattr(config, "previous", None)
    if getattr(config, "resume", None):
        parameters, start, checkpoint = resume_point(config, layer_dims)
    else:
        parameters = models.initial_parameters(config.model, layer_dims, config.init, config.seed,
                                               config.dtype)
    run_dir = make_run_dir(config.run_dir, "%s-%s" % (config.model, config.backend))
    if previous:
        print("resuming %s at iteration %d (from %s)"
              % (config.resume, start, checkpoint or "params.h5"), flush=True)
    print("%s on %s (%d training, %d test examples), backend %s, %s, layer_dims %s"
          % (config.model, ds.description, ds.X_train.shape[1], ds.X_test.shape[1],
             config.backend, config.dtype, layer_dims), flush=True)

    def log(i, J):
        print_progress(i, J, True)

    t0 = time.time()
    stopped = None  # a stopping.Diverged or Interrupted: save the parameters it kept, re-raise
    try:
        if config.backend == "tf":
            trained, costs = train_tf(config, ds, parameters, layer_dims, run_dir, log, start,
                                      checkpoint)
        else:
            trained, costs = models.train_numpy(config.model, ds.X_train, ds.Y_train, parameters,
                                                config.learning_rate, config.iterations,
                                                config.activation, config.print_every,
                                                lambda i, J, p: log(start + i, J))
            costs = [[start + i, J] for i, J in costs]
    except (stopping.Diverged, stopping.Interrupted) as e:
        if e.parameters is None or not e.costs:
            raise  # stopped before any good record: nothing to save
        stopped, trained, costs = e, e.parameters, [[start + i, J] for i, J in e.costs]
    seconds = time.time() - t0
    if previous:  # the resumed run's record covers the whole training, 0 .. start + iterations
        costs = [c for c in previous["costs"] if c[0] < start] + costs
    acc = lambda X, Y: models.accuracy(config.model, trained, X, Y, config.activation)  # noqa
    metrics = {
        "model": config.model, "backend": config.backend, "dtype": config.dtype,
        # HDF5 paths made absolute, so that --resume and predict.py work from any directory
        "dataset": _absolute(config.data) or config.dataset,
        "test_dataset": _absolute(getattr(config, "test_data", None)),
        "layer_dims": layer_dims,
        "activation": config.activation if config.model != "logistic" else None,
        "init": config.init if config.model != "logistic" else "zeros",
        "learning_rate": config.learning_rate, "iterations": start + config.iterations,
        "print_every": config.print_every,
        "resumed_from": {"run_dir": config.resume, "iteration": start} if previous else None,
        "seed": config.seed, "mode": config.mode if config.backend == "tf" else None,
        "costs": costs, "final_cost": costs[-1][1],
        "train_accuracy": acc(ds.X_train, ds.Y_train), "test_accuracy": acc(ds.X_test, ds.Y_test),
        "train_seconds": seconds, "versions": versions(), "status": "completed",
    }
    if stopped is not None:  # "diverged" or "interrupted", with where and why
        metrics.update(status=stopped.status, iterations_completed=start + stopped.iteration,
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
                                                    metrics["test_accuracy"]),
            X_test=ds.X_test, Y_test=ds.Y_test, class_names=ds.classes)


def write_json(path, obj):
    """JSON written atomically (see params_io.atomic_write)."""
    def write(tmp):
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
    params_io.atomic_write(path, write)
