"""The logistic loss and the cross-entropy cost (course 1.2.1.2), computed without log(0).

The course writes the cost from A = σ(Z):  J = −(1/m) Σ [y log a + (1 − y) log(1 − a)].
Once σ saturates (a = 1.0 exactly in floating point) log(1 − a) is −inf and J becomes inf or NaN.
We compute the same J from the logits Z instead, with the identity

    −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^(−|z|)),

which is finite for every finite z. TensorFlow's sigmoid_cross_entropy_with_logits uses the
same identity, so both backends evaluate the same expression.
"""
import numpy as np


def logistic_loss(y_hat, y):
    """L(ŷ, y) = −(y log ŷ + (1 − y) log(1 − ŷ)) for one example, literally as the text writes it.

    For y = 1 this is −log ŷ; for y = 0 it is −log(1 − ŷ) (ERRATA 1: the text drops the minus sign
    in the y = 0 case). Use it to read the formula; training uses ``cross_entropy_cost``.
    """
    return -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def loss_from_logits(Z, Y):
    """Per-example loss L(σ(z), y) = max(z, 0) − z·y + log1p(e^(−|z|)); same shape as Z."""
    return np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))


def cross_entropy_cost(Z, Y):
    """J = (1/m) Σ L(σ(z⁽ⁱ⁾), y⁽ⁱ⁾), from the output layer's logits.

    Z: (1, m) logits of the output unit; Y: (1, m) labels in {0, 1}. Returns a Python float.
    """
    m = Z.shape[1]
    return float(np.sum(loss_from_logits(Z, Y)) / m)
