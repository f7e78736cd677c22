"""Activation functions g(Z) and their derivatives g'(Z), in NumPy (course 1.3.4).

Each derivative takes both Z and A = g(Z): the course writes g'(Z), but for sigmoid and tanh the
cheap and exact form uses A (σ' = A(1 − A), tanh' = 1 − A²), so backward steps pass the cached A.
All functions keep the dtype of Z (float32 stays float32).
"""
import numpy as np

LEAKY_RELU_SLOPE = 0.01  # slope for z < 0; the course's figure uses a small constant like this


def sigmoid(Z):
    """σ(Z) = 1 / (1 + e^(−Z)), elementwise, any shape.

    Computed from e = exp(−|Z|), which never overflows: σ = 1/(1 + e) for Z ≥ 0 and e/(1 + e)
    for Z < 0. So σ(±1000) is exactly 1 and 0 with no overflow warning (the text's formula
    overflows e^(−Z) for Z < −709 in float64, −88 in float32).
    """
    Z = np.asarray(Z)
    e = np.exp(-np.abs(Z))
    A = np.where(Z >= 0, 1, e)  # the numerator; divided in place (one array fewer, same numbers)
    A /= 1 + e
    return A if A.ndim else A[()]  # a 0-d input gives a NumPy scalar, as Z / (1 + e) would


def sigmoid_derivative(Z, A):
    """σ'(Z) = σ(Z)(1 − σ(Z)) = A(1 − A)."""
    return A * (1 - A)


def tanh(Z):
    """tanh(Z) = (e^Z − e^(−Z)) / (e^Z + e^(−Z)), output in (−1, 1)."""
    return np.tanh(Z)


def tanh_derivative(Z, A):
    """tanh'(Z) = 1 − tanh²(Z) = 1 − A².

    ERRATA 3: the text's 1.3.5 writes (1 − A)²; the derivative of tanh is 1 − A².
    """
    return 1 - A * A


def relu(Z):
    """ReLU(Z) = max(0, Z)."""
    return np.maximum(Z, 0)


def relu_derivative(Z, A):
    """ReLU'(Z) = 1 where Z > 0, else 0 (at the kink Z = 0 we take 0, as TensorFlow does)."""
    return (Z > 0).astype(Z.dtype)


def leaky_relu(Z, slope=LEAKY_RELU_SLOPE):
    """Leaky ReLU(Z) = Z where Z > 0, else slope·Z."""
    return np.where(Z > 0, Z, Z * Z.dtype.type(slope))


def leaky_relu_derivative(Z, A, slope=LEAKY_RELU_SLOPE):
    """Leaky ReLU'(Z) = 1 where Z > 0, else slope (at Z = 0: slope, as TensorFlow does)."""
    return np.where(Z > 0, Z.dtype.type(1), Z.dtype.type(slope))


def linear(Z):
    """The identity g(Z) = Z: only for showing why hidden layers need non-linearity (1.3.4.1)."""
    return Z


def linear_derivative(Z, A):
    """g'(Z) = 1."""
    return np.ones_like(Z)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "linear": (linear, linear_derivative),
}
# The hidden activations the scripts offer; "linear" exists for the 1.3.4.1 demonstration only.
HIDDEN_ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid")


DECISION_THRESHOLD = 0.5  # the output unit's A = ŷ is read as P(y = 1 | x): label 1 where ŷ > 0.5


def to_labels(A):
    """Labels (same shape as A) of int64: 1 where A > DECISION_THRESHOLD, else 0."""
    return (A > DECISION_THRESHOLD).astype(np.int64)


def get(name):
    """Return (g, g_derivative) for an activation name; ValueError naming the choices otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError("unknown activation %r; choose one of: %s"
                         % (name, ", ".join(sorted(ACTIVATIONS))))
