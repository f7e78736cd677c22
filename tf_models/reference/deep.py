"""The deep L-layer network in NumPy (course 1.4): L − 1 hidden layers with g, a sigmoid output.

Parameters: {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (1, n_{L-1}), "bL": (1, 1)}, from
``layer_dims`` = [n0 = n_x, n1, ..., nL = 1]. X: (n_x, m), Y: (1, m).
Forward steps return a cache, backward steps take it (CS231n's pairing).
Twin: ``tf_models.graphs.deep``.
"""
import numpy as np

from tf_models import activations
from tf_models.activations import sigmoid, to_labels
from tf_models.losses import cross_entropy_cost
from tf_models.reference import gradient_descent
from tf_models.updates import GradientDescent


def num_layers(parameters):
    """L, the number of layers with parameters (hidden layers + output)."""
    return len(parameters) // 2


def linear_forward(A_prev, W, b):
    """Z[l] = W[l] A[l−1] + b[l]:  (n_l, n_{l−1}) · (n_{l−1}, m) + (n_l, 1) → (n_l, m)."""
    Z = np.dot(W, A_prev)
    Z += b  # added in place: one (n_l, m) array fewer than np.dot(W, A_prev) + b
    return Z


def layer_forward(A_prev, W, b, activation):
    """One layer: Z = W A_prev + b, A = g(Z). Returns A and the cache (A_prev, W, Z, A)."""
    Z = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else activations.get(activation)[0](Z)
    return A, (A_prev, W, Z, A)


def forward_propagation(X, parameters, activation="relu"):
    """A[0] = X; for l = 1 … L−1: A[l] = g(W[l] A[l−1] + b[l]); A[L] = σ(W[L] A[L−1] + b[L])  (1.4.2.1).

    Returns AL (1, m) and the list of per-layer caches, layer 1 first.
    """
    L = num_layers(parameters)
    caches = []
    A = X
    for l in range(1, L + 1):
        g = activation if l < L else "sigmoid"
        A, cache = layer_forward(A, parameters["W%d" % l], parameters["b%d" % l], g)
        caches.append(cache)
    return A, caches


def compute_cost(caches, Y):
    """J = −(1/m) Σ [y log aL + (1 − y) log(1 − aL)], evaluated from ZL so it never hits log(0)."""
    ZL = caches[-1][2]
    return cross_entropy_cost(ZL, Y)


def linear_backward(dZ, cache, with_dA_prev=True):
    """From dZ[l] (n_l, m) to dA[l−1], dW[l], db[l]   (1.4.2.2, vectorized):

        dW[l] = (1/m) dZ[l] A[l−1]ᵀ     db[l] = (1/m) Σ_rows dZ[l]     dA[l−1] = W[l]ᵀ dZ[l]

    (ERRATA 4: the text's single-example dW[l] = dZ[l]·a[l−1] lacks the transpose.)
    ``with_dA_prev=False`` returns None for dA[l−1] (see ``backward_propagation``).
    """
    A_prev, W, _, _ = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ) if with_dA_prev else None
    return dA_prev, dW, db


def layer_backward(dA, cache, activation, with_dA_prev=True):
    """dZ[l] = dA[l] * g'(Z[l]), then ``linear_backward``."""
    _, _, Z, A = cache
    dZ = activations.get(activation)[1](Z, A)  # g'(Z[l]), a new array ...
    dZ *= dA  # ... multiplied in place by dA[l]: dZ[l] = dA[l] * g'(Z[l])
    return linear_backward(dZ, cache, with_dA_prev)


def backward_propagation(AL, Y, caches, activation="relu"):
    """All gradients {"dW1", "db1", ..., "dWL", "dbL"}.

    Output layer: dZ[L] = A[L] − Y, the sigmoid and the cross-entropy differentiated together
    (as the course does for logistic regression and 1.3.5). Starting from
    dA[L] = −Y/A[L] + (1 − Y)/(1 − A[L]) instead would divide by zero once σ saturates.

    The course's backward loop also forms dA[0] = W[1]ᵀ dZ[1], the gradient with respect to X,
    and never uses it: no parameter depends on it. It is skipped here (``with_dA_prev``). For
    the course's cat network it is a third product as large as the two that dW[1] and Z[1] need
    (an (n_x, m) result: 12288 × 209), so skipping it saves about a third of a step; every
    gradient returned is unchanged, bit for bit. TensorFlow's autodiff skips it too.
    """
    grads = {}
    L = len(caches)
    dZ = AL - Y
    dA_prev, grads["dW%d" % L], grads["db%d" % L] = linear_backward(dZ, caches[L - 1], L > 1)
    for l in range(L - 1, 0, -1):
        dA_prev, grads["dW%d" % l], grads["db%d" % l] = layer_backward(dA_prev, caches[l - 1],
                                                                       activation, l > 1)
    return grads


def propagate(parameters, X, Y, activation="relu"):
    """One forward and backward pass: returns the grads dict."""
    AL, caches = forward_propagation(X, parameters, activation)
    return backward_propagation(AL, Y, caches, activation)


def cost(parameters, X, Y, activation="relu"):
    """J(W1, b1, ..., WL, bL) on (X, Y)."""
    return compute_cost(forward_propagation(X, parameters, activation)[1], Y)


def model(X, Y, parameters, activation, learning_rate, num_iterations, record_every=100,
          on_record=None):
    """Gradient descent from ``parameters`` (see initializers.initialize_parameters(layer_dims)).

    Returns (trained parameters, costs as [[iteration, J], ...]). The inputs are trusted: the
    checked entry point is ``models.train_numpy``.
    """
    return gradient_descent.run(
        lambda p, X_, Y_: propagate(p, X_, Y_, activation),
        lambda p, X_, Y_: cost(p, X_, Y_, activation),
        X, Y, parameters, GradientDescent(learning_rate), num_iterations, record_every, on_record)


def predict_proba(parameters, X, activation="relu"):
    """AL = ŷ, shape (1, m)."""
    return forward_propagation(X, parameters, activation)[0]


def predict(parameters, X, activation="relu"):
    """Labels (1, m): 1 where AL > 0.5, else 0."""
    return to_labels(predict_proba(parameters, X, activation))
