"""NumPy references: the course's vectorized formulas, one model per module.

Each module has the same public shape as its TensorFlow twin in ``tf_models.graphs``:
``forward_propagation``, ``compute_cost``, ``backward_propagation``, ``propagate``, ``model``,
``predict``. Shapes: X (n_x, m), Y (1, m), W[l] (n[l], n[l-1]), b[l] (n[l], 1).
"""
