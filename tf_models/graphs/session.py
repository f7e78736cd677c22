"""Running a ``ModelGraph``: a tf.Session, gradient descent, the cost at intervals.

Three ways to run the same steps, all giving the same parameters:

    "feed"   the textbook loop: ``sess.run(train, feed_dict={X: X, Y: Y})`` once per iteration,
             sending the whole training set every step (as TF 1.x tutorials do);
    "step"   one ``sess.run(train)`` per iteration, the training set already in the graph;
    "loop"   (default) ``record_every`` iterations per ``sess.run`` inside a tf.while_loop.

"feed" is the version to read first; "loop" is the fast one (docs/performance.md). The cost is
fetched only at records, never inside the loop. "loop" runs the steps between two records in
chunks of at most about CHUNK_SECONDS each (the chunk size adapts to the measured step time), so
a stop request is answered within about that time whatever the record interval; chunks of the
same while_loop give bit-identical parameters, since the variables carry the state between them.

Costs follow the NumPy reference exactly: [i, J] for the parameters before update i, every
``record_every`` iterations, then [num_iterations, J] for the final parameters.
"""
import time

from tf_models import stopping
from tf_models.graphs.tfcompat import tf

CHUNK_SECONDS = 0.5     # the longest a single Session.run of the "loop" mode should take
MAX_CHUNK = 2 ** 31 - 1  # n_steps is an int32


def session_config():
    """The Session options used for training.

    One inter-op thread: a gradient-descent step is mostly a chain of small ops, and with more
    scheduler threads (TF's default is one per core) they are handed between threads, which for
    an elementwise op on a few thousand numbers costs as much as the op itself. Intra-op threads
    stay at TF's default, all cores, so that large matmuls and elementwise ops use every core.
    """
    return tf.ConfigProto(inter_op_parallelism_threads=1)


def open_session(model, X, Y):
    """A Session on the model's graph with the parameters initialized and (X, Y) loaded."""
    sess = tf.Session(graph=model.graph, config=session_config())
    sess.run(model.init)
    sess.run(model.data_init, {model.X_train: X, model.Y_train: Y})
    return sess


def train(model, sess, X, Y, training, on_record=None, hooks=None):
    """Run ``training.num_iterations`` steps in ``sess``; returns the costs list.

    ``training``: a checked settings.Training (its record interval and TF mode are used here).
    on_record(i, J, parameters) is called at each record with the parameters fetched there
    (NumPy arrays), as the NumPy loop does; what needs the session keeps it in its closure.
    At each record the parameters are fetched with J and checked (tf_models.stopping): a blow-up
    raises ``Diverged`` with those of the previous record; Ctrl-C takes effect after the running
    Session.run and raises ``Interrupted`` with the parameters after the completed steps.
    ``hooks``: the training run this loop trains for, or None (tf_models.stopping); it is
    offered every record and every chunk's end to keep its progress on disk.
    """
    num_iterations, record_every, mode = (training.num_iterations, training.record_every,
                                          training.mode)
    feed = {model.X: X, model.Y: Y} if mode == "feed" else None
    run_steps = _Chunks(sess, model, feed, mode)
    fetch = lambda: sess.run(model.parameters)  # noqa: E731 (between two chunks)
    costs = []
    i = 0
    with stopping.Guard(training.learning_rate, hooks) as guard:
        while True:
            J, values = sess.run([model.cost, model.parameters], feed)
            J = float(J)
            guard.check(i, J, values, costs)
            costs.append([i, J])
            if on_record is not None:
                on_record(i, J, values)
            if i >= num_iterations:
                return costs
            guard.keep_progress(i, lambda fetched=values: fetched, costs, True)
            next_record = guard.next_record(i, record_every, num_iterations)
            while i < next_record:
                if guard.stop_requested:
                    _stop(sess, model, feed, guard, i, costs, values)
                i += run_steps(next_record - i)
                if i < next_record:
                    guard.keep_progress(i, fetch, costs, False)


def _stop(sess, model, feed, guard, i, costs, values):
    """A stop request after i steps: record [i, J] if i is not a record already, then raise
    Interrupted with the session's current parameters."""
    if not costs or costs[-1][0] != i:
        J, values = sess.run([model.cost, model.parameters], feed)
        guard.check(i, float(J), values, costs)
        costs.append([i, float(J)])
    guard.interrupt(i, values, costs)


class _Chunks(object):
    """run(at_most) runs up to ``at_most`` steps in one go and returns how many it ran: a
    while_loop chunk sized to last about CHUNK_SECONDS ("loop"), or one step ("step", "feed")."""

    def __init__(self, sess, model, feed, mode):
        self.sess, self.model, self.feed, self.mode = sess, model, feed, mode
        self.size = 1   # the first chunk is one step: it measures the step time

    def __call__(self, at_most):
        if self.mode != "loop":
            self.sess.run(self.model.train, self.feed)
            return 1
        n = int(min(at_most, self.size, MAX_CHUNK))
        t0 = time.time()
        self.sess.run(self.model.train_loop, {self.model.n_steps: n})
        per_step = max((time.time() - t0) / n, 1e-7)
        self.size = max(1, min(int(CHUNK_SECONDS / per_step), 2 * n if n < 64 else 8 * n))
        return n


def fit(model, X, Y, training, on_record=None, hooks=None):
    """Open a session, train, close it. Returns (trained parameters as NumPy arrays, costs)."""
    sess = open_session(model, X, Y)
    try:
        costs = train(model, sess, X, Y, training, on_record, hooks)
        return model.parameter_values(sess), costs
    finally:
        sess.close()
