"""Activation functions (1.3.4): g(z) and g'(z) for sigmoid, tanh, ReLU and leaky ReLU.

The values come from ``tf_models.activations`` (what the NumPy networks use); ``by_tensorflow``
computes the same curves with TensorFlow's ops and derivatives with ``tf.gradients``, so the demo
also shows that the hand-written derivatives are TensorFlow's.
"""
from collections import OrderedDict

import numpy as np

from tf_models import activations
from tf_models.activations import LEAKY_RELU_SLOPE
from tf_models.demos import common

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu")


def curves(z=None):
    """{name: (g(z), g'(z))} for each of NAMES on z (default 401 points in [−5, 5])."""
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=np.float64)
    out = OrderedDict()
    for name in NAMES:
        g, g_prime = activations.get(name)
        A = g(z)
        out[name] = (A, g_prime(z, A))
    return out


def by_tensorflow(z):
    """The same {name: (g(z), g'(z))} from TensorFlow: the op, and tf.gradients of Σ g(z)
    (each g acts elementwise, so the gradient of the sum is g'(z) at every point)."""
    from tf_models.graphs import layers
    from tf_models.graphs.tfcompat import tf
    graph = tf.Graph()
    with graph.as_default():
        Z = tf.constant(np.asarray(z, dtype=np.float64), name="Z")
        nodes = OrderedDict()
        for name in NAMES:
            A = layers.activation(name, Z, "A_" + name)
            nodes[name] = (A, tf.gradients(tf.reduce_sum(A), Z)[0])
    with tf.Session(graph=graph) as sess:
        values = sess.run(nodes)
    return OrderedDict((k, values[k]) for k in NAMES)


TITLES = {"sigmoid": "sigmoid σ(z) = 1/(1 + e^(−z))", "tanh": "tanh(z)",
          "relu": "ReLU max(0, z)", "leaky_relu": "leaky ReLU (slope %g for z < 0)" % LEAKY_RELU_SLOPE}


def plot_activations(z=None, path=None):
    """A 1 × 4 grid: each activation g(z) (solid) and its derivative g'(z) (dashed)."""
    from tf_models import plots
    z = np.linspace(-5, 5, 401) if z is None else z
    fig, axes = plots.plt.subplots(1, 4, figsize=(14, 3.4), sharex=True)
    for ax, (name, (A, dA)) in zip(axes, curves(z).items()):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(z, A, lw=2, label="g(z)")
        ax.plot(z, dA, "--", lw=2, label="g'(z)")
        ax.set_title(TITLES[name], fontsize=10)
        ax.set_xlabel("z")
        ax.set_ylim(-1.2, 1.6 if name in ("sigmoid", "tanh") else 5.2)
        ax.legend(loc="upper left", fontsize=8)
    return common.finish(fig, path)
