"""The deep L-layer network as a TF1 graph (course 1.4), built from the parameters in a loop.

Parameters: {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (1, n_{L-1}), "bL": (1, 1)} as tf.Variables,
one scope ``layer_<l>`` per layer. Twin: ``tf_models.reference.deep``.
``graphs.model_graph.build`` assembles the whole graph from these functions.
"""
from tf_models.graphs import layers


def num_layers(parameters):
    """L, the number of layers with parameters."""
    return len(parameters) // 2


def forward_propagation(X, parameters, reenter=False, activation="relu"):
    """A[0] = X; A[l] = g(W[l] A[l−1] + b[l]) for l < L; A[L] = σ(W[L] A[L−1] + b[L]).

    Returns AL and the cache {"Z1", "A1", ..., "ZL", "AL"}.
    """
    L = num_layers(parameters)
    cache = {}
    A = X
    for l in range(1, L + 1):
        g = activation if l < L else "sigmoid"
        Z, A = layers.dense(A, parameters["W%d" % l], parameters["b%d" % l], l, g, reenter)
        cache["Z%d" % l], cache["A%d" % l] = Z, A
    return A, cache


def output_logits(cache):
    """ZL, the output unit's logits (1, m)."""
    return cache["Z%d" % (len(cache) // 2)]  # L = the number of (Z, A) pairs


def compute_cost(cache, Y):
    """J = −(1/m) Σ [y log aL + (1 − y) log(1 − aL)], from ZL (no log(0))."""
    return layers.cross_entropy_cost(output_logits(cache), Y)
