"""What the three exercise namespaces share: input checks and the exercises' seeded draws."""
import numbers

import numpy as np

from tf_models import losses


def as_float_array(value, what):
    """``value`` as a float64 array (the exercises pass lists, ints, Python floats); ValueError if not numeric."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("%s must be numbers (an array, a list or a float); got %r" % (what, value))
    return array


def check_2d(X, Y):
    """X (n_x, m) and Y (1, m) as float64 arrays with the same m; ValueError naming the shapes otherwise."""
    X = as_float_array(X, "X")
    Y = as_float_array(Y, "Y")
    if X.ndim != 2 or Y.ndim != 2 or Y.shape[1] != X.shape[1]:
        raise ValueError("X must be (n_x, m) and Y (n_y, m) with the same m (one example per column); "
                         "got X %s and Y %s" % (X.shape, Y.shape))
    return X, Y


def check_dims(layer_dims):
    """[n0, n1, ..., nL] as ints, each a positive whole number, at least two of them."""
    dims = list(layer_dims)
    if len(dims) < 2 or any(isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1
                            for n in dims):
        raise ValueError("layer sizes must be at least two positive whole numbers, e.g. [2, 4, 1]; "
                         "got %r" % (dims,))
    return [int(n) for n in dims]


def times_001(W, n_prev):
    """The exercises' small weights: randn(...) * 0.01."""
    return W * 0.01


def over_sqrt_n_prev(W, n_prev):
    """The deep application's weights: randn(...) / np.sqrt(n[l−1])."""
    return W / np.sqrt(n_prev)


def seeded_parameters(layer_dims, seed, scale=times_001):
    """The exercises' draw: np.random.seed(seed), then for l = 1 … L

        W[l] = scale(np.random.randn(n[l], n[l−1]), n[l−1]),   b[l] = np.zeros((n[l], 1)).

    The same numbers as the exercise (RandomState(seed) is the sequence np.random.seed(seed) starts),
    without touching NumPy's global generator. Unlike ``initializers.initialize_parameters`` the
    output layer may have any number of units, as the exercises allow.
    """
    dims = check_dims(layer_dims)
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters["W%d" % l] = scale(rng.randn(dims[l], dims[l - 1]), dims[l - 1])
        parameters["b%d" % l] = np.zeros((dims[l], 1))
    return parameters


def update(parameters, grads, learning_rate):
    """θ := θ − α dθ for every parameter, on a copy (the exercises return new parameters)."""
    from tf_models.reference import gradient_descent
    alpha = check_learning_rate(learning_rate)
    missing = sorted(k for k in parameters if "d" + k not in grads)
    if missing:
        raise ValueError("grads lacks %s (it needs 'd' + the name of every parameter)"
                         % ", ".join("d" + k for k in missing))
    copy = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
    return gradient_descent.update_parameters(copy, grads, alpha)


def check_learning_rate(learning_rate):
    """α as a float; ValueError unless it is a finite number > 0."""
    try:
        alpha = float(learning_rate)
    except (TypeError, ValueError):
        alpha = float("nan")
    if not np.isfinite(alpha) or alpha <= 0:
        raise ValueError("learning_rate must be a positive number; got %r" % (learning_rate,))
    return alpha


def check_iterations(num_iterations):
    """The number of iterations as an int; ValueError unless it is a whole number >= 0."""
    if isinstance(num_iterations, bool) or not isinstance(num_iterations, numbers.Real) \
            or not float(num_iterations).is_integer() or num_iterations < 0:
        raise ValueError("num_iterations must be a whole number >= 0; got %r" % (num_iterations,))
    return int(num_iterations)


def probabilities_cost(A, Y):
    """J = −(1/m) Σ [y log a + (1 − y) log(1 − a)] from probabilities A (n_y, m), a float.

    The exercises pass probabilities, not the logits the references use. A is clipped to the
    nearest floats inside (0, 1): for every A strictly inside it the result is the exercise's
    formula exactly, and where σ rounded to exactly 0 or 1 it stays finite instead of inf/nan.
    """
    A, Y = check_2d(A, Y)
    A = np.clip(A, np.finfo(A.dtype).tiny, 1 - np.finfo(A.dtype).epsneg)
    return scalar(np.sum(losses.logistic_loss(A, Y)) / A.shape[1])


def scalar(value):
    """A cost as the exercises' tests accept it: a NumPy float64 (a Python float subclass, shape ())."""
    return np.float64(value)
