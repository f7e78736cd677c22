"""Logistic regression in NumPy (course 1.2): ŷ = σ(wᵀx + b), trained by gradient descent.

Parameters: {"w": (n_x, 1), "b": scalar}. X: (n_x, m), Y: (1, m).
Twin: ``tf_models.graphs.logistic``.
"""
import math

import numpy as np

from tf_models.activations import sigmoid, to_labels
from tf_models.losses import cross_entropy_cost
from tf_models.reference import gradient_descent
from tf_models.updates import GradientDescent


def forward_propagation(X, parameters):
    """Z = wᵀX + b (1, m);  A = σ(Z) (1, m). Returns A and the cache {"Z", "A"}."""
    w, b = parameters["w"], parameters["b"]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    return A, {"Z": Z, "A": A}


def compute_cost(cache, Y):
    """J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], evaluated from Z so it never hits log(0)."""
    return cross_entropy_cost(cache["Z"], Y)


def backward_propagation(cache, X, Y):
    """dZ = A − Y;  dw = (1/m) X dZᵀ (n_x, 1);  db = (1/m) Σ dZ (scalar)   (1.2.4.2)."""
    m = X.shape[1]
    dZ = cache["A"] - Y
    dw = np.dot(X, dZ.T) / m
    db = dZ.dtype.type(np.sum(dZ) / m)  # a scalar of the data's dtype (NumPy 1.14 would upcast)
    return {"dw": dw, "db": db}


def propagate(parameters, X, Y):
    """One forward and backward pass: returns grads {"dw", "db"}."""
    _, cache = forward_propagation(X, parameters)
    return backward_propagation(cache, X, Y)


def cost(parameters, X, Y):
    """J(w, b) on (X, Y)."""
    return compute_cost(forward_propagation(X, parameters)[1], Y)


def propagate_loop(parameters, X, Y):
    """The non-vectorized pseudo-code of 1.2.4: one example at a time. Returns (grads, J).

    Same results as the vectorized version, m·n_x Python steps slower: it is here to be compared
    (tests and the vectorization demo), not used. Like the vectorized code it takes the loss from z
    so that log(0) cannot occur.
    """
    w, b = parameters["w"], parameters["b"]
    n_x, m = X.shape
    J, dw, db = 0.0, np.zeros(n_x), 0.0
    for i in range(m):
        z_i = b
        for j in range(n_x):
            z_i += w[j, 0] * X[j, i]
        a_i = 1 / (1 + math.exp(-z_i)) if z_i >= 0 else math.exp(z_i) / (1 + math.exp(z_i))
        y_i = Y[0, i]
        J += max(z_i, 0) - z_i * y_i + math.log1p(math.exp(-abs(z_i)))
        dz_i = a_i - y_i
        for j in range(n_x):
            dw[j] += X[j, i] * dz_i
        db += dz_i
    J /= m
    dw /= m
    db /= m
    return {"dw": dw.reshape(n_x, 1), "db": db}, J


def model(X, Y, parameters, learning_rate, num_iterations, record_every=100, on_record=None):
    """Gradient descent from ``parameters`` (see initializers.initialize_logistic).

    Returns (trained parameters, costs as [[iteration, J], ...]). The inputs are trusted: the
    checked entry point is ``models.train_numpy``.
    """
    return gradient_descent.run(propagate, cost, X, Y, parameters, GradientDescent(learning_rate),
                                num_iterations, record_every, on_record)


def predict_proba(parameters, X):
    """ŷ = σ(wᵀX + b), shape (1, m)."""
    return forward_propagation(X, parameters)[0]


def predict(parameters, X):
    """Labels (1, m): 1 where ŷ > 0.5, else 0."""
    return to_labels(predict_proba(parameters, X))
