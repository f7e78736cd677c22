"""The course's programming exercises by their own names and signatures, over the references.

The deeplearning.ai C1 exercises that the course follows reuse names (``predict``,
``compute_cost``, ``initialize_parameters``, ``update_parameters``), so each assignment has its
own namespace:

    from tf_models.exercises import logistic   # Week 2: initialize_with_zeros, propagate, optimize, model
    from tf_models.exercises import shallow    # Week 3: layer_sizes, nn_model, ...
    from tf_models.exercises import deep       # Week 4: L_model_forward, L_model_backward, L_layer_model, ...

Each function is a thin wrapper over ``tf_models.reference`` (and the activations, losses and
initializers): the mathematics lives there once. The wrappers take what the exercises pass
(Python floats, integer label arrays) and return what the exercises return (tuples, dicts with
their keys, Python floats). ``scripts/check_mine.py`` grades a learner's own versions against them.
"""
