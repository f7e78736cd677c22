"""Whether a run can start: what it will spend, checked before it is spent.

``check_before_loading`` reads the declared shape of an HDF5 training file (no data) and
refuses a model that would exceed the parameter cap or the memory available;
``check_training_memory`` does the same for the data actually loaded; ``check_cast`` refuses
values that a float32 run cannot hold (they would become inf in the cast).
"""
import numpy as np

from tf_models import models
from tf_models.run import h5files, memory

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
    limit = float(np.finfo(np.float32).max)  # a Python float: NumPy 2 would cast 1e39 to float32
    for X, where in ((ds.X_train, config.data or config.dataset),
                     (ds.X_test, config.test_data or config.data or config.dataset)):
        big = float(np.max(np.abs(X))) if X.size else 0.0
        if big > limit:
            raise ValueError("%s: values up to %.3g do not fit in float32 (largest %.3g) and would "
                             "become inf; use --dtype float64 or rescale the data"
                             % (where, big, limit))
