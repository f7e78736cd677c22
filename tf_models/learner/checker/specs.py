"""What the checker calls: for each exercise function, seeded inputs and how to read its outputs.

Spec fields:
    name, exercise   the function's name and its namespace in ``tf_models.exercises``
    kind             "plain"; "init" (random draws: compared exactly only where the learner's draw
                     equals the exercise's, else by statistics); "train" (whole training runs:
                     looser tolerance); "backward" (also gradient-checked, see gradients.py)
    calls            calls(rng, square) -> list of argument tuples. ``square`` makes every size
                     equal (n_x = n_h = m), so that a product missing a transpose still runs and
                     its numbers can be recognised.
    labels           names of the outputs (a tuple for a tuple result); "" skips one (caches)
    seed             the global NumPy seed set before each call (the exercise's own seed)
"""
from collections import namedtuple

import numpy as np

from tf_models.learner.checker import course_helpers
from tf_models.exercises import deep, logistic, shallow

Spec = namedtuple("Spec", "name exercise kind calls labels seed")
EXERCISES = {"logistic": logistic, "shallow": shallow, "deep": deep}


def reference_function(spec):
    """The project's version of the function a Spec describes."""
    module = EXERCISES[spec.exercise]
    return getattr(module, spec.name, None) or course_helpers.PROVIDED[spec.name]



def _data(rng, n_x, m):
    """X (n_x, m) standard normal and integer labels Y (1, m) of a noisy linear rule (both classes)."""
    X = rng.randn(n_x, m)
    Y = ((X[0] - 0.5 * X[-1] + 0.3 * rng.randn(m)) > 0).astype(np.int64).reshape(1, m)
    Y[0, :2] = (0, 1)
    return X, Y


def _small(rng, *shape):
    return rng.randn(*shape) * 0.5


# -- logistic regression (Week 2) ----------------------------------------------------------------
def _logistic_wbXY(rng, square):
    n_x, m = (5, 5) if square else (4, 7)
    X, Y = _data(rng, n_x, m)
    return _small(rng, n_x, 1), float(rng.randn() * 0.3), X, Y


LOGISTIC = [
    Spec("sigmoid", "logistic", "plain", lambda rng, sq: [(rng.randn(3, 4) * 3,), (0.5,)], "s", None),
    Spec("initialize_with_zeros", "logistic", "plain", lambda rng, sq: [(5,)], ("w", "b"), None),
    Spec("propagate", "logistic", "backward", lambda rng, sq: [_logistic_wbXY(rng, sq)],
         ("grads", "cost"), None),
    Spec("optimize", "logistic", "train",
         lambda rng, sq: [_logistic_wbXY(rng, sq) + (201, 0.1)], ("params", "grads", "costs"), None),
    Spec("predict", "logistic", "plain", lambda rng, sq: [_logistic_wbXY(rng, sq)[:3]],
         "Y_prediction", None),
    Spec("model", "logistic", "train",
         lambda rng, sq: [_data(rng, 4, 30) + _data(rng, 4, 10) + (201, 0.1)], "d", None),
]


# -- the shallow network (Week 3) ----------------------------------------------------------------
def _shallow_params(rng, n_x, n_h):
    return {"W1": _small(rng, n_h, n_x), "b1": _small(rng, n_h, 1),
            "W2": _small(rng, 1, n_h), "b2": _small(rng, 1, 1)}


def _shallow_inputs(rng, square):
    """(parameters, cache, X, Y): X (3, 7) with n_h = 4, or all sizes 5 when square."""
    n_x, n_h, m = (5, 5, 5) if square else (3, 4, 7)
    X, Y = _data(rng, n_x, m)
    parameters = _shallow_params(rng, n_x, n_h)
    return parameters, shallow.forward_propagation(X, parameters)[1], X, Y


def _shallow_grads(rng, sq):
    parameters, cache, X, Y = _shallow_inputs(rng, sq)
    return parameters, shallow.backward_propagation(parameters, cache, X, Y)


SHALLOW = [
    Spec("layer_sizes", "shallow", "plain", lambda rng, sq: [_data(rng, 5, 7)], ("n_x", "n_h", "n_y"), None),
    Spec("initialize_parameters", "shallow", "init", lambda rng, sq: [(20, 30, 1)], "parameters", 2),
    Spec("forward_propagation", "shallow", "plain",
         lambda rng, sq: [(lambda p, c, X, Y: (X, p))(*_shallow_inputs(rng, sq))], ("A2", "cache"), None),
    Spec("compute_cost", "shallow", "plain",
         lambda rng, sq: [(lambda p, c, X, Y: (c["A2"], Y))(*_shallow_inputs(rng, sq))], "cost", None),
    Spec("backward_propagation", "shallow", "backward", lambda rng, sq: [_shallow_inputs(rng, sq)],
         "grads", None),
    Spec("update_parameters", "shallow", "plain", lambda rng, sq: [_shallow_grads(rng, sq) + (1.2,)],
         "parameters", None),
    Spec("nn_model", "shallow", "train", lambda rng, sq: [_data(rng, 2, 40) + (4, 300)], "parameters", 2),
    Spec("predict", "shallow", "plain",
         lambda rng, sq: [(lambda p, c, X, Y: (p, X))(*_shallow_inputs(rng, sq))], "predictions", None),
]


