"""Checks on what a learner passes in, each failing with one clear ValueError.

Every check raises ``ValueError`` with a one-line message that names the problem and what would be
accepted (the scripts print it as ``error: ...`` and exit with status 2). The library's entry
points (``models``, the NumPy ``model`` functions, the graph builders, ``datasets``) call them
before any work, so a wrong shape or a NaN is reported in words, not as a traceback or a silent NaN.

    data         X (n_x, m) float32/float64, finite;  Y (1, m) of 0/1;  m ≥ 1 (≥ 2 to split)
    parameters   the keys and shapes of the chosen model: w (n_x, 1), b scalar; or W1 (n1, n_x),
                 b1 (n1, 1), ..., WL (1, n_{L-1}), bL (1, 1); finite floats
    settings     model, backend, dtype, activation, init, dataset names; learning rate > 0 (finite);
                 iteration counts ≥ 1; seed in [0, 2³² − 1]; layer_dims [n_x, ..., 1]
"""
import numbers
import os

import numpy as np

MODELS = ("logistic", "shallow", "deep")
BACKENDS = ("tf", "numpy")
DTYPES = ("float32", "float64")
MAX_PARAMETERS = 10 ** 8  # 800 MB of float64 weights: beyond this a course model is a typo


def _name_list(choices):
    return ", ".join(str(c) for c in choices)


def check_choice(value, choices, what):
    """``value`` if it is one of ``choices`` (strings); ValueError naming them otherwise."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError("unknown %s %r; choose one of: %s" % (what, value, _name_list(choices)))
    return value


def check_model(model):
    """'logistic', 'shallow' or 'deep'."""
    return check_choice(model, MODELS, "model")


def check_backend(backend):
    """'tf' or 'numpy'."""
    return check_choice(backend, BACKENDS, "backend")


def check_dtype(dtype):
    """np.dtype of float32 or float64 (given as a name, a NumPy dtype or type)."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError):
        dt = None
    if dtype is None or dt is None or dt not in (np.float32, np.float64) or isinstance(dtype, bool):
        raise ValueError("unsupported dtype %r; choose float32 or float64" % (dtype,))
    return dt


def check_activation(name):
    """A name of ``activations.ACTIVATIONS``."""
    from tf_models.activations import ACTIVATIONS
    return check_choice(name, sorted(ACTIVATIONS), "activation")


def check_init(name):
    """A name of ``initializers.INIT_METHODS``."""
    from tf_models.initializers import INIT_METHODS
    return check_choice(name, list(INIT_METHODS), "initialization")


def check_dataset(name):
    """A built-in dataset name (``datasets.DATASETS``)."""
    from tf_models.datasets import DATASETS
    return check_choice(name, DATASETS, "dataset")


# ---- numbers ------------------------------------------------------------------------------------

def _is_real(x):
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def _is_whole(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def check_learning_rate(learning_rate):
    """α: a finite number > 0 (returned as a Python float)."""
    if not _is_real(learning_rate) or not np.isfinite(learning_rate) or not learning_rate > 0:
        raise ValueError("learning rate must be a positive finite number such as 0.01; got %r"
                         % (learning_rate,))
    return float(learning_rate)


def check_positive_int(value, what):
    """A whole number ≥ 1 (returned as int); ``what`` names it in the message."""
    if not _is_whole(value) or value < 1:
        raise ValueError("%s must be a whole number of at least 1; got %r" % (what, value))
    return int(value)


def check_iterations(num_iterations, record_every=1):
    """The iteration count and the record interval, both whole numbers ≥ 1."""
    return (check_positive_int(num_iterations, "the number of iterations"),
            check_positive_int(record_every, "the record interval (print every)"))


def check_seed(seed):
    """A seed for ``np.random.RandomState``: a whole number in [0, 2³² − 1]."""
    if not _is_whole(seed) or not 0 <= seed < 2 ** 32:
        raise ValueError("seed must be a whole number from 0 to %d; got %r" % (2 ** 32 - 1, seed))
    return int(seed)


# ---- architecture -------------------------------------------------------------------------------

def check_layer_dims(layer_dims, model=None):
    """[n_x, n_1, ..., 1] of positive whole numbers; for ``model='shallow'`` exactly 3 entries,
    for 'logistic' exactly 2; at most MAX_PARAMETERS weights in all."""
    from tf_models.initializers import check_layer_dims as _check
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__len__"):
        raise ValueError("layer_dims must be a list of whole numbers such as [2, 4, 1]; got %r"
                         % (layer_dims,))
    dims = list(layer_dims)
    for n in dims:
        if not _is_real(n):
            raise ValueError("layer_dims must be positive whole numbers; got %r" % (dims,))
    dims = _check(dims)
    if model == "shallow" and len(dims) != 3:
        raise ValueError("the shallow network has exactly one hidden layer: layer_dims [n_x, n_h, 1];"
                         " got %r" % (dims,))
    if model == "logistic" and len(dims) != 2:
        raise ValueError("logistic regression has no hidden layer: layer_dims [n_x, 1]; got %r"
                         % (dims,))
    size = sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims)))
    if size > MAX_PARAMETERS:
        raise ValueError("layer_dims %r would need %d parameters (at most %d accepted); choose "
                         "fewer units" % (dims, size, MAX_PARAMETERS))
    return dims


