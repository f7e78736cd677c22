"""Graph pieces shared by the three TF models: inputs, parameters, activations and the cost.

Names follow the course so that TensorBoard's graph reads like its computation graphs:
placeholders ``X``, ``Y``; per-layer scopes ``layer_1/W1``, ``layer_1/Z1``, ``layer_1/A1``;
the cost node ``cost``; the update ``train``.
"""
import re
import weakref

import numpy as np

from tf_models.activations import LEAKY_RELU_SLOPE
from tf_models.graphs.tfcompat import tf


def tf_dtype(dtype):
    """tf.float32 or tf.float64 for a NumPy dtype, its name, or a TF dtype."""
    if isinstance(dtype, tf.DType):
        dtype = dtype.as_numpy_dtype
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError("unsupported dtype %r; choose float32 or float64" % dtype.name)
    return tf.as_dtype(dtype)


def layer_scope(l, reenter):
    """The name scope ``layer_<l>``. With ``reenter`` the existing top-level scope is reused, so the
    parameters (created first) and the layer's Z and A share one box in TensorBoard."""
    return tf.name_scope("layer_%d/" % l if reenter else "layer_%d" % l)


def layer_of(name):
    """The layer number of a parameter name: W3 -> 3, b1 -> 1; logistic regression's w, b -> 1."""
    digits = re.sub(r"\D", "", name)
    return int(digits) if digits else 1


def create_parameters(initial_parameters, dtype):
    """One ``tf.Variable`` per parameter, initialized from the NumPy arrays (the single source of
    starting values), named ``layer_<l>/<name>``. Returns a dict with the same keys."""
    dtype = tf_dtype(dtype)
    parameters = {}
    for name in sorted(initial_parameters, key=lambda k: (layer_of(k), k.lower() != "w", k)):
        value = np.asarray(initial_parameters[name], dtype=dtype.as_numpy_dtype)
        with layer_scope(layer_of(name), reenter=True):
            parameters[name] = tf.Variable(value, dtype=dtype, name=name)
    return parameters


def _leaky_relu(Z, name):
    # Written out instead of tf.nn.leaky_relu: TF 2.x's op keeps its slope as a float32
    # attribute (0.01 -> 0.009999999776), which breaks float64 parity with NumPy; and TF's
    # default slope is 0.2, not the 0.01 we use. Gradient: 1 where Z > 0, else the slope.
    slope = tf.constant(LEAKY_RELU_SLOPE, dtype=Z.dtype)
    return tf.where(Z > 0, Z, Z * slope, name=name)


# The TF twin of activations.ACTIVATIONS (a new activation goes in both tables): name -> g(Z, name).
ACTIVATIONS = {
    "sigmoid": lambda Z, name: tf.sigmoid(Z, name=name),
    "tanh": lambda Z, name: tf.tanh(Z, name=name),
    "relu": lambda Z, name: tf.nn.relu(Z, name=name),
    "leaky_relu": _leaky_relu,
    "linear": lambda Z, name: tf.identity(Z, name=name),
}


def activation(name, Z, out_name):
    """A = g(Z) as one named node; ``name`` a key of ACTIVATIONS (checked by the caller)."""
    return ACTIVATIONS[name](Z, out_name)


# graph -> {name of a data tensor X, or of a product W X: a tensor holding Xᵀ row by row}.
_TRANSPOSES = weakref.WeakKeyDictionary()
_PRODUCT_GRADIENT = "MatMulWithHeldTranspose"


def hold_transpose(X, X_T):
    """Declare that ``X_T`` (m, n_x) holds Xᵀ with its own contiguous layout: the products built
    afterwards from X by ``dense`` take dW = dZ Xᵀ from ``X_T`` (see ``product``)."""
    _TRANSPOSES.setdefault(X.graph, {})[X.name] = X_T


@tf.RegisterGradient(_PRODUCT_GRADIENT)
def _product_gradient(op, dZ):
    """Gradients of Z = W X when X's transpose is held: dW = dZ · X_T; no gradient for the data."""
    return tf.matmul(dZ, _TRANSPOSES[op.graph][op.name]), None


def product(W, A_prev):
    """W A_prev, as ``tf.matmul``; its gradient dW = dZ A_prevᵀ.

    When ``hold_transpose`` gave A_prev's transpose (wide data such as images, inside the
    training loop), dW is computed as ``dZ · X_T`` from that copy. Same numbers, same summation
    order (bit-identical): the copy only changes the memory layout. TensorFlow's own gradient,
    ``matmul(dZ, X, transpose_b=True)``, reads X (n_x, m) across its rows; for the course's cat
    network (n_x = 12288, m = 209) that product took about 1.5 times as long as the same product
    on Xᵀ stored row by row, and it is one of the two products that dominate a step
    (docs/performance.md).
    """
    held = _TRANSPOSES.get(A_prev.graph, {})
    if A_prev.name not in held:
        return tf.matmul(W, A_prev)
    with A_prev.graph.gradient_override_map({"MatMul": _PRODUCT_GRADIENT}):
        Z = tf.matmul(W, A_prev)
    held[Z.op.name] = held[A_prev.name]  # inside a loop the op reads X through an Enter
    return Z


def dense(A_prev, W, b, l, g, reenter, suffix=None):
    """Z[l] = W[l] A[l−1] + b[l];  A[l] = g(Z[l]), in scope ``layer_<l>``. Returns (Z, A)."""
    suffix = str(l) if suffix is None else suffix
    with layer_scope(l, reenter):
        Z = tf.add(product(W, A_prev), b, name="Z" + suffix)
        A = activation(g, Z, "A" + suffix)
    return Z, A


def cross_entropy_cost(Z, Y):
    """J = −(1/m) Σ [y log σ(z) + (1 − y) log(1 − σ(z))] from the logits Z (1, m), as one node ``cost``.

    ``sigmoid_cross_entropy_with_logits`` evaluates max(z, 0) − z·y + log(1 + e^(−|z|)): no log(0),
    the same expression as ``tf_models.losses`` in NumPy.
    """
    with tf.name_scope("cost") as scope:
        L = tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=Z, name="L")
        return tf.reduce_mean(L, name=scope)
