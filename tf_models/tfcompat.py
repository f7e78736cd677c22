"""The one place that imports TensorFlow.

Every other module writes ``from tf_models.tfcompat import tf`` and gets the TF 1.x API:

- on the pinned stack (TensorFlow 1.8) that is ``tensorflow`` itself;
- on TensorFlow 2.x it is ``tensorflow.compat.v1`` with v2 behaviour disabled, so placeholders,
  sessions, ref variables and ``tf.train.GradientDescentOptimizer`` work exactly as in 1.x.

``TF_VERSION`` is the installed version string; ``IS_TF2`` says which branch was taken.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide C++ start-up chatter, keep errors

import tensorflow as _tf  # noqa: E402

TF_VERSION = _tf.__version__
IS_TF2 = int(TF_VERSION.split(".")[0]) >= 2

tf = _tf.compat.v1 if IS_TF2 else _tf
tf.logging.set_verbosity(tf.logging.ERROR)  # first: disabling v2 behaviour logs deprecation notes
if IS_TF2:
    tf.disable_v2_behavior()

__all__ = ["tf", "TF_VERSION", "IS_TF2"]
