"""TensorBoard logging for a training run: the graph, scalars, histograms, images, PR curves.

Layout under ``logdir`` (TensorBoard shows each folder as a run and draws both in one chart per tag):

    train/   the graph; ``cost`` and ``accuracy`` on the training set at every record;
             histograms of each parameter, activation and gradient (``layer_1/W1``, ``layer_1/b1``,
             ``layer_1/A1``, ``layer_1/dW1``, ``layer_1/db1``, ...) at up to HISTOGRAMS records;
             for 2-D data the ``decision_boundary`` image at up to IMAGES records
    test/    ``cost`` and ``accuracy`` on the test set at every record; the precision-recall
             curve of ŷ on the test set (tag ``test_set/pr_curves``, TensorBoard's pr_curve plugin)
             at up to HISTOGRAMS records

Each record is one Session.run per data set; the summaries are then built here as ``tf.Summary``
protocol buffers from the fetched NumPy values. So the tags are exactly the names above (never a
tensor's ``name:0``, never prefixed by a name scope) and the model's graph holds no summary ops:
the graph tab shows the course's computation graph and nothing else.

The decision-boundary pictures are drawn with matplotlib on a background thread, from a copy of
the parameters, while TensorFlow trains on (Session.run releases Python's lock). matplotlib and
TensorBoard's pr_curve plugin are imported where they are first used (matplotlib on that thread,
while the first steps run), so that a run pays for them only when it draws or writes a PR curve.
"""
import os
import queue
import struct
import sys
import threading
from collections.abc import Sequence

import numpy as np

from tf_models.graphs.tfcompat import tf
from tensorboard import version as _tensorboard_version  # noqa: E402 (after tfcompat)

TENSORBOARD_VERSION = tuple(int(p) for p in _tensorboard_version.VERSION.split(".")[:2])

HISTOGRAMS = 20          # at most this many records get histograms and a PR curve
IMAGES = 6               # at most this many records get a decision-boundary picture
HISTOGRAM_BINS = 30
BOUNDARY_GRID = 60       # the picture's grid is BOUNDARY_GRID × BOUNDARY_GRID points
PR_THRESHOLDS = 101


def record_steps(start, num_iterations, record_every):
    """The iterations at which the trainer records: start, start + r, ..., start + num_iterations,
    as a sequence computed on demand (a run of 10⁹ records holds no list of them)."""
    return RecordSteps(start, num_iterations, record_every)


class RecordSteps(Sequence):
    """The record iterations: ``range(start, start + n, r)`` and then ``start + n``."""

    def __init__(self, start, num_iterations, record_every):
        self.inner = range(start, start + num_iterations, record_every)
        self.last = start + num_iterations

    def __len__(self):
        return len(self.inner) + 1

    def __getitem__(self, j):
        if isinstance(j, slice):
            return [self[k] for k in range(*j.indices(len(self)))]
        if j < 0:
            j += len(self)
        if not 0 <= j < len(self):
            raise IndexError(j)
        return self.inner[j] if j < len(self.inner) else self.last


def spread(steps, k):
    """At most ``k`` of ``steps`` (a sequence), evenly spaced, always with the first and the last."""
    if len(steps) <= k:
        return set(steps)
    return {steps[int(round(j))] for j in np.linspace(0, len(steps) - 1, k)}


def layer_tensors(model):
    """{tag: tensor} of the histograms: each parameter, its gradient and its layer's activation.

    Tags group by layer: ``layer_1/W1``, ``layer_1/dW1``, ``layer_1/b1``, ``layer_1/db1``,
    ``layer_1/A1`` (logistic regression: ``layer_1/w``, ``layer_1/dw``, ``layer_1/b``,
    ``layer_1/db``, ``layer_1/A``).
    """
    tensors = {}
    for name, variable in model.parameters.items():
        scope = variable.op.name.rsplit("/", 1)[0]               # "layer_1"
        tensors["%s/%s" % (scope, name)] = variable
        tensors["%s/d%s" % (scope, name)] = model.grads["d" + name]
        if name[0] in "wW":
            A = "A" + name[1:]                                    # W1 -> A1, w -> A
            tensors["%s/%s" % (scope, A)] = model.graph.get_tensor_by_name("%s/%s:0" % (scope, A))
    return tensors


def scalar_summary(values):
    """A tf.Summary of simple values from {tag: number}."""
    return tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=float(v))
                             for tag, v in sorted(values.items())])


