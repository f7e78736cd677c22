"""Chapter 1 of the deep-learning course, twice: NumPy references and TensorFlow 1.x graphs.

- ``tf_models.reference``: the course's vectorized formulas in NumPy, line by line.
- ``tf_models.graphs``: the same models as TF1 static graphs (placeholders, Variables, Session).
- shared pieces: ``activations``, ``losses``, ``initializers``, ``gradcheck``, ``datasets``.

Importing this package does not import TensorFlow; only ``tf_models.tfcompat`` does.
"""
__version__ = "0.1.0"
