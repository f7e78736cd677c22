"""TensorFlow 1.x static graphs of the course's models, one model per module.

Each model module mirrors its NumPy twin in ``tf_models.reference`` (``forward_propagation``,
``compute_cost``, same course notation) and adds ``output_logits``. ``model_graph.build`` turns one
of them into a whole graph (placeholders, variables, the cost, its gradients, the update of
``updates``), and ``session`` runs it.
"""
