"""Week 4 exercises, the deep network step by step and its application: their functions (course 1.4).

    X (n_x, m), Y (n_y, m); parameters {"W1" (n1, n0), "b1" (n1, 1), ..., "WL", "bL"};
    hidden layers ReLU, output σ. Caches as the exercise builds them:
    linear cache (A_prev, W, b), activation cache Z, layer cache ((A_prev, W, b), Z).

Wrappers over ``tf_models.reference.deep`` (whose caches are (A_prev, W, Z, A); converted here).
"""
import numpy as np

from tf_models import activations
from tf_models.exercises._common import (as_float_array, check_2d, check_dims, check_iterations,
                                        check_learning_rate, over_sqrt_n_prev, probabilities_cost,
                                        seeded_parameters, update)
from tf_models.reference import deep as reference

SEED_TWO_LAYER = 1  # step by step: initialize_parameters(n_x, n_h, n_y) calls np.random.seed(1)
SEED_DEEP = 3  # step by step: initialize_parameters_deep calls np.random.seed(3), weights × 0.01
SEED_APPLICATION = 1  # the application's helper: np.random.seed(1), weights / sqrt(n[l−1])
RECORD_EVERY = 100
ACTIVATIONS = ("relu", "sigmoid")


def initialize_parameters(n_x, n_h, n_y):
    """Two layers: W1 = randn(n_h, n_x)·0.01, W2 = randn(n_y, n_h)·0.01, b = 0, after np.random.seed(1)."""
    return seeded_parameters([n_x, n_h, n_y], SEED_TWO_LAYER)


def initialize_parameters_deep(layer_dims):
    """W[l] = randn(n[l], n[l−1])·0.01, b[l] = zeros (n[l], 1), after np.random.seed(3) (step by step).

    Any number of output units, as the exercise allows. Standard normal: the text's
    np.random.rand is uniform on [0, 1) (ERRATA 5). ``L_layer_model`` starts instead from the
    application's draw, seed 1 and randn / sqrt(n[l−1]), with which four layers train.
    """
    return seeded_parameters(layer_dims, SEED_DEEP)


