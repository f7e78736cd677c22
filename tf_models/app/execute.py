"""One training run, as the scripts perform it: data, parameters, training, outputs.

``execute(config)`` reads the dataset, trains with the chosen backend, prints progress, and fills
a new run directory (DESIGN.md): metrics.json, params.h5, cost.png, decision_boundary.png
(2-D data), and for the TF backend the TensorBoard event files and a checkpoint.
``config`` is a checked ``app.config.RunConfig``. Errors in the user's input raise ValueError
with a one-line message; the scripts print it.
"""
import os
import time

from tf_models import datasets, h5files, models, stopping
from tf_models.app import outputs, resume, rundir


def load_data(config):
    """The config's dataset (built-in or HDF5), cast to its dtype."""
    if config.data:
        ds = h5files.load(config.data, config.test_data, seed=config.seed)
    else:
        ds = datasets.load_dataset(config.dataset, seed=config.seed)
    return ds.astype(config.dtype)


def print_progress(i, J):
    """The course-style record line."""
    print("iteration %6d   cost %.6f" % (i, J), flush=True)


def train_logged(config, ds, parameters, run_dir, log, start=0, checkpoint=None):
    """Train the TF graph with TensorBoard logging and checkpoints; returns (parameters, costs).

    Iterations are counted from ``start`` (a resumed run), in the costs, the summaries and the
    checkpoint names; ``checkpoint`` (a path prefix) is restored over ``parameters`` first.
    Checkpoints go to ``run_dir/checkpoints/model.ckpt-<iteration>``: at the end, and on long
    runs at the first record ``config.checkpoint_seconds`` after the previous one. Their
    variables are named as the course names the parameters (W1, b1, ...).
    """
    from tf_models.graphs import session, summaries
    from tf_models.tfcompat import tf
    training = config.training()
    graph = models.graph_of(training, parameters, config.dtype, m=ds.X_train.shape[1])
    logger = summaries.TensorBoardLogger(
        graph, run_dir, ds.X_test, ds.Y_test,
        summaries.record_steps(start, config.iterations, config.print_every),
        ds.X_train, ds.Y_train)
    with graph.graph.as_default():
        saver = tf.train.Saver(var_list=graph.parameters, max_to_keep=2, save_relative_paths=True)
    path = rundir.checkpoint_prefix(run_dir)
    last_save = [time.time()]
    sess = session.open_session(graph, ds.X_train, ds.Y_train)
    try:
        if checkpoint:
            saver.restore(sess, checkpoint)

        def on_record(i, J, _parameters):
            log(start + i, J)
            logger.record(sess, start + i)
            if 0 < i < config.iterations and time.time() - last_save[0] >= config.checkpoint_seconds:
                saver.save(sess, path, global_step=start + i, write_meta_graph=False)
                last_save[0] = time.time()
        costs = session.train(graph, sess, ds.X_train, ds.Y_train, training, on_record)
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


def train_numpy(config, ds, parameters, log, start=0):
    """Train the NumPy reference; returns (parameters, costs counted from ``start``)."""
    trained, costs = models.fit(config.training(), "numpy", ds.X_train, ds.Y_train, parameters,
                                lambda i, J, p: log(start + i, J))
    return trained, [[start + i, J] for i, J in costs]


def execute(config):
    """Run one training; returns the metrics dict (also written to metrics.json)."""
    ds = load_data(config)
    layer_dims = config.layer_dims(ds.n_x)
    start, checkpoint, previous = 0, None, config.previous
    if config.resume:
        parameters, start, checkpoint = resume.point(config, layer_dims)
    else:
        parameters = models.initial_parameters(config.model, layer_dims, config.init, config.seed,
                                               config.dtype)
    run_dir = rundir.make_run_dir(config.run_dir, "%s-%s" % (config.model, config.backend))
    if previous:
        print("resuming %s at iteration %d (from %s)"
              % (config.resume, start, checkpoint or "params.h5"), flush=True)
    print("%s on %s (%d training, %d test examples), backend %s, %s, layer_dims %s"
          % (config.model, ds.description, ds.X_train.shape[1], ds.X_test.shape[1],
             config.backend, config.dtype, layer_dims), flush=True)
    if config.backend == "tf":
        # TensorFlow is imported before the clock starts: train_seconds is the training's time
        # (graph, loop, TensorBoard records, checkpoints), comparable with the NumPy backend's.
        from tf_models.graphs import session, summaries  # noqa: F401
    t0 = time.time()
    stopped = None  # a stopping.Diverged or Interrupted: save the parameters it kept, re-raise
    try:
        if config.backend == "tf":
            trained, costs = train_logged(config, ds, parameters, run_dir, print_progress, start,
                                          checkpoint)
        else:
            trained, costs = train_numpy(config, ds, parameters, print_progress, start)
    except (stopping.Diverged, stopping.Interrupted) as e:
        if e.parameters is None or not e.costs:
            raise  # stopped before any good record: nothing to save
        stopped, trained, costs = e, e.parameters, [[start + i, J] for i, J in e.costs]
    seconds = time.time() - t0
    if previous:  # the resumed run's record covers the whole training, 0 .. start + iterations
        costs = [c for c in previous["costs"] if c[0] < start] + costs
    metrics = run_metrics(config, ds, trained, costs, layer_dims, start, seconds)
    if stopped is not None:  # "diverged" or "interrupted", with where and why
        metrics.update(status=stopped.status, iterations_completed=start + stopped.iteration,
                       stop_reason=str(stopped))
    outputs.write_outputs(config, ds, trained, metrics, run_dir)
    if stopped is not None:
        raise type(stopped)("%s; outputs saved in %s" % (stopped, run_dir), stopped.parameters,
                            stopped.costs, stopped.iteration)
    print("train accuracy %.4f   test accuracy %.4f   (%.2f s)"
          % (metrics["train_accuracy"], metrics["test_accuracy"], seconds))
    metrics["run_dir"] = run_dir
    return metrics


def run_metrics(config, ds, trained, costs, layer_dims, start, seconds):
    """The metrics.json record of a run (DESIGN.md), status "completed"."""
    acc = lambda X, Y: models.accuracy(config.model, trained, X, Y, config.activation)  # noqa
    return {
        "model": config.model, "backend": config.backend, "dtype": config.dtype,
        # HDF5 paths made absolute, so that --resume and predict.py work from any directory
        "dataset": _absolute(config.data) or config.dataset,
        "test_dataset": _absolute(config.test_data),
        "layer_dims": layer_dims, "activation": config.activation,
        "init": config.init,
        "learning_rate": config.learning_rate, "update": config.update,
        "iterations": start + config.iterations,
        "print_every": config.print_every,
        "resumed_from": {"run_dir": config.resume, "iteration": start} if config.previous else None,
        "seed": config.seed, "mode": config.mode if config.backend == "tf" else None,
        "costs": costs, "final_cost": costs[-1][1],
        "train_accuracy": acc(ds.X_train, ds.Y_train), "test_accuracy": acc(ds.X_test, ds.Y_test),
        "train_seconds": seconds, "versions": outputs.versions(), "status": "completed",
    }


def _absolute(path):
    return os.path.abspath(path) if path else path
