"""The three ways the TF trainer runs its steps (graphs.session): "feed" (the textbook loop),
"step" (data held in the graph) and "loop" (K steps per Session.run in a tf.while_loop).

They must be the same computation, not merely close: the fast path is only worth having if it
trains exactly what the textbook loop trains. Then the fast path is checked against the NumPy
reference after many steps, where small differences in the arithmetic would have grown.
"""
import numpy as np
import pytest

from conftest import assert_close_dicts, assert_same_training
from tf_models import datasets, models
from tf_models.graphs import session
from tf_models.graphs.tfcompat import tf

CASES = [("logistic", None, [2, 1], 0.5), ("shallow", "tanh", [2, 4, 1], 1.2),
         ("deep", "relu", [2, 5, 3, 1], 0.1)]


def flower(dtype):
    ds = datasets.load_dataset("flower", seed=1).astype(dtype)
    return ds.X_train, ds.Y_train


def start(model, dims, dtype):
    return models.initial_parameters(model, dims, "he" if model == "deep" else "randn", 3, dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("model,activation,dims,learning_rate", CASES)
def test_loop_step_and_feed_modes_are_identical(model, activation, dims, learning_rate, dtype):
    """loop == step == feed bit for bit: parameters and every recorded cost."""
    X, Y = flower(dtype)
    p0 = start(model, dims, dtype)
    results = {mode: models.train_tf(model, X, Y, p0, learning_rate, 57, activation,
                                     record_every=20, mode=mode)
               for mode in models.TF_MODES}
    assert_same_training(results)


def test_loop_mode_with_and_without_a_static_m_is_identical():
    """Building the graph with m (static shapes, fewer ops) changes no number."""
    X, Y = flower("float64")
    p0 = start("shallow", [2, 4, 1], "float64")
    trained = []
    for m in (None, X.shape[1]):
        graph = models.build_graph("shallow", p0, 1.2, "tanh", "float64", m=m)
        trained.append(session.fit(graph, X, Y, models.training("shallow", 1.2, 300, "tanh", 100)))
    assert trained[0][1] == trained[1][1], "costs"
    for name in sorted(p0):
        np.testing.assert_array_equal(trained[0][0][name], trained[1][0][name], err_msg=name)


def test_static_m_runs_fewer_ops_per_step():
    """With m known, TensorFlow's optimizer folds the gradients' shape arithmetic into constants:
    fewer ops run per loop step (counted in a full trace of 10 steps)."""
    X, Y = flower("float64")
    p0 = start("shallow", [2, 4, 1], "float64")

    def ops_per_step(m):
        graph = models.build_graph("shallow", p0, 1.2, "tanh", "float64", m=m)
        sess = session.open_session(graph, X, Y)
        try:
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            metadata = tf.RunMetadata()
            sess.run(graph.train_loop, {graph.n_steps: 10}, options=options,
                     run_metadata=metadata)
        finally:
            sess.close()
        return sum(len(d.node_stats) for d in metadata.step_stats.dev_stats) / 10.0
    dynamic, static = ops_per_step(None), ops_per_step(X.shape[1])
    assert static < 0.8 * dynamic, "ops per step: %.1f with m, %.1f without" % (static, dynamic)


@pytest.mark.parametrize("model,activation,dims,learning_rate", CASES)
def test_fast_loop_matches_numpy_after_1000_iterations(model, activation, dims, learning_rate):
    """float64 parity of the fast path with the NumPy reference after 1000 steps (~1e-13)."""
    X, Y = flower("float64")
    p0 = start(model, dims, "float64")
    p_np, costs_np = models.train_numpy(model, X, Y, p0, learning_rate, 1000, activation,
                                        record_every=500)
    p_tf, costs_tf = models.train_tf(model, X, Y, p0, learning_rate, 1000, activation,
                                     record_every=500, mode="loop")
    assert_close_dicts(p_np, p_tf, 1e-11)
    assert costs_tf[-1][1] == pytest.approx(costs_np[-1][1], rel=1e-12)
    assert costs_np[-1][1] < costs_np[0][1], "training should lower the cost"
