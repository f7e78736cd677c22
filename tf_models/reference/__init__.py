"""NumPy references: the course's vectorized formulas, one model per module.

Each module follows its section of the course line by line: ``forward_propagation`` (returning a
cache), ``compute_cost``, ``backward_propagation``, ``propagate``, ``cost``, ``model``,
``predict_proba``, ``predict``. Its TF twin in ``tf_models.graphs`` has the same
``forward_propagation`` and ``compute_cost``; TensorFlow's autodiff stands in for the backward pass.
Shapes: X (n_x, m), Y (1, m), W[l] (n[l], n[l-1]), b[l] (n[l], 1).
"""
