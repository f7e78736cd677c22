"""The one place that imports TensorFlow.

Every other module writes ``from tf_models.graphs.tfcompat import tf`` and gets the TF 1.x API:

- on the TF 1.x stacks (TensorFlow 1.8, 1.15) that is ``tensorflow`` itself;
- on TensorFlow 2.x it is ``tensorflow.compat.v1`` with v2 behaviour disabled, so placeholders,
  sessions, ref variables and ``tf.train.GradientDescentOptimizer`` work exactly as in 1.x.

``TF_VERSION`` is the installed version string; ``IS_TF2`` says which branch was taken.
"""
import os
import re
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide C++ start-up chatter, keep errors

# What TensorFlow 2 writes to stderr while it loads, before it reads TF_CPP_MIN_LOG_LEVEL (each of
# its two native libraries once): absl's note that logging is not initialised yet, and the INFO
# line saying oneDNN's custom operations are on (that is, the default, left unchanged here).
_START_UP_NOTICES = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$"
    r"|I\d{4} [\d:.]+ +\d+ port\.cc:\d+\] oneDNN custom operations are on\.")


def _import_tensorflow():
    """``import tensorflow``, with its start-up notices left out of stderr when INFO is hidden.

    While the module loads, file descriptor 2 goes to a temporary file; afterwards every line of
    it except the notices above is written to the real stderr, in order (errors included)."""
    if os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0").strip() in ("", "0"):
        import tensorflow
        return tensorflow
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            lines = captured.read().decode("utf-8", "replace").splitlines(True)
            kept = "".join(line for line in lines if not _START_UP_NOTICES.match(line))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()
    return tensorflow


_tf = _import_tensorflow()

TF_VERSION = _tf.__version__
IS_TF2 = int(TF_VERSION.split(".")[0]) >= 2

tf = _tf.compat.v1 if IS_TF2 else _tf
tf.logging.set_verbosity(tf.logging.ERROR)  # first: disabling v2 behaviour logs deprecation notes
if IS_TF2:
    tf.disable_v2_behavior()

__all__ = ["tf", "TF_VERSION", "IS_TF2"]