# ---- data -----------------------------------------------------------------------------------------

def check_X(X, n_x=None):
    """X: a 2-D NumPy array (n_x, m) of float32 or float64, m ≥ 1, all finite.

    With ``n_x`` given, X must have that many rows (the model's input size)."""
    if not isinstance(X, np.ndarray):
        raise ValueError("X must be a NumPy array of shape (n_x, m), one example per column; got %s"
                         " (convert it with np.array(X, dtype='float64'))" % type(X).__name__)
    if X.ndim != 2:
        raise ValueError("X must be 2-D with shape (n_x, m), one example per column; got shape %s%s"
                         % (X.shape, " (use X.reshape(1, -1) for one feature)" if X.ndim == 1 else ""))
    if X.dtype not in (np.float32, np.float64):
        raise ValueError("X has dtype %s; use float32 or float64 (e.g. X.astype('float64'))"
                         % X.dtype)
    if X.size == 0:
        raise ValueError("X is empty (shape %s); it needs at least one feature and one example"
                         % (X.shape,))
    if n_x is not None and X.shape[0] != n_x:
        raise ValueError("X has %d rows (features) but the parameters expect n_x = %d; X must be "
                         "(n_x, m), one example per column%s"
                         % (X.shape[0], n_x, " (is X transposed?)" if X.shape[1] == n_x else ""))
    if not np.isfinite(X).all():
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError("X contains NaN or inf (first at row %d, column %d); remove or impute those"
                         " values" % (bad[0], bad[1]))
    return X


def check_Y(Y, m=None):
    """Y: a NumPy array (1, m) of 0/1 labels (any real dtype)."""
    if not isinstance(Y, np.ndarray):
        raise ValueError("Y must be a NumPy array of shape (1, m) holding 0/1 labels; got %s"
                         % type(Y).__name__)
    if Y.ndim != 2 or Y.shape[0] != 1 or (m is not None and Y.shape[1] != m):
        want = "(1, %d)" % m if m is not None else "(1, m)"
        raise ValueError("Y must have shape %s, one label per column of X; got shape %s%s"
                         % (want, Y.shape, " (use Y.reshape(1, -1))" if Y.size == m else ""))
    if Y.dtype.kind not in "biuf":
        raise ValueError("Y has dtype %s; labels must be numbers 0 or 1" % Y.dtype)
    if Y.size == 0:
        raise ValueError("Y is empty; it needs at least one label")
    ok = (Y == 0) | (Y == 1)
    if not ok.all():
        found = np.unique(Y[~ok])[:5]
        raise ValueError("labels must be 0 or 1; Y also holds %s (map your two classes to 0 and 1)"
                         % ", ".join("%g" % v for v in found))
    return Y


def check_data(X, Y, n_x=None):
    """X (n_x, m) and Y (1, m) that agree: see ``check_X`` and ``check_Y``. Returns (X, Y)."""
    check_X(X, n_x)
    m = X.shape[1]
    if isinstance(Y, np.ndarray) and Y.ndim == 2 and Y.shape[0] == 1 and Y.shape[1] != m:
        hint = " (is X transposed?)" if X.shape[0] == Y.shape[1] else ""
        raise ValueError("X has %d examples (columns) but Y has %d labels; X must be (n_x, m) and Y "
                         "(1, m)%s" % (m, Y.shape[1], hint))
    check_Y(Y, m)
    return X, Y


def check_split_size(m):
    """At least 2 examples, so that a training and a test set are both non-empty."""
    if m < 2:
        raise ValueError("need at least 2 examples to split into a training and a test set; got %d"
                         " (pass a separate test file, or more data)" % m)
    return m


# ---- parameters ------------------------------------------------------------------------------------

def expected_shapes(model, layer_dims):
    """{name: shape} of a ``model`` with ``layer_dims``: w (n_x, 1), b () or W[l], b[l]."""
    if model == "logistic":
        return {"w": (layer_dims[0], 1), "b": ()}
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes["W%d" % l] = (layer_dims[l], layer_dims[l - 1])
        shapes["b%d" % l] = (layer_dims[l], 1)
    return shapes


def layer_dims_of(model, parameters):
    """[n_x, n_1, ..., n_L] read from the parameters' shapes, or ValueError if they cannot be a
    ``model`` (keys w, b for logistic; W1, b1, ..., WL, bL for the networks)."""
    if not isinstance(parameters, dict):
        raise ValueError("parameters must be a dict of arrays such as {'W1': ..., 'b1': ...}; got %s"
                         % type(parameters).__name__)
    if model == "logistic":
        if set(parameters) != {"w", "b"} or np.ndim(parameters["w"]) != 2:
            raise ValueError("logistic regression needs parameters {'w': (n_x, 1), 'b': scalar}; got "
                             "keys %s" % sorted(parameters))
        return [np.shape(parameters["w"])[0], 1]
    L = len(parameters) // 2
    want = {"%s%d" % (k, l) for l in range(1, L + 1) for k in "Wb"}
    if L < 1 or set(parameters) != want or any(np.ndim(parameters["W%d" % l]) != 2
                                               for l in range(1, L + 1)):
        raise ValueError("a %s network needs parameters W1, b1, ..., WL, bL with each W[l] 2-D; got "
                         "keys %s" % (model, sorted(parameters)))
    return [np.shape(parameters["W1"])[1]] + [np.shape(parameters["W%d" % l])[0]
                                              for l in range(1, L + 1)]


