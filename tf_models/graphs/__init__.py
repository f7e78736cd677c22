"""TensorFlow 1.x static graphs of the course's models, one model per module.

Each module mirrors its NumPy twin in ``tf_models.reference`` (same function names, same
course notation) and adds ``build_graph``, which returns a ``ModelGraph`` ready to train with
``tf_models.graphs.session.train``.
"""
