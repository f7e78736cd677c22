"""Logistic regression as a TF1 graph (course 1.2): ŷ = σ(wᵀX + b).

Parameters: {"w": tf.Variable (n_x, 1), "b": tf.Variable ()}. X: (n_x, None), Y: (1, None).
Twin: ``tf_models.reference.logistic``.
"""
from tf_models.graphs import layers, model_graph
from tf_models.tfcompat import tf


def forward_propagation(X, parameters, reenter=False):
    """Z = wᵀX + b (1, m);  A = σ(Z). Returns A and the cache {"Z", "A"}."""
    w, b = parameters["w"], parameters["b"]
    with layers.layer_scope(1, reenter):
        Z = tf.add(tf.matmul(w, X, transpose_a=True), b, name="Z")
        A = tf.sigmoid(Z, name="A")
    return A, {"Z": Z, "A": A}


def compute_cost(cache, Y):
    """J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], from Z (no log(0))."""
    return layers.cross_entropy_cost(cache["Z"], Y)


def build_graph(initial_parameters, learning_rate=0.005, dtype="float64", m=None):
    """The whole graph (a ``ModelGraph``), variables initialized from ``initial_parameters``;
    ``m`` the number of training examples if known (faster training loop, see model_graph)."""
    return model_graph.build("logistic", initial_parameters, forward_propagation, learning_rate,
                             dtype, m=m)
