"""Layouts and shortcuts chosen for speed must not change a number.

Wide inputs (images): the TF training loop also holds Xᵀ and takes dW1 = dZ1 Xᵀ from it
(graphs.layers.product, graphs.model_graph.holds_transpose), a layout chosen for speed. It must
train exactly what TensorFlow's own gradient trains.

Checked: the "loop" mode (which uses the copy) against the "step" and "feed" modes (the graph's
autodiff ``train`` op, which never does), bit for bit; and the copy is really in the graph.

The NumPy reference's backward pass skips dA[0] = W[1]ᵀ dZ[1], which no parameter needs: its
gradients are checked against the course's loop, which forms every dA[l−1] with
``linear_backward``/``layer_backward`` as the course writes them.
"""
import numpy as np
import pytest

from conftest import assert_same_training
from tf_models import models
from tf_models.reference import deep
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
    costs_loop = results["loop"][1]
    assert costs_loop[-1][1] < costs_loop[0][1], "the network did not train"
    assert_same_training(results)


def test_the_copy_is_held_only_for_wide_inputs():
    """data/X_T_data exists for n_x >= the threshold, not for the 2-D flower."""
    for dims, expected in ((DIMS, True), ([2, 4, 1], False)):
        p0 = models.initial_parameters("deep", dims, "he", 2, "float64")
        graph = models.build_graph("deep", p0, 0.1, "relu", "float64", m=40)
        names = {op.name for op in graph.graph.get_operations()}
        assert ("data/X_T_data" in names) == expected, dims


@pytest.mark.parametrize("dims", [[30, 5, 3, 1], [30, 1]])
def test_numpy_backward_without_dA0_equals_the_course_loop(dims):
    """reference.deep.backward_propagation == the course's loop forming dA[0] too, bit for bit."""
    rng = np.random.RandomState(4)
    X, Y = rng.randn(dims[0], 25), (rng.rand(1, 25) > 0.5).astype(np.float64)
    parameters = models.initial_parameters("deep", dims, "he", 3, "float64")
    AL, caches = deep.forward_propagation(X, parameters, "relu")
    L = len(caches)
    course = {}
    dA, course["dW%d" % L], course["db%d" % L] = deep.linear_backward(AL - Y, caches[L - 1])
    for l in range(L - 1, 0, -1):
        dA, course["dW%d" % l], course["db%d" % l] = deep.layer_backward(dA, caches[l - 1], "relu")
    assert dA.shape == X.shape  # the course's loop did form dA[0]
    grads = deep.backward_propagation(AL, Y, caches, "relu")
    assert sorted(grads) == sorted(course)
    for name in course:
        np.testing.assert_array_equal(grads[name], course[name], err_msg=name)
