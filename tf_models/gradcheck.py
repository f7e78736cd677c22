"""Gradient checking by centred finite differences (CS231n's recipe, used across the tests).

For each parameter θ_i:  dθ_approx_i = (J(θ + ε e_i) − J(θ − ε e_i)) / (2ε), then

    relative error = ‖dθ − dθ_approx‖₂ / (‖dθ‖₂ + ‖dθ_approx‖₂)

over all parameters together. In float64 with ε = 1e-7, a correct gradient gives about 1e-9 or less;
an error of 1e-3 means a wrong formula (e.g. the text's (1 − A)² for tanh').
"""
import numpy as np


def numerical_gradients(cost_fn, parameters, epsilon=1e-7):
    """Centred-difference estimate of dJ/dθ for every entry of every parameter.

    cost_fn(parameters) -> float J; parameters: dict of float64 arrays (or scalars).
    Returns a dict with keys "d" + name, same shapes as the parameters. Does not modify its input.
    """
    approx = {}
    for name, value in parameters.items():
        theta = np.array(value, dtype=np.float64)
        d = np.zeros_like(theta)
        for idx in np.ndindex(*theta.shape):
            trial = dict(parameters)
            plus = theta.copy()
            plus[idx] += epsilon
            trial[name] = plus if theta.ndim else plus[()]
            J_plus = cost_fn(trial)
            minus = theta.copy()
            minus[idx] -= epsilon
            trial[name] = minus if theta.ndim else minus[()]
            J_minus = cost_fn(trial)
            d[idx] = (J_plus - J_minus) / (2 * epsilon)
        approx["d" + name] = d
    return approx


def relative_error(grads, approx):
    """‖g − g_approx‖ / (‖g‖ + ‖g_approx‖) over all keys of approx, flattened together."""
    keys = sorted(approx)
    g = np.concatenate([np.ravel(grads[k]) for k in keys]).astype(np.float64)
    a = np.concatenate([np.ravel(approx[k]) for k in keys])
    denom = np.linalg.norm(g) + np.linalg.norm(a)
    return 0.0 if denom == 0 else float(np.linalg.norm(g - a) / denom)


def gradient_check(cost_fn, parameters, grads, epsilon=1e-7):
    """Relative error between analytic ``grads`` ("dW1", ...) and finite differences of ``cost_fn``."""
    return relative_error(grads, numerical_gradients(cost_fn, parameters, epsilon))
