"""Week 3 exercise, planar data classification with one hidden layer: its functions (course 1.3).

    X (n_x, m), Y (1, m); parameters {"W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_y, n_h), "b2" (n_y, 1)};
    hidden units tanh, output σ.

Wrappers over ``tf_models.reference.shallow``. Its backward pass uses tanh' = 1 − A1², where the
course text prints (1 − A1)² (ERRATA 3).
"""

from tf_models.exercises._common import (as_float_array, check_2d, check_iterations,
                                        probabilities_cost, seeded_parameters, update)
from tf_models.reference import shallow as reference

N_H = 4  # the exercise's hidden layer size in layer_sizes
SEED = 2  # the original exercise's initialize_parameters calls np.random.seed(2) itself
LEARNING_RATE = 1.2  # update_parameters' default in the exercise
PRINT_EVERY = 1000


def layer_sizes(X, Y):
    """(n_x, n_h, n_y) = (X.shape[0], 4, Y.shape[0])."""
    X, Y = check_2d(X, Y)
    return X.shape[0], N_H, Y.shape[0]


def initialize_parameters(n_x, n_h, n_y):
    """W1 = randn(n_h, n_x)·0.01, b1 = 0, W2 = randn(n_y, n_h)·0.01, b2 = 0, after np.random.seed(2).

    The seed is the original exercise's (later versions seed in the test instead, with the same
    draws). Draws from the standard normal: the text's np.random.rand is uniform (ERRATA 5).
    """
    return seeded_parameters([n_x, n_h, n_y], SEED)


def forward_propagation(X, parameters):
    """Z1 = W1 X + b1, A1 = tanh(Z1), Z2 = W2 A1 + b2, A2 = σ(Z2). Returns (A2, cache {"Z1", "A1", "Z2", "A2"})."""
    X = as_float_array(X, "X")
    return reference.forward_propagation(X, _floats(parameters), "tanh")


def compute_cost(A2, Y, parameters=None):
    """J = −(1/m) Σ [y log a2 + (1 − y) log(1 − a2)], a float (``parameters``: accepted, unused, as in
    the exercise's first version).

    A2 and Y: (n_y, m) of the same shape, or a flat (m,), read as the row (1, m): one of the
    exercise's published tests passes A2 of shape (m,) with Y (1, m), and the exercise's formula
    broadcasts it to the same number. Any other pair is refused (a column (m, 1) against a row
    would broadcast to an (m, m) table of losses). Computed from probabilities, clipped to stay
    finite: see ``_common.probabilities_cost``. A Python float, as the exercise's 2021 test
    requires (``type(cost) == float``).
    """
    return float(probabilities_cost(*_as_rows(A2, Y)))


def backward_propagation(parameters, cache, X, Y):
    """dZ2 = A2 − Y, dW2 = (1/m) dZ2 A1ᵀ, db2 = (1/m) Σ dZ2, dZ1 = W2ᵀ dZ2 * (1 − A1²),
    dW1 = (1/m) dZ1 Xᵀ, db1 = (1/m) Σ dZ1. Returns {"dW1", "db1", "dW2", "db2"}."""
    X, Y = check_2d(X, Y)
    cache = {k: as_float_array(cache[k], "cache[%r]" % k) for k in ("Z1", "A1", "Z2", "A2")}
    return reference.backward_propagation(_floats(parameters), cache, X, Y, "tanh")


def update_parameters(parameters, grads, learning_rate=LEARNING_RATE):
    """θ := θ − α dθ for W1, b1, W2, b2; returns new parameters (the caller's are not changed)."""
    return update(parameters, grads, learning_rate)


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    """Train the n_x → n_h → n_y network with α = 1.2 from ``initialize_parameters``; returns the parameters.

    Prints the cost every 1000 iterations (before that iteration's update) when print_cost is true.
    """
    n_x, _, n_y = layer_sizes(X, Y)
    X, Y = check_2d(X, Y)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(check_iterations(num_iterations)):
        A2, cache = forward_propagation(X, parameters)
        if print_cost and i % PRINT_EVERY == 0:
            print("Cost after iteration %i: %f" % (i, compute_cost(A2, Y)))
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, LEARNING_RATE)
    return parameters


def predict(parameters, X):
    """Predictions (1, m), True where A2 > 0.5 (the exercise's ``A2 > 0.5``, a boolean array)."""
    return forward_propagation(X, parameters)[0] > 0.5


def _as_rows(A2, Y):
    """A2 and Y as 2-D arrays of one shape (n_y, m), m ≥ 1, a flat (m,) taken as (1, m); ValueError otherwise."""
    A2, Y = as_float_array(A2, "A2"), as_float_array(Y, "Y")
    rows = [a.reshape(1, -1) if a.ndim == 1 else a for a in (A2, Y)]
    if rows[0].ndim != 2 or rows[0].shape != rows[1].shape or rows[0].shape[1] < 1:
        raise ValueError("A2 and Y must have one shape (n_y, m), as (1, m), or be flat (m,); got A2 %s and Y %s"
                         % (A2.shape, Y.shape))
    return rows


def _floats(parameters):
    missing = [k for k in ("W1", "b1", "W2", "b2") if k not in parameters]
    if missing:
        raise ValueError("parameters needs W1, b1, W2, b2; missing %s" % ", ".join(missing))
    return {k: as_float_array(parameters[k], k) for k in ("W1", "b1", "W2", "b2")}
