"""Starting parameters: the one initializer that both backends train from (course 1.4.3.3).

The TensorFlow graphs create their ``tf.Variable``s from these arrays, so both implementations
start from identical numbers and any later difference is the training arithmetic alone.
Weights are drawn in float64 from a seeded ``RandomState`` (no global state), then cast.
"""
import numpy as np

from tf_models import settings

# name -> (what it draws, scale as a function of the previous layer's width n_prev)
INIT_METHODS = {
    "randn": "standard normal × 0.01, the course's method (np.random.randn(...) * 0.01)",
    "uniform": "uniform on [0, 1) × 0.01, the text's literal snippet (ERRATA 5: every weight > 0)",
    "zeros": "all zeros: every unit of a layer stays identical (shown in 1.4.3.3)",
    "large": "standard normal × 10: saturates sigmoid/tanh, slow and unstable training",
    "xavier": "standard normal × sqrt(1 / n_prev) (Glorot/Xavier, for tanh)",
    "he": "standard normal × sqrt(2 / n_prev) (He, for ReLU)",
}


def _weights(rng, method, n, n_prev):
    if method == "randn":
        return rng.randn(n, n_prev) * 0.01
    if method == "uniform":
        # ERRATA 5: the text writes np.random.rand(2, 2) * 0.01, i.e. uniform on [0, 1).
        return rng.rand(n, n_prev) * 0.01
    if method == "zeros":
        return np.zeros((n, n_prev))
    if method == "large":
        return rng.randn(n, n_prev) * 10.0
    if method == "xavier":
        return rng.randn(n, n_prev) * np.sqrt(1.0 / n_prev)
    return rng.randn(n, n_prev) * np.sqrt(2.0 / n_prev)  # "he"


MAX_PARAMETERS = 10 ** 8  # 800 MB of float64 weights: beyond this a course model is a typo


def check_init(name):
    """A name of INIT_METHODS; ValueError naming them otherwise."""
    if not isinstance(name, str) or name not in INIT_METHODS:
        raise ValueError("unknown initialization %r; choose one of: %s"
                         % (name, ", ".join(INIT_METHODS)))
    return name


def check_layer_dims(layer_dims):
    """[n_x, n_1, ..., 1]: positive whole numbers, length ≥ 2, one output unit, at most
    MAX_PARAMETERS weights and biases in all. Returns them as a list of ints."""
    if isinstance(layer_dims, (str, bytes)) or not hasattr(layer_dims, "__len__"):
        raise ValueError("layer_dims must be a list of whole numbers such as [2, 4, 1]; got %r"
                         % (layer_dims,))
    dims = list(layer_dims)
    if len(dims) < 2:
        raise ValueError("layer_dims needs the input size and at least one layer, e.g. [2, 4, 1]; got %r"
                         % (dims,))
    for n in dims:
        if not settings.is_real(n) or not float(n).is_integer() or n < 1:
            raise ValueError("layer_dims must be positive whole numbers; got %r" % (dims,))
    if dims[-1] != 1:
        raise ValueError("the last layer must have 1 unit (binary output); got layer_dims %r" % (dims,))
    dims = [int(n) for n in dims]
    size = sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims)))
    if size > MAX_PARAMETERS:
        raise ValueError("layer_dims %r would need %d parameters (at most %d accepted); choose "
                         "fewer units" % (dims, size, MAX_PARAMETERS))
    return dims


def initialize_parameters(layer_dims, method="randn", seed=1, dtype=np.float64):
    """Parameters {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (1, n_{L-1}), "bL": (1, 1)}.

    layer_dims: [n_x, n_1, ..., n_L] (course notation n[0] ... n[L]); method: a key of INIT_METHODS;
    b[l] = 0 always (biases do not suffer from symmetry, 1.4.3.3). Same seed, same numbers.
    """
    dims = check_layer_dims(layer_dims)
    check_init(method)
    rng = np.random.RandomState(seed)
    dtype = np.dtype(dtype)
    parameters = {}
    for l in range(1, len(dims)):
        parameters["W%d" % l] = _weights(rng, method, dims[l], dims[l - 1]).astype(dtype)
        parameters["b%d" % l] = np.zeros((dims[l], 1), dtype=dtype)
    return parameters


def initialize_logistic(n_x, dtype=np.float64):
    """Logistic regression's start as in 1.2.4.2's pseudo-code: w = zeros (n_x, 1), b = 0 (a scalar).

    Zeros are fine here: with a single unit there is no symmetry to break.
    """
    dtype = np.dtype(dtype)
    return {"w": np.zeros((int(n_x), 1), dtype=dtype), "b": dtype.type(0)}