def check_parameters(model, parameters, n_x=None):
    """Parameters that fit ``model`` (keys, chained shapes, one output unit), hold finite floats,
    and, with ``n_x``, take n_x inputs. Returns layer_dims."""
    check_model(model)
    dims = layer_dims_of(model, parameters)
    if model != "logistic":
        check_layer_dims(dims, model)
    want = expected_shapes(model, dims)
    got = {k: tuple(np.shape(v)) for k, v in parameters.items()}
    if model == "logistic" and got["b"] in ((1,), (1, 1)):
        want["b"] = got["b"]  # a 1-element b broadcasts like the scalar
    if got != want:
        raise ValueError("parameters do not fit a %s model: shapes %s, expected %s"
                         % (model, _shapes_text(got), _shapes_text(want)))
    for name in sorted(parameters):
        value = np.asarray(parameters[name])
        if value.dtype not in (np.float32, np.float64):
            raise ValueError("parameter %s has dtype %s; use float32 or float64" % (name, value.dtype))
        if not np.isfinite(value).all():
            raise ValueError("parameter %s contains NaN or inf; start from finite values (e.g. "
                             "models.initial_parameters)" % name)
    if n_x is not None and dims[0] != n_x:
        raise ValueError("the parameters take n_x = %d inputs but the data have %d features"
                         % (dims[0], n_x))
    return dims


def _shapes_text(shapes):
    return "{%s}" % ", ".join("%s: %s" % (k, shapes[k]) for k in sorted(shapes))


def check_params_fit(path, attrs, model, n_x=None):
    """A loaded params.h5 (its ``attrs``) that fits the chosen ``model`` and data width ``n_x``."""
    if attrs.get("model") != model:
        raise ValueError("%s holds a %s model, not a %s one; choose the matching script or model"
                         % (path, attrs.get("model"), model))
    dims = attrs.get("layer_dims")
    if n_x is not None and isinstance(dims, list) and dims and dims[0] != n_x:
        raise ValueError("%s was trained on %s features but the data have %d; use the dataset it "
                         "was trained on" % (path, dims[0], n_x))
    return attrs


def check_training(model, X, Y, parameters, learning_rate, num_iterations, activation=None,
                   record_every=1):
    """Everything a training entry point takes: data, parameters that fit it, α, counts."""
    check_model(model)
    check_data(X, Y)
    check_parameters(model, parameters, X.shape[0])
    if model != "logistic":
        check_activation(activation)
    check_learning_rate(learning_rate)
    check_iterations(num_iterations, record_every)


# ---- files --------------------------------------------------------------------------------------

def check_h5_arrays(path, x, y, x_key, y_key):
    """The two arrays of one course HDF5 file: x (m, ...) numeric, finite; y (m,) of 0/1, m ≥ 1."""
    layout = "%s (m, 64, 64, 3) and %s (m,)" % (x_key, y_key)
    if x.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        raise ValueError("%s: %s has dtype %s and %s has dtype %s; the course layout holds numbers: %s"
                         % (path, x_key, x.dtype, y_key, y.dtype, layout))
    y_flat = y.reshape(-1) if (y.ndim == 2 and 1 in y.shape) else y
    if x.ndim < 2 or y_flat.ndim != 1 or x.shape[0] != y_flat.shape[0]:
        raise ValueError("%s: %s has shape %s and %s has shape %s; expected %s"
                         % (path, x_key, x.shape, y_key, y.shape, layout))
    if x.shape[0] == 0 or x[0].size == 0:
        raise ValueError("%s: no examples (%s has shape %s); expected %s with m ≥ 1"
                         % (path, x_key, x.shape, layout))
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError("%s: %s contains NaN or inf" % (path, x_key))
    ok = (y_flat == 0) | (y_flat == 1)
    if not ok.all():
        raise ValueError("%s: %s must hold labels 0 or 1; it also holds %s"
                         % (path, y_key, ", ".join("%g" % v for v in np.unique(y_flat[~ok])[:5])))
    return y_flat


def check_run_dir(path):
    """A finished or interrupted run directory to resume from: it exists and holds params.h5 and
    metrics.json (what every run writes)."""
    if not os.path.isdir(path):
        raise ValueError("%s: no such run directory (expected a folder written by a training script)"
                         % path)
    missing = [f for f in ("params.h5", "metrics.json") if not os.path.isfile(os.path.join(path, f))]
    if missing:
        raise ValueError("%s is not a run directory: %s missing (a run holds params.h5 and "
                         "metrics.json)" % (path, " and ".join(missing)))
    return path
