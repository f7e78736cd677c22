"""Wide inputs (images): the TF training loop also holds Xᵀ and takes dW1 = dZ1 Xᵀ from it
(graphs.layers.product, graphs.model_graph.holds_transpose), a layout chosen for speed. It must
train exactly what TensorFlow's own gradient trains.

Checked: the "loop" mode (which uses the copy) against the "step" and "feed" modes (the graph's
autodiff ``train`` op, which never does), bit for bit; and the copy is really in the graph.
"""
import numpy as np
import pytest

from tf_models import models
from tf_models.graphs import model_graph

DIMS = [model_graph.TRANSPOSED_COPY_MIN_FEATURES, 6, 3, 1]


def wide_data(dtype, m=40, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.rand(DIMS[0], m).astype(dtype)
    Y = (rng.rand(1, m) > 0.5).astype(dtype)
    return X, Y


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_loop_with_the_transposed_copy_equals_autodiff_steps(dtype):
    """loop (dW1 from the copy of Xᵀ) == step == feed (TF's gradient of W1 X): parameters and costs."""
    X, Y = wide_data(dtype)
    p0 = models.initial_parameters("deep", DIMS, "he", 2, dtype)
    results = {mode: models.train_tf("deep", X, Y, p0, 0.05, 23, "relu", record_every=10,
                                     mode=mode)
               for mode in ("loop", "step", "feed")}
    p_loop, costs_loop = results["loop"]
    assert costs_loop[-1][1] < costs_loop[0][1], "the network did not train"
    for mode in ("step", "feed"):
        p_mode, costs_mode = results[mode]
        assert costs_mode == costs_loop, "costs: %s vs loop" % mode
        for name in sorted(p_loop):
            np.testing.assert_array_equal(p_mode[name], p_loop[name],
                                          err_msg="%s: %s vs loop" % (name, mode))


def test_the_copy_is_held_only_for_wide_inputs():
    """data/X_T_data exists for n_x >= the threshold, not for the 2-D flower."""
    for dims, expected in ((DIMS, True), ([2, 4, 1], False)):
        p0 = models.initial_parameters("deep", dims, "he", 2, "float64")
        graph = models.build_graph("deep", p0, 0.1, "relu", "float64", m=40)
        names = {op.name for op in graph.graph.get_operations()}
        assert ("data/X_T_data" in names) == expected, dims