def linear_forward(A, W, b):
    """Z = W A + b (n_l, m). Returns (Z, cache (A, W, b))."""
    A, W, b = (as_float_array(v, k) for v, k in ((A, "A"), (W, "W"), (b, "b")))
    if A.ndim != 2 or W.ndim != 2 or W.shape[1] != A.shape[0]:
        raise ValueError("W (n_l, n_prev) must fit A (n_prev, m); got W %s and A %s" % (W.shape, A.shape))
    return reference.linear_forward(A, W, b), (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b), g = "relu" or "sigmoid". Returns (A, cache ((A_prev, W, b), Z))."""
    _check_activation(activation)
    _, (A_prev, W, b) = linear_forward(A_prev, W, b)
    A, (_, _, Z, _) = reference.layer_forward(A_prev, W, b, activation)
    return A, ((A_prev, W, b), Z)


def L_model_forward(X, parameters):
    """L − 1 layers of ReLU, then σ. Returns (AL (n_y, m), caches: one layer cache per layer)."""
    X = as_float_array(X, "X")
    L = _num_layers(parameters)
    AL, ref_caches = reference.forward_propagation(X, {k: as_float_array(v, k) for k, v in
                                                       parameters.items()}, "relu")
    caches = [((A_prev, W, parameters["b%d" % l]), Z)
              for l, (A_prev, W, Z, _) in zip(range(1, L + 1), ref_caches)]
    return AL, caches


def compute_cost(AL, Y):
    """J = −(1/m) Σ [y log aL + (1 − y) log(1 − aL)], a float; from probabilities, clipped to stay
    finite (see ``_common.probabilities_cost``)."""
    return probabilities_cost(AL, Y)


def linear_backward(dZ, cache):
    """dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ_rows dZ, dA_prev = Wᵀ dZ. Returns (dA_prev, dW, db).

    (ERRATA 4: the text's single-example dW[l] = dZ[l]·a[l−1] lacks the transpose.)
    """
    A_prev, W, _ = cache
    return reference.linear_backward(as_float_array(dZ, "dZ"), (A_prev, W, None, None))


def linear_activation_backward(dA, cache, activation):
    """dZ = dA * g'(Z), then ``linear_backward``. Returns (dA_prev, dW, db)."""
    _check_activation(activation)
    (A_prev, W, b), Z = cache
    A = activations.get(activation)[0](Z)  # the reference's cache also holds A = g(Z)
    return reference.layer_backward(as_float_array(dA, "dA"), (A_prev, W, Z, A), activation)


def L_model_backward(AL, Y, caches):
    """Gradients {"dA0", "dW1", "db1", ..., "dA<L−1>", "dWL", "dbL"}; "dA<l>" is dJ/dA[l]·m.

    Starts, as the exercise does, from dAL = −(Y/AL − (1 − Y)/(1 − AL)) and goes through σ'
    (``linear_activation_backward``): the exercise builds the chain one layer type at a time. The
    project's own ``reference.deep.backward_propagation`` starts from dZ[L] = AL − Y, the same
    number simplified by hand, which stays finite where σ saturated to exactly 0 or 1 (there this
    dAL divides by zero, in the exercise too). Both exist: this one answers the exercise's
    question, the reference trains.
    """
    AL, Y = check_2d(AL, Y)
    L = len(caches)
    grads = {}
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads["dW%d" % l], grads["db%d" % l] = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA%d" % (l - 1)] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    """θ := θ − α dθ for every W[l], b[l]; returns new parameters (the caller's are not changed)."""
    return update(parameters, grads, learning_rate)


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """LINEAR → RELU → LINEAR → SIGMOID from ``initialize_parameters``; returns (parameters, costs)."""
    n_x, n_h, n_y = check_dims(layers_dims)
    return _train(X, Y, initialize_parameters(n_x, n_h, n_y), learning_rate, num_iterations, print_cost)


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """[LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID; returns (parameters, costs).

    Starts from the application's draw (np.random.seed(1), randn / sqrt(n[l−1])), not from
    ``initialize_parameters_deep``'s × 0.01, as the application notebook does.
    """
    parameters = seeded_parameters(layers_dims, SEED_APPLICATION, over_sqrt_n_prev)
    return _train(X, Y, parameters, learning_rate, num_iterations, print_cost)


def _train(X, Y, parameters, learning_rate, num_iterations, print_cost):
    """The exercise's loop: forward, cost (recorded every 100 iterations, before the update), backward, update."""
    X, Y = check_2d(X, Y)
    learning_rate = check_learning_rate(learning_rate)
    costs = []
    for i in range(check_iterations(num_iterations)):
        AL, caches = L_model_forward(X, parameters)
        if i % RECORD_EVERY == 0:
            costs.append(compute_cost(AL, Y))
            if print_cost:
                print("Cost after iteration %i: %f" % (i, costs[-1]))
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def predict(X, y, parameters):
    """The application's predict: labels (1, m) of 0.0/1.0 where AL > 0.5; prints the accuracy on y."""
    p = (L_model_forward(X, parameters)[0] > 0.5).astype(np.float64)
    print("Accuracy: " + str(np.sum(p == as_float_array(y, "y")) / p.shape[1]))
    return p


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError("activation must be 'relu' or 'sigmoid' (the exercise's two); got %r" % (activation,))


def _num_layers(parameters):
    L = len(parameters) // 2
    missing = [k for l in range(1, L + 1) for k in ("W%d" % l, "b%d" % l) if k not in parameters]
    if missing or L < 1:
        raise ValueError("parameters needs W1, b1, ..., WL, bL; missing %s" % (", ".join(missing) or "all"))
    return L
