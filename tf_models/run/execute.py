"""One training run, as the scripts perform it: data, parameters, training, outputs.

``execute(config, quiet, run)`` reads the dataset, trains with the chosen backend, prints
progress, and fills a new run directory (DESIGN.md): metrics.json, params.h5, cost.png,
decision_boundary.png (2-D data), and for the TF backend the TensorBoard event files and a
checkpoint. ``config`` is a checked ``run.config.RunConfig``. Errors in the user's input raise
ValueError with a one-line message; the scripts print it.

The run is a transaction (``run.transaction.Run``): it owns its directory before reading any
data, checks the memory it will need before spending it (``run.admission``), keeps its progress
on disk while it trains, and once training has begun saves what it trained whatever happens:
params.h5 and metrics.json first, the rest after, each failure contained.
"""
import os
import time

from tf_models import datasets, models, stopping
from tf_models.run import (admission, console, fingerprints, h5files, outputs, progress, resume,
                           rundir, signals, transaction)


def load_data(config):
    """The config's dataset (built-in or HDF5), cast to its dtype; the declared sizes of HDF5
    files and the memory training needs are checked before the data are read."""
    if config.data:
        admission.check_before_loading(config)
        ds = h5files.load(config.data, config.test_data, seed=config.seed)
    else:
        ds = datasets.load_dataset(config.dataset, seed=config.seed)
    admission.check_training_memory(config, config.layer_dims(ds.n_x),
                                    ds.X_train.shape[1] + ds.X_test.shape[1])
    admission.check_cast(ds, config)
    return ds.astype(config.dtype)


def train_logged(config, ds, parameters, run_dir, log, start=0, checkpoint=None, failed=None,
                 hooks=None):
    """Train the TF graph with TensorBoard logging and checkpoints; returns (parameters, costs).

    Iterations are counted from ``start`` (a resumed run), in the costs, the summaries and the
    checkpoint names; ``checkpoint`` (a path prefix) is restored over ``parameters`` first.
    Checkpoints go to ``run_dir/checkpoints/model.ckpt-<iteration>``: at the end, and on long
    runs at the first record ``config.checkpoint_seconds`` after the previous one. Their
    variables are named as the course names the parameters (W1, b1, ...). A failing event
    file or checkpoint (a full disk, say) is noted in ``failed`` and training goes on.
    ``hooks``: the run's transaction (stop requests, progress), or None.
    """
    from tf_models.graphs import session, summaries
    from tf_models.graphs.tfcompat import tf
    training = config.training()
    graph = models.graph_of(training, parameters, config.dtype, m=ds.X_train.shape[1])
    failed = [] if failed is None else failed
    logger = outputs.Contained(failed, "TensorBoard event files", lambda: summaries.TensorBoardLogger(
        graph, run_dir, ds.X_test, ds.Y_test,
        summaries.record_steps(start, config.iterations, config.print_every),
        ds.X_train, ds.Y_train,
        predict=lambda p, X: models.predict(config.model, p, X, config.activation)))
    saves = outputs.Contained(failed, "checkpoint")
    with graph.graph.as_default():
        saver = tf.train.Saver(var_list=graph.parameters, max_to_keep=2, save_relative_paths=True)
    path = rundir.checkpoint_prefix(run_dir)
    last_save = [time.time()]
    sess = session.open_session(graph, ds.X_train, ds.Y_train)
    try:
        if checkpoint:
            resume.restore(saver, sess, checkpoint)

        def on_record(i, J, _parameters):
            log(start + i, J)
            if (start + i) % config.print_every and i not in (0, config.iterations):
                return  # a record between printed ones: for cost.png only
            logger.call("record", sess, start + i)  # TensorBoard and checkpoints: printed records
            if 0 < i < config.iterations and time.time() - last_save[0] >= config.checkpoint_seconds:
                saves.run(saver.save, sess, path, global_step=start + i, write_meta_graph=False)
                last_save[0] = time.time()
        costs = session.train(graph, sess, ds.X_train, ds.Y_train, training, on_record, hooks)
        trained = graph.parameter_values(sess)
        saves.run(saver.save, sess, path, global_step=start + config.iterations)
    except stopping.Interrupted as e:  # the session holds e.parameters: checkpoint them too
        if e.iteration is not None and e.exact:
            saves.run(saver.save, sess, path, global_step=start + e.iteration)
        raise
    finally:
        logger.call("close")
        sess.close()
    return trained, [[start + i, J] for i, J in costs]


def train_numpy(config, ds, parameters, log, start=0, hooks=None):
    """Train the NumPy reference; returns (parameters, costs counted from ``start``)."""
    trained, costs = models.fit(config.training(), "numpy", ds.X_train, ds.Y_train, parameters,
                                lambda i, J, p: log(start + i, J), hooks)
    return trained, [[start + i, J] for i, J in costs]


