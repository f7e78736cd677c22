"""A training run as a transaction: checks before anything is spent, containment after.

Before: ``check_before_loading`` reads the declared shape of an HDF5 training file (no data)
and refuses a model that would exceed the parameter cap or the memory available;
``check_training_memory`` does the same for the data actually loaded; ``check_cast`` refuses
values that a float32 run cannot hold (they would become inf in the cast).

After training has begun nothing trained may be lost: ``Contained`` runs a secondary writer
(TensorBoard event files, checkpoints) so that its failure is noted, not raised; ``conclude``
turns what was saved and what failed into the run's ending (one line, the right exception);
``close_dir`` keeps a run directory that holds anything of value and removes one that does not.
"""
import os

import numpy as np

from tf_models.run import h5files, memory, stopping
from tf_models import models
from tf_models.run import console, outputs, signals

MEMORY_HINT = "choose fewer units or a smaller dataset"


def check_before_loading(config):
    """Refuse, from the declared shape of the training file alone, a model over the parameter
    cap (``initializers.MAX_PARAMETERS``) or over the memory available."""
    shape = h5files.declared_shape(config.data, "train")
    if shape is None:
        return  # h5files.read names the problem
    n_x, m = shape
    layer_dims = config.layer_dims(n_x)
    try:
        models.get(config.model).check_layer_dims(layer_dims)
    except ValueError as e:
        raise ValueError("%s: %s" % (config.data, e))
    test = h5files.declared_shape(config.test_data, "test") if config.test_data else None
    check_training_memory(config, layer_dims, m + (test[1] if test else 0))


def check_training_memory(config, layer_dims, m):
    """ValueError when training ``layer_dims`` on m examples would not fit in memory."""
    need = memory.training_bytes(layer_dims, m, np.dtype(config.dtype).itemsize, config.backend)
    memory.check_memory(need, "training layer_dims %s on %d examples (%s, %s)"
                        % (layer_dims, m, config.dtype, config.backend), MEMORY_HINT)


def check_cast(ds, config):
    """ValueError naming the file when float32 cannot hold the data's values."""
    if config.dtype != "float32":
        return
    limit = np.finfo(np.float32).max
    for X, where in ((ds.X_train, config.data or config.dataset),
                     (ds.X_test, config.test_data or config.data or config.dataset)):
        big = float(np.max(np.abs(X))) if X.size else 0.0
        if big > limit:
            raise ValueError("%s: values up to %.3g do not fit in float32 (largest %.3g) and would "
                             "become inf; use --dtype float64 or rescale the data"
                             % (where, big, limit))


class Contained(object):
    """A secondary writer whose failures are noted in ``failed`` (once, with a warning) and
    then skipped: ``call(method, ...)`` on the object ``make()`` builds, ``run(f, ...)``."""

    def __init__(self, failed, what, make=None):
        self.failed, self.what, self.broken = failed, what, False
        self.obj = self._guard(make) if make is not None else None

    def _guard(self, f, *args, **kw):
        if self.broken:
            return None
        try:
            return f(*args, **kw)
        except Exception as e:  # a full disk, a vanished directory: never the parameters' fault
            self.broken = True
            self.failed.append((self.what, outputs.reason(e)))
            console.warn("warning: %s not written from here on (%s)" % (self.what, outputs.reason(e)))
            return None

    def call(self, method, *args, **kw):
        if self.obj is not None:
            return self._guard(getattr(self.obj, method), *args, **kw)

    def run(self, f, *args, **kw):
        return self._guard(f, *args, **kw)


def note(saved, failed, run_dir):
    """What a run kept, in words: "outputs saved in R", or what failed and where things went."""
    if not failed:
        return "outputs saved in %s" % run_dir
    what = ", ".join("%s (%s)" % f for f in failed)
    return "could not write %s; saved %s" % (what, ", ".join(saved) if saved else "nothing")


class OutputsFailed(ValueError):
    """Some outputs could not be written (exit 2); the message says which and what was saved."""


def conclude(stopped, saved, failed, run_dir):
    """Raise what ends the run: the stop (with where its outputs are), a signal that came after
    training completed, or the failed writes. Returns when all went well."""
    where = note(saved, failed, run_dir)
    if isinstance(stopped, stopping.Interrupted):
        raise stopping.Interrupted("%s; %s" % (stopped, where), stopped.parameters,
                                   stopped.costs, stopped.iteration, stopped.signum)
    if stopped is not None:
        raise type(stopped)("%s; %s" % (stopped, where), stopped.parameters, stopped.costs,
                            stopped.iteration)
    signum = stopping.stop_signal()
    if signum is not None:
        raise stopping.Interrupted("%s after training completed; %s" % (signals.name(signum), where),
                                   None, [], None, signum)
    if failed:
        raise OutputsFailed(where)


def close_dir(owned):
    """Release a run directory holding params.h5, metrics.json or checkpoints; remove one
    holding nothing of value (a run that failed before training)."""
    keep = any(os.path.exists(os.path.join(owned.path, n))
               for n in ("params.h5", "metrics.json", "checkpoints"))
    if keep:
        owned.release()
    else:
        owned.abandon()
