"""Gradient checks of a learner's backward functions against their OWN forward and cost.

Run inside the sandbox, beside the learner's code (contained.py). For each backward function, a
cost J(θ) is built from the learner's own functions (a file without them cannot be checked this
way: the project's versions are not in the sandbox), its centred finite
differences (``tf_models.gradcheck``) are compared with the learner's analytic gradients, and the
relative error of each gradient is returned: about 1e-9 when the formula is right, far more when
it is wrong, even where every shape is right.

The exercises' layer-level gradients carry the factor m of their convention (dA[l] is m·∂J/∂A[l];
dW, db include the 1/m): for ``linear_backward`` and ``linear_activation_backward`` the cost is
J = (1/m) Σ (dZ ⊙ Z) (respectively (1/m) Σ (dA ⊙ A)), whose derivatives are dW, db and dA_prev / m.
"""
import numpy as np

from tf_models import gradcheck

EPSILON = 1e-6


def check(function, ns, args, result):
    """{gradient name: relative error} for the backward function ``function``'s ``result`` on
    ``args``, or None; LookupError when the learner's file lacks a function the check needs."""
    def own(name):
        if not callable(ns.get(name)):
            raise LookupError("your file has no %s" % name)
        return ns[name]

    if function == "propagate":
        w, b, X, Y = args
        cost = lambda p: float(np.squeeze(own("propagate")(p["w"], p["b"], X, Y)[1]))  # noqa: E731
        return _errors(cost, {"w": w, "b": np.float64(b)}, result[0])
    if function == "backward_propagation":
        parameters, _, X, Y = args
        forward, compute_cost = own("forward_propagation"), own("compute_cost")
        cost = lambda p: float(np.squeeze(compute_cost(forward(X, p)[0], Y)))  # noqa: E731
        grads = own("backward_propagation")(parameters, forward(X, parameters)[1], X, Y)
        return _errors(cost, parameters, grads)
    if function == "L_model_backward":
        _, Y, caches = args
        parameters = {}
        for l, ((_, W, b), _) in enumerate(caches, 1):
            parameters["W%d" % l], parameters["b%d" % l] = W, b
        X = caches[0][0][0]
        forward, compute_cost = own("L_model_forward"), own("compute_cost")
        cost = lambda p: float(np.squeeze(compute_cost(forward(X, p)[0], Y)))  # noqa: E731
        AL, own_caches = forward(X, parameters)
        return _errors(cost, parameters, own("L_model_backward")(AL, Y, own_caches))
    if function == "linear_backward":
        dZ, (A_prev, W, b) = args
        forward = own("linear_forward")
        cost = lambda p: float(np.sum(dZ * forward(p["A_prev"], p["W"], p["b"])[0])) / dZ.shape[1]  # noqa: E731
        return _layer_errors(cost, A_prev, W, b, result)
    if function == "linear_activation_backward":
        dA, ((A_prev, W, b), _), activation = args
        forward = own("linear_activation_forward")
        cost = lambda p: float(np.sum(dA * forward(p["A_prev"], p["W"], p["b"], activation)[0])) / dA.shape[1]  # noqa: E731
        return _layer_errors(cost, A_prev, W, b, result)
    return None


def _layer_errors(cost, A_prev, W, b, result):
    dA_prev, dW, db = result
    m = A_prev.shape[1]
    grads = {"dA_prev": np.asarray(dA_prev, dtype=np.float64) / m, "dW": dW, "db": db}
    return _errors(cost, {"A_prev": A_prev, "W": W, "b": b}, grads)


def _errors(cost, parameters, grads):
    """Relative error per gradient; a gradient missing or of the wrong size is reported as 1.0."""
    parameters = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
    approx = gradcheck.numerical_gradients(cost, parameters, EPSILON)
    errors = {}
    for key in sorted(approx):
        g = np.asarray(grads.get(key, np.nan) if isinstance(grads, dict) else np.nan, dtype=np.float64)
        if g.size != approx[key].size:
            errors[key] = 1.0
            continue
        errors[key] = gradcheck.relative_error({key: g.reshape(approx[key].shape)}, {key: approx[key]})
    return errors