def execute(config, quiet=False, run=None):
    """Run one training; returns the metrics dict (also written to metrics.json). ``quiet``:
    print only the summary line (no header, no record lines, no progress bar). ``run``: the
    transaction (a script's, answering its signals); by default one of its own, answering
    SIGINT and SIGTERM while it lasts.

    The run directory is owned (created or claimed) before any data is read, and released at
    the end, or removed when the run ends before it saved anything (``Run.close``)."""
    if run is None:
        run = transaction.Run()
        with signals.answered_by(run.answer):
            return execute(config, quiet, run)
    if config.backend == "tf" and config.run_dir:
        rundir.check_utf8(config.run_dir)  # TensorFlow's writers take UTF-8 paths only
    try:
        run_dir = run.claim(config.run_dir, "%s-%s" % (config.model, config.backend))
        if config.resume:
            run.take_over(config.resume)
        return _execute(config, run, run_dir, quiet)
    finally:
        run.close()


def _execute(config, run, run_dir, quiet):
    ds = load_data(config)
    prints = fingerprints.fingerprints([config.data, config.test_data])
    layer_dims = config.layer_dims(ds.n_x)
    start, checkpoint, previous = 0, None, config.previous
    if config.resume:
        resume.check_data(config, prints)
        parameters, start, checkpoint = resume.point(config, layer_dims)
        config = resume.remaining(config, start)
    else:
        parameters = models.initial_parameters(config.model, layer_dims, config.init, config.seed,
                                               config.dtype)
    earlier = [c for c in previous["costs"] if c[0] < start] if previous else []
    say = (lambda text: None) if quiet else console.say
    if previous:
        say("resuming %s at iteration %d (from %s)"
            % (config.resume, start, checkpoint or "params.h5"))
    say("%s on %s (%d training, %d test examples), backend %s, %s, layer_dims %s"
        % (config.model, ds.description, ds.X_train.shape[1], ds.X_test.shape[1],
           config.backend, config.dtype, layer_dims))
    lines = progress.Console(config.iterations, start, config.print_every, quiet, say=console.say)
    if config.backend == "tf":
        # TensorFlow is imported before the clock starts: train_seconds is the training's time
        # (graph, loop, TensorBoard records, checkpoints), comparable with the NumPy backend's.
        from tf_models.graphs import session, summaries  # noqa: F401
    import h5py  # noqa: F401 (so is h5py, which the progress saves write params.h5 with)
    t0 = time.time()
    stopped = None  # a stopping.Diverged or Interrupted: save the parameters it kept, re-raise
    failed = []     # [(what, reason)] of outputs that could not be written

    def record(trained, costs, seconds, accuracies=True, **status):
        """The run's metrics (its whole record: a resumed run's earlier costs too)."""
        metrics = run_metrics(config, ds, trained, earlier + costs, layer_dims, start, seconds,
                              accuracies)
        metrics.update(data_fingerprints=prints, **status)
        return metrics

    # while training: the progress --resume needs (no accuracies: a forward pass over all the
    # data would be most of a save's cost), at least every config.progress_seconds
    saves = outputs.Contained(failed, "the progress (params.h5, metrics.json while training)")
    run.train_from(start, lambda i, trained, costs: saves.run(
        outputs.write_progress, trained,
        record(trained, [[start + j, J] for j, J in costs], time.time() - t0, accuracies=False,
               status="running", iterations_completed=start + i), run_dir),
        config.progress_seconds)
    try:
        if config.backend == "tf":
            trained, costs = train_logged(config, ds, parameters, run_dir, lines.record, start,
                                          checkpoint, failed, run)
        else:
            trained, costs = train_numpy(config, ds, parameters, lines.record, start, run)
    except (stopping.Diverged, stopping.Interrupted) as e:
        if e.parameters is None or not e.costs:
            raise  # stopped before any good record: nothing to save
        stopped, trained, costs = e, e.parameters, [[start + i, J] for i, J in e.costs]
    finally:
        lines.close()
    seconds = time.time() - t0  # the phase is "saving" now: a signal waits for the outputs
    status = {"progress_saves": {"count": run.saves[0], "seconds": run.saves[1]}}
    if stopped is not None:  # "diverged" or "interrupted", with where and why
        status.update(status=stopped.status, iterations_completed=start + stopped.iteration,
                      stop_reason=str(stopped))
    metrics = record(trained, costs, seconds, **status)
    saved, more = outputs.write_outputs(config, ds, trained, metrics, run_dir)
    run.conclude(stopped, saved, failed + more)
    console.say("train accuracy %.4f   test accuracy %.4f   (%.2f s)"
                % (metrics["train_accuracy"], metrics["test_accuracy"], seconds))
    metrics["run_dir"] = run_dir
    return metrics


def run_metrics(config, ds, trained, costs, layer_dims, start, seconds, accuracies=True):
    """The metrics.json record of a run (DESIGN.md), status "completed"; without
    ``accuracies`` (a run's progress) they are None."""
    acc = lambda X, Y: (models.accuracy(config.model, trained, X, Y, config.activation)  # noqa
                        if accuracies else None)
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
