"""The shallow network n_x → n_h → 1 in NumPy (course 1.3), hidden g = tanh by default.

Parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (1, n_h), "b2": (1, 1)}.
X: (n_x, m), Y: (1, m). Twin: ``tf_models.graphs.shallow``.
"""
import numpy as np

from tf_models import activations
from tf_models.activations import sigmoid, to_labels
from tf_models.losses import cross_entropy_cost
from tf_models.reference import gradient_descent
from tf_models.updates import GradientDescent


def forward_propagation(X, parameters, activation="tanh"):
    """Z1 = W1 X + b1 (n_h, m);  A1 = g(Z1);  Z2 = W2 A1 + b2 (1, m);  A2 = σ(Z2)   (1.3.5).

    Returns A2 and the cache {"Z1", "A1", "Z2", "A2"} that the backward pass needs.
    """
    g, _ = activations.get(activation)
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    Z1 = np.dot(W1, X)
    Z1 += b1  # Z1 = W1 X + b1, added in place: one (n_h, m) array fewer (docs/performance.md)
    A1 = g(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(cache, Y):
    """J = −(1/m) Σ [y log a2 + (1 − y) log(1 − a2)], evaluated from Z2 so it never hits log(0)."""
    return cross_entropy_cost(cache["Z2"], Y)


def backward_propagation(parameters, cache, X, Y, activation="tanh"):
    """Gradients {"dW1", "db1", "dW2", "db2"}, each the shape of its parameter   (1.3.5):

        dZ2 = A2 − Y                     dW2 = (1/m) dZ2 A1ᵀ     db2 = (1/m) Σ_rows dZ2
        dZ1 = W2ᵀ dZ2 * g'(Z1)           dW1 = (1/m) dZ1 Xᵀ      db1 = (1/m) Σ_rows dZ1

    For tanh, g'(Z1) = 1 − A1² (ERRATA 3: the text's (1 − A1)² fails a gradient check).
    """
    _, g_prime = activations.get(activation)
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(parameters["W2"].T, dZ2)
    dZ1 *= g_prime(cache["Z1"], A1)  # dZ1 = W2ᵀ dZ2 * g'(Z1), multiplied in place
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def propagate(parameters, X, Y, activation="tanh"):
    """One forward and backward pass: returns the grads dict."""
    _, cache = forward_propagation(X, parameters, activation)
    return backward_propagation(parameters, cache, X, Y, activation)


def cost(parameters, X, Y, activation="tanh"):
    """J(W1, b1, W2, b2) on (X, Y)."""
    return compute_cost(forward_propagation(X, parameters, activation)[1], Y)


def model(X, Y, parameters, activation, learning_rate, num_iterations, record_every=100,
          on_record=None):
    """Gradient descent from ``parameters`` (see initializers.initialize_parameters([n_x, n_h, 1])).

    Returns (trained parameters, costs as [[iteration, J], ...]). The inputs are trusted: the
    checked entry point is ``models.train_numpy``.
    """
    return gradient_descent.run(
        lambda p, X_, Y_: propagate(p, X_, Y_, activation),
        lambda p, X_, Y_: cost(p, X_, Y_, activation),
        X, Y, parameters, GradientDescent(learning_rate), num_iterations, record_every, on_record)


def predict_proba(parameters, X, activation="tanh"):
    """A2 = ŷ, shape (1, m)."""
    return forward_propagation(X, parameters, activation)[0]


def predict(parameters, X, activation="tanh"):
    """Labels (1, m): 1 where A2 > 0.5, else 0."""
    return to_labels(predict_proba(parameters, X, activation))
