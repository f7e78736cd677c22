"""TensorFlow 1.x static graphs of the course's models, one model per module.

Each model module mirrors its NumPy twin in ``tf_models.reference`` (``forward_propagation``,
``compute_cost``, same course notation) and adds ``output_logits``. ``model_graph.build`` turns one
of them into a whole graph (placeholders, variables, the cost, its gradients, the update of
``optimizers``), and ``session`` runs it.

    logistic, shallow, deep   the models' forward passes and costs (twins of ``reference/``)
    layers                    a layer, an activation, the stable cross-entropy
    model_graph               the whole graph of one model
    optimizers                the TF side of ``tf_models.updates``: one optimizer per rule
    session                   the training loop in a ``tf.Session``
    summaries                 TensorBoard summaries
    tfcompat                  the one import of TensorFlow (TF 1.x, or TF 2 through tf.compat.v1)
"""
