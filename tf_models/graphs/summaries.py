"""TensorBoard logging for a training run: the graph, and scalars for train and test data.

Layout under ``logdir``: ``train/`` (graph, cost and accuracy on the training set) and ``test/``
(cost and accuracy on the test set), so TensorBoard draws both curves in one chart per tag.
Tags are explicit names (``cost``, ``accuracy``), never a tensor's ``name:0``.
"""
import os

from tf_models.tfcompat import tf


class TensorBoardLogger(object):
    """Writes summaries for a ``ModelGraph``. Create it before opening the session."""

    def __init__(self, model, logdir, X_test=None, Y_test=None):
        self.model = model
        self.test_feed = None if X_test is None else {model.X: X_test, model.Y: Y_test}
        with model.graph.as_default():
            self.scalars = tf.summary.merge([tf.summary.scalar("cost", model.cost),
                                             tf.summary.scalar("accuracy", model.accuracy)])
        self.train_writer = tf.summary.FileWriter(os.path.join(logdir, "train"), model.graph)
        self.test_writer = (tf.summary.FileWriter(os.path.join(logdir, "test"))
                            if self.test_feed is not None else None)

    def record(self, sess, step):
        """Evaluate and write the summaries for the current parameters at iteration ``step``."""
        self.train_writer.add_summary(sess.run(self.scalars), step)
        if self.test_writer is not None:
            self.test_writer.add_summary(sess.run(self.scalars, self.test_feed), step)

    def close(self):
        for w in (self.train_writer, self.test_writer):
            if w is not None:
                w.flush()
                w.close()
