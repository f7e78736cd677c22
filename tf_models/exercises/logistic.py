"""Week 2 exercise, logistic regression as a neural network: the exercise's functions (course 1.2).

    w (n_x, 1), b a Python float, X (n_x, m), Y (1, m) of 0/1 (ints are fine).

Wrappers over ``tf_models.reference.logistic``; the exercise's cost is computed there from Z, so it
is finite even where σ saturates (the exercise's log(A) would give inf or nan).
"""
import numpy as np

from tf_models import activations, initializers
from tf_models.exercises._common import (as_float_array, check_2d, check_iterations,
                                        check_learning_rate, scalar)
from tf_models.reference import gradient_descent
from tf_models.reference import logistic as reference

RECORD_EVERY = 100  # the exercise records (and prints) the cost every 100 iterations


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise; z a number, a list or an array of any shape."""
    return activations.sigmoid(as_float_array(z, "z"))


def initialize_with_zeros(dim):
    """w = zeros (dim, 1) and b = 0.0 (a Python float, as the exercise's tests require)."""
    if isinstance(dim, bool) or not float(dim).is_integer() or dim < 1:
        raise ValueError("dim must be a positive whole number (n_x); got %r" % (dim,))
    return initializers.initialize_logistic(int(dim))["w"], 0.0


def _inputs(w, b, X, Y):
    X, Y = check_2d(X, Y)
    w = as_float_array(w, "w")
    if w.shape != (X.shape[0], 1) or Y.shape[0] != 1 or np.ndim(b) != 0:
        raise ValueError("w must be (n_x, 1), b a number and Y (1, m) for X (n_x, m) = %s; got w %s, "
                         "b of shape %s, Y %s" % (X.shape, w.shape, np.shape(b), Y.shape))
    return {"w": w, "b": np.float64(b)}, X, Y


def propagate(w, b, X, Y):
    """A = σ(wᵀX + b);  cost J = −(1/m) Σ [y log a + (1 − y) log(1 − a)];
    dw = (1/m) X (A − Y)ᵀ (n_x, 1);  db = (1/m) Σ (A − Y).   Returns ({"dw", "db"}, cost)."""
    parameters, X, Y = _inputs(w, b, X, Y)
    _, cache = reference.forward_propagation(X, parameters)
    grads = reference.backward_propagation(cache, X, Y)
    return grads, scalar(reference.compute_cost(cache, Y))


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Gradient descent w := w − α dw, b := b − α db, ``num_iterations`` times.

    Returns (params {"w", "b"}, grads, costs): grads of the last iteration (taken before its
    update), costs one every 100 iterations, each taken before that iteration's update, as the
    exercise records them. The caller's w is not changed. The steps are the reference's
    ``propagate`` and ``gradient_descent.update_parameters``; only the exercise's bookkeeping is here.
    """
    parameters, X, Y = _inputs(w, b, X, Y)
    parameters["w"] = parameters["w"].copy()
    num_iterations = check_iterations(num_iterations)
    learning_rate = check_learning_rate(learning_rate)
    costs, grads = [], {"dw": np.zeros_like(parameters["w"]), "db": np.float64(0.0)}
    for i in range(num_iterations):
        grads = reference.propagate(parameters, X, Y)
        if i % RECORD_EVERY == 0:
            J = scalar(reference.cost(parameters, X, Y))
            costs.append(J)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, J))
        gradient_descent.update_parameters(parameters, grads, learning_rate)
    return {"w": parameters["w"], "b": float(parameters["b"])}, grads, costs


def predict(w, b, X):
    """Y_prediction (1, m) of 0.0/1.0 floats: 1 where σ(wᵀX + b) > 0.5, as the exercise returns it."""
    X = as_float_array(X, "X")
    w = as_float_array(w, "w").reshape(X.shape[0], -1)
    return reference.predict({"w": w, "b": np.float64(b)}, X).astype(np.float64)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """Initialize with zeros, ``optimize``, predict both sets. Returns the exercise's dict:
    costs, Y_prediction_test, Y_prediction_train, w, b, learning_rate, num_iterations."""
    w, b = initialize_with_zeros(as_float_array(X_train, "X_train").shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    Y_prediction_train = predict(params["w"], params["b"], X_train)
    Y_prediction_test = predict(params["w"], params["b"], X_test)
    if print_cost:
        for name, Y_hat, Y in (("train", Y_prediction_train, Y_train), ("test", Y_prediction_test, Y_test)):
            print("%s accuracy: %s %%" % (name, 100 - np.mean(np.abs(Y_hat - Y)) * 100))
    return {"costs": costs, "Y_prediction_test": Y_prediction_test,
            "Y_prediction_train": Y_prediction_train, "w": params["w"], "b": params["b"],
            "learning_rate": learning_rate, "num_iterations": num_iterations}
