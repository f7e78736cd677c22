"""NumPy activations (tf_models.activations) against finite differences and against TF's ops."""
import warnings

import numpy as np
import pytest

from tf_models import activations
from tf_models.gradcheck import numerical_gradients

NAMES = sorted(activations.ACTIVATIONS)


def test_sigmoid_of_zero_is_one_half():
    assert activations.sigmoid(np.array([0.0]))[0] == 0.5


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_saturates_exactly_without_overflow_warning(dtype):
    Z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
            A = activations.sigmoid(Z)
    assert A.dtype == np.dtype(dtype), "float32 must stay float32"
    assert A[0, 0] == 0.0 and A[0, -1] == 1.0
    assert 0.0 < A[0, 1] < 1e-20 if dtype == "float64" else A[0, 1] < 1e-20


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_keeps_dtype(name, dtype):
    g, g_prime = activations.get(name)
    Z = np.linspace(-3, 3, 7, dtype=dtype).reshape(1, -1)
    A = g(Z)
    assert A.dtype == Z.dtype and g_prime(Z, A).dtype == Z.dtype


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    # Points away from 0 so that relu's kink does not enter the centred difference.
    g, g_prime = activations.get(name)
    Z = np.array([[-2.5, -1.0, -0.3, 0.4, 1.1, 2.7]])
    for j in range(Z.shape[1]):
        approx = numerical_gradients(lambda p: float(g(np.array([[p["z"]]]))[0, 0]),
                                     {"z": Z[0, j]}, epsilon=1e-6)["dz"]
        analytic = g_prime(Z[:, j:j + 1], g(Z[:, j:j + 1]))[0, 0]
        assert abs(analytic - approx) < 1e-8, "%s'(%g): %r vs %r" % (name, Z[0, j], analytic, approx)


def test_tanh_derivative_is_one_minus_a_squared_not_the_texts_square():
    """ERRATA 3: tanh'(z) = 1 − tanh²(z); the text's (1 − A)² is a different function."""
    z = 0.7
    A = np.tanh(np.array([[z]]))
    true = (np.tanh(z + 1e-6) - np.tanh(z - 1e-6)) / 2e-6
    assert abs(activations.tanh_derivative(None, A)[0, 0] - true) < 1e-9
    assert abs((1 - A[0, 0]) ** 2 - true) > 0.4  # the text's version is far off


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="unknown activation 'softmax'.*relu"):
        activations.get("softmax")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_numpy_activation_equals_tf_op(name, dtype):
    """NumPy g(Z) vs the TF op the graphs use (layers.activation), on the same Z."""
    from tf_models.graphs import layers
    from tf_models.graphs.tfcompat import tf
    Z = np.array([[-1000.0, -3.0, -0.5, 0.0, 0.5, 3.0, 1000.0]], dtype=dtype)
    graph = tf.Graph()
    with graph.as_default():
        A_tf = layers.activation(name, tf.constant(Z), "A")
        with tf.Session(graph=graph) as sess:
            theirs = sess.run(A_tf)
    mine = activations.get(name)[0](Z)
    tol = 1e-15 if dtype == "float64" else 1e-7
    np.testing.assert_allclose(mine, theirs, rtol=tol, atol=tol, err_msg="%s: NumPy vs TF" % name)