def histogram_proto(values, bins=HISTOGRAM_BINS):
    """A tf.HistogramProto of an array: ``bins`` equal-width buckets between its min and max.

    bucket_limit[i] is the right edge of bucket i, as TensorBoard expects.
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    counts, edges = np.histogram(v, bins=bins)
    h = tf.HistogramProto(min=float(v.min()), max=float(v.max()), num=float(v.size),
                          sum=float(v.sum()), sum_squares=float(np.dot(v, v)))
    h.bucket_limit.extend(edges[1:].tolist())
    h.bucket.extend(counts.astype(np.float64).tolist())
    return h


def histogram_summary(arrays):
    """A tf.Summary of histograms from {tag: array}."""
    return tf.Summary(value=[tf.Summary.Value(tag=tag, histo=histogram_proto(a))
                             for tag, a in sorted(arrays.items())])


def image_summary(tag, png):
    """A tf.Summary holding one PNG image (bytes) under ``tag``."""
    width, height = struct.unpack(">II", png[16:24])              # from the PNG's IHDR chunk
    image = tf.Summary.Image(encoded_image_string=png, height=height, width=width, colorspace=4)
    return tf.Summary(value=[tf.Summary.Value(tag=tag, image=image)])


def pr_curve(labels, probabilities, tag="test_set"):
    """TensorBoard's pr_curve summary (its NumPy ``pb`` API) of ŷ against Y, both (1, m).

    The plugin stores it under the tag ``<tag>/pr_curves``."""
    from tensorboard.plugins.pr_curve import summary as pr_curve_summary
    return pr_curve_summary.pb(tag, labels=np.ravel(labels) > 0.5,
                               predictions=np.ravel(probabilities).astype(np.float32),
                               num_thresholds=PR_THRESHOLDS)


def boundary_png(predict, parameters, X, Y, title):
    """The decision boundary of ``parameters`` over X (2, m) with Y, as a small PNG;
    ``predict(parameters, P)`` gives the labels (1, k) of the points P (2, k)."""
    from tf_models import plots  # first: it selects matplotlib's Agg backend
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(3.2, 3.2))          # not through pyplot: safe on a background thread
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    plots.decision_boundary(
        lambda P: predict(parameters, P), X, Y,
        title=title, ax=ax, steps=BOUNDARY_GRID)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.subplots_adjust(left=0.04, right=0.96, bottom=0.06, top=0.9)
    return plots.figure_to_png(fig)


class TensorBoardLogger(object):
    """Writes the summaries of a ``ModelGraph`` run. Create it before opening the session.

    ``steps``: the iterations at which ``record`` will be called (see ``record_steps``); the
    histograms and pictures go to evenly spread ones among them.
    """

    def __init__(self, model, logdir, X_test=None, Y_test=None, steps=None, X_train=None,
                 Y_train=None, predict=None):
        self.model = model
        self.predict = predict  # (parameters, X) -> labels, for the decision-boundary pictures
        self.test = None if X_test is None else (X_test, Y_test)
        steps = steps if steps is not None else []
        self.histogram_steps = spread(steps, HISTOGRAMS)
        draw = (predict is not None and X_train is not None and X_train.shape[0] == 2
                and len(steps) > 0)
        self.image_steps = spread(steps, IMAGES) if draw else set()
        self.train_data = (X_train, Y_train)
        self.histogram_tensors = layer_tensors(model)
        # The graph is written now, before a Saver adds its save/restore nodes.
        self.train_writer = tf.summary.FileWriter(os.path.join(logdir, "train"), model.graph)
        self.test_writer = (tf.summary.FileWriter(os.path.join(logdir, "test"))
                            if self.test is not None else None)
        self.painter = _Painter(self.train_writer) if self.image_steps else None

    def record(self, sess, step):
        """Evaluate and write the summaries for the current parameters at iteration ``step``."""
        m = self.model
        fetch = {"cost": m.cost, "accuracy": m.accuracy}
        if step in self.histogram_steps:
            fetch["histograms"] = self.histogram_tensors
        if step in self.image_steps:
            fetch["parameters"] = m.parameters
        got = sess.run(fetch)
        self.train_writer.add_summary(scalar_summary({"cost": got["cost"],
                                                      "accuracy": got["accuracy"]}), step)
        if "histograms" in got:
            self.train_writer.add_summary(histogram_summary(got["histograms"]), step)
        if "parameters" in got:
            X, Y = self.train_data
            self.painter.draw(step, (self.predict, got["parameters"], X, Y,
                                     "iteration %d" % step))
        if self.test is not None:
            self._record_test(sess, step)

    def _record_test(self, sess, step):
        m = self.model
        X_test, Y_test = self.test
        cost, accuracy, A = sess.run([m.cost, m.accuracy, m.A], {m.X: X_test, m.Y: Y_test})
        self.test_writer.add_summary(scalar_summary({"cost": cost, "accuracy": accuracy}), step)
        if step in self.histogram_steps:
            self.test_writer.add_summary(pr_curve(Y_test, A), step)

    def close(self):
        """Finish the pictures, flush and close the event files."""
        if self.painter is not None:
            self.painter.finish()
        for w in (self.train_writer, self.test_writer):
            if w is not None:
                w.flush()
                w.close()


class _Painter(object):
    """Draws decision-boundary pictures on one background thread and writes them as images."""

    def __init__(self, writer):
        self.writer = writer
        self.jobs = queue.Queue()
        self.thread = threading.Thread(target=self._work, name="decision-boundary")
        self.thread.daemon = True
        self.thread.start()

    def draw(self, step, args):
        self.jobs.put((step, args))

    def finish(self):
        self.jobs.put(None)
        self.thread.join()

    def _work(self):
        while True:
            job = self.jobs.get()
            if job is None:
                return
            step, args = job
            try:
                png = boundary_png(*args)
                self.writer.add_summary(image_summary("decision_boundary", png), step)
            except Exception as e:  # a picture must never cost the run
                sys.stderr.write("warning: decision-boundary picture at iteration %d not written "
                                 "(%s)\n" % (step, e))
