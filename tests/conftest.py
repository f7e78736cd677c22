"""Shared test helpers. Each test builds its own tf.Graph and Session (through ModelGraph).

The package is installed into each stack's environment (``pip install -e .``, done by env.sh),
so ``import tf_models`` needs no path setting here.
"""
import importlib.util
import os

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SHARED_DATA = os.path.join(ROOT, "..", "shared", "data", "catvnoncat")
CAT_TRAIN = os.path.join(SHARED_DATA, "train_catvnoncat.h5")
CAT_TEST = os.path.join(SHARED_DATA, "test_catvnoncat.h5")

# Parity tolerances (relative) by dtype: float64 to rounding, float32 to its seven digits.
RTOL = {"float64": 1e-10, "float32": 1e-5}


def needs_catvnoncat():
    """Skip (with the reason) where the course's cat/non-cat files are not beside the project."""
    return pytest.mark.skipif(not (os.path.isfile(CAT_TRAIN) and os.path.isfile(CAT_TEST)),
                              reason="../shared/data/catvnoncat/ is absent (a user's clone has no copy)")


_LOADED = {}


def load_script(name, folder="scripts"):
    """The program ``<folder>/<name>.py`` as a module, imported once, so that a test can call its
    ``main(argv)`` in-process (a subprocess costs a TensorFlow import each)."""
    path = os.path.join(ROOT, folder, name + ".py")
    if path not in _LOADED:
        spec = importlib.util.spec_from_file_location("%s_%s" % (folder, name), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _LOADED[path] = module
    return _LOADED[path]


def toy_data(n_x=3, m=20, seed=0, dtype="float64"):
    """Small random X (n_x, m) and 0/1 labels Y (1, m) with both classes present."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(np.float64)
    Y[0, 0], Y[0, 1] = 0, 1
    return X.astype(dtype), Y.astype(dtype)


def assert_close_dicts(mine, theirs, rtol, label_mine="NumPy", label_theirs="TF", atol_scale=1e-12):
    """Every key of ``mine`` close to ``theirs``: |a − b| ≤ rtol·max|b| (+ a floor for all-zero arrays).

    The tolerance is relative to the array's largest entry, so tiny entries of a gradient are
    held to the precision of its big ones. The message names the tensor and both values."""
    for key in sorted(mine):
        a = np.asarray(mine[key], dtype=np.float64)
        b = np.asarray(theirs[key], dtype=np.float64)
        assert a.shape == b.shape, "%s: shape %s (%s) vs %s (%s)" % (key, a.shape, label_mine,
                                                                      b.shape, label_theirs)
        scale = max(np.max(np.abs(b)) if b.size else 0.0, atol_scale)
        np.testing.assert_allclose(a, b, rtol=0, atol=rtol * scale,
                                   err_msg="%s: %s vs %s" % (key, label_mine, label_theirs))


def assert_same_training(results, reference="loop"):
    """Every {mode: (parameters, costs)} of ``results`` equals ``reference``'s bit for bit: the
    costs at every record, then each parameter (the message names the mode and the tensor)."""
    p_ref, costs_ref = results[reference]
    for mode in sorted(m for m in results if m != reference):
        p_mode, costs_mode = results[mode]
        assert costs_mode == costs_ref, "costs: %s vs %s" % (mode, reference)
        for name in sorted(p_ref):
            np.testing.assert_array_equal(p_mode[name], p_ref[name],
                                          err_msg="%s: %s vs %s" % (name, mode, reference))


# Property tests (hypothesis): in CI, a fixed example sequence, so that a landing never depends on
# luck; locally, fresh random examples every run.
try:
    from hypothesis import settings as _hypothesis_settings
    _hypothesis_settings.register_profile("ci", derandomize=True)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is in both requirement files
    pass