# -- the deep network (Week 4) -------------------------------------------------------------------
def _deep_inputs(rng, square):
    """(X, Y, parameters) for layer_dims [4, 5, 3, 1] and m = 7, or [6, 6, 6, 1] and m = 6."""
    dims, m = ([6, 6, 6, 1], 6) if square else ([4, 5, 3, 1], 7)
    X, Y = _data(rng, dims[0], m)
    parameters = {}
    for l in range(1, len(dims)):
        parameters["W%d" % l] = _small(rng, dims[l], dims[l - 1])
        parameters["b%d" % l] = _small(rng, dims[l], 1)
    return X, Y, parameters


def _layer(rng, square, activation=None):
    """A_prev (4, 7), W (5, 4), b (5, 1) (all 6 when square), and the exercise's layer cache."""
    n_prev, n, m = (6, 6, 6) if square else (4, 5, 7)
    A_prev, W, b = rng.randn(n_prev, m), _small(rng, n, n_prev), _small(rng, n, 1)
    if activation is None:
        return A_prev, W, b
    return deep.linear_activation_forward(A_prev, W, b, activation)[1], rng.randn(n, m)


def _deep_forward(rng, sq):
    X, Y, parameters = _deep_inputs(rng, sq)
    AL, caches = deep.L_model_forward(X, parameters)
    return AL, Y, caches, parameters


def _deep_update(rng, sq):
    AL, Y, caches, parameters = _deep_forward(rng, sq)
    return parameters, deep.L_model_backward(AL, Y, caches), 0.1


def _activation_backward(rng, sq):
    return [(dA, cache, g) for g in ("relu", "sigmoid") for cache, dA in [_layer(rng, sq, g)]]


def _linear_backward(rng, sq):
    (A_prev, W, b), _ = _layer(rng, sq, "relu")[0]
    return [(rng.randn(W.shape[0], A_prev.shape[1]), (A_prev, W, b))]


def _helper_backward(rng, sq):
    return [(rng.randn(5, 7), rng.randn(5, 7))]


DEEP = [
    Spec("initialize_parameters", "deep", "init", lambda rng, sq: [(20, 30, 1)], "parameters", 1),
    Spec("initialize_parameters_deep", "deep", "init", lambda rng, sq: [([20, 30, 10, 1],)],
         "parameters", 3),
    Spec("linear_forward", "deep", "plain", lambda rng, sq: [_layer(rng, sq)], ("Z", ""), None),
    Spec("linear_activation_forward", "deep", "plain",
         lambda rng, sq: [_layer(rng, sq) + (g,) for g in ("relu", "sigmoid")], ("A", ""), None),
    Spec("L_model_forward", "deep", "plain", lambda rng, sq: [(lambda X, Y, p: (X, p))(*_deep_inputs(rng, sq))],
         ("AL", ""), None),
    Spec("compute_cost", "deep", "plain", lambda rng, sq: [_deep_forward(rng, sq)[:2]], "cost", None),
    Spec("relu_backward", "deep", "plain", _helper_backward, "dZ", None),
    Spec("sigmoid_backward", "deep", "plain", _helper_backward, "dZ", None),
    Spec("linear_backward", "deep", "backward", _linear_backward, ("dA_prev", "dW", "db"), None),
    Spec("linear_activation_backward", "deep", "backward", _activation_backward,
         ("dA_prev", "dW", "db"), None),
    Spec("L_model_backward", "deep", "backward", lambda rng, sq: [_deep_forward(rng, sq)[:3]], "grads", None),
    Spec("update_parameters", "deep", "plain", lambda rng, sq: [_deep_update(rng, sq)], "parameters", None),
    Spec("two_layer_model", "deep", "train",
         lambda rng, sq: [_data(rng, 4, 30) + ((4, 5, 1), 0.1, 300)], ("parameters", "costs"), 1),
    Spec("L_layer_model", "deep", "train",
         lambda rng, sq: [_data(rng, 4, 30) + ([4, 5, 3, 1], 0.1, 300)], ("parameters", "costs"), 1),
]

SPECS = {"logistic": LOGISTIC, "shallow": SHALLOW, "deep": DEEP}
# Names that only one exercise defines: they tell which exercise a learner's file is.
SHARED = {"predict", "compute_cost", "initialize_parameters", "update_parameters", "sigmoid"}


def exercises_of(function_names):
    """The exercises a file is for: those with a name of their own in it (ties: all of them)."""
    names = set(function_names)
    counts = {ex: len(names & ({s.name for s in specs} - SHARED)) for ex, specs in SPECS.items()}
    found = [ex for ex in ("logistic", "shallow", "deep") if counts[ex]]
    if found:
        return found
    return [ex for ex in ("logistic", "shallow", "deep") if names & {s.name for s in SPECS[ex]}][:1]
