"""Update rules: how a training step turns the gradients into new parameters (NumPy side).

The course uses one rule, batch gradient descent (1.2.2):  θ := θ − α dθ  for every parameter θ.
The training loops take a rule object rather than a bare α, so another rule (momentum, say) is a
new class here, its TensorFlow twin in ``graphs/updates.py``, and a name in ``RULES``.

A rule has ``name``, ``learning_rate`` and ``apply(parameters, grads)``, which updates the
parameters dict in place (its arrays belong to the training loop) and returns it.
"""


class GradientDescent(object):
    """θ := θ − α dθ, for every θ in the parameters and dθ = grads["d" + name]."""

    name = "gradient_descent"

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def apply(self, parameters, grads):
        """One step, in place. Arrays are updated in place; a 0-d (scalar) parameter such as
        logistic regression's b is replaced by a scalar of its own dtype."""
        alpha = self.learning_rate
        for name, theta in parameters.items():
            d_theta = grads["d" + name]
            if getattr(theta, "ndim", 0) == 0:
                parameters[name] = theta.dtype.type(theta - alpha * d_theta)
            else:
                theta -= alpha * d_theta
        return parameters

    def __repr__(self):
        return "GradientDescent(learning_rate=%r)" % self.learning_rate


RULES = {GradientDescent.name: GradientDescent}


def rule(name, learning_rate):
    """The update rule called ``name`` with step size ``learning_rate`` (already checked)."""
    if name not in RULES:
        raise ValueError("unknown update rule %r; choose one of: %s" % (name, ", ".join(RULES)))
    return RULES[name](learning_rate)
