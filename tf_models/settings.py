"""The names every layer shares, and the one record of what a training needs.

Defined here once, without TensorFlow, so that the command line, the models, the graphs and the
tests read the same tuples:

    BACKENDS    tf (the TF1 graph), numpy (the NumPy reference)
    DTYPES      float32, float64
    TF_MODES    how the TF trainer runs its steps (graphs.session): loop, step, feed

``Training`` is the settings record: built and checked once at an entry point
(``models.training``), then passed whole to the trainers, which trust it. The checks of numbers and names used by more
than one concept live here too; every other check lives with the concept it checks
(``datasets.check_data``, ``activations.get``, ``initializers.check_init``, ``parameters``).
"""
import collections
import numbers

import numpy as np

BACKENDS = ("tf", "numpy")
DTYPES = ("float32", "float64")
TF_MODES = ("loop", "step", "feed")


class Training(collections.namedtuple(
        "Training", "model activation update num_iterations record_every mode")):
    """What a trainer needs, checked (build it with ``models.training``):

    model           a name of models.MODELS
    activation      the hidden layers' g (None for logistic regression)
    update          the update rule, e.g. ``updates.GradientDescent(α)``: θ := θ − α dθ
    num_iterations  gradient-descent steps (≥ 1)
    record_every    the cost is recorded (and the run checked) every this many steps (≥ 1)
    mode            TF only: one of TF_MODES
    """

    @property
    def learning_rate(self):
        """α of the update rule."""
        return self.update.learning_rate


def record_interval(print_every, per_line=10):
    """``record_every`` for a run printed every ``print_every`` iterations: about ``per_line``
    records per printed line (the scripts' defaults give about 100 per run, enough for a cost
    curve to show the first drop), at an interval that divides ``print_every``, so that every
    printed line is a record. It depends on ``print_every`` alone, so a resumed run records where
    an unbroken run of the same length would. (The scripts and the estimators both use it.)"""
    wanted = max(1, print_every // per_line)
    return max(d for d in range(1, wanted + 1) if print_every % d == 0)


# ---- names ---------------------------------------------------------------------------------------

def check_choice(value, choices, what):
    """``value`` if it is one of ``choices`` (strings); ValueError naming them otherwise."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError("unknown %s %r; choose one of: %s"
                         % (what, value, ", ".join(str(c) for c in choices)))
    return value


def check_dtype(dtype):
    """np.dtype of float32 or float64 (given as a name, a NumPy dtype or type)."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError):
        dt = None
    if dtype is None or dt is None or dt not in (np.float32, np.float64) or isinstance(dtype, bool):
        raise ValueError("unsupported dtype %r; choose float32 or float64" % (dtype,))
    return dt


# ---- numbers -------------------------------------------------------------------------------------

def is_real(x):
    """A real number that is not a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def is_whole(x):
    """A whole number that is not a bool."""
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def check_learning_rate(learning_rate):
    """α: a finite number > 0 (returned as a Python float)."""
    if not is_real(learning_rate) or not np.isfinite(learning_rate) or not learning_rate > 0:
        raise ValueError("learning rate must be a positive finite number such as 0.01; got %r"
                         % (learning_rate,))
    return float(learning_rate)


def check_positive_int(value, what):
    """A whole number ≥ 1 (returned as int); ``what`` names it in the message."""
    if not is_whole(value) or value < 1:
        raise ValueError("%s must be a whole number of at least 1; got %r" % (what, value))
    return int(value)


def check_seed(seed):
    """A seed for ``np.random.RandomState``: a whole number in [0, 2³² − 1]."""
    if not is_whole(seed) or not 0 <= seed < 2 ** 32:
        raise ValueError("seed must be a whole number from 0 to %d; got %r" % (2 ** 32 - 1, seed))
    return int(seed)
