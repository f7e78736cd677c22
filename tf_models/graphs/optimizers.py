"""The TF twins of ``tf_models.updates``: one optimizer per update rule, by the rule's name.

A new rule adds its optimizer here beside its NumPy class (momentum would be
``tf.train.MomentumOptimizer(alpha, beta)``).
"""
from tf_models.graphs.tfcompat import tf


def _gradient_descent(rule, dtype):
    # α as a tensor of the model's dtype: a Python float would become a float32 tensor and
    # float64 training would step with α rounded to float32 (1.2 -> 1.2000000477).
    alpha = tf.constant(rule.learning_rate, dtype=dtype, name="learning_rate")
    return tf.train.GradientDescentOptimizer(alpha, name="GradientDescent")


OPTIMIZERS = {"gradient_descent": _gradient_descent}


def optimizer(rule, dtype):
    """The tf.train optimizer that applies ``rule`` (an ``updates`` rule) in ``dtype``."""
    return OPTIMIZERS[rule.name](rule, dtype)
