"""Chapter 1 of the deep-learning course, twice: NumPy references and TensorFlow 1.x graphs.

The course's concepts, at the top:

    models        the registry: one entry per model, and the API that trains them by name
    settings      the shared names (models, backends, dtypes) and ``Training``, the settings record
    activations   g(Z) and g'(Z) (1.3.4)
    losses        the logistic loss and the cross-entropy cost, without log(0) (1.2.1.2)
    initializers  the starting parameters both backends train from (1.4.3.3)
    parameters    parameter layouts and their checks (course notation)
    updates       update rules: θ := θ − α dθ (1.2.2)
    gradcheck     gradient checking by centred differences
    stopping      training stopped early without losing it: divergence (α too large), a stop request
    datasets      the built-in datasets (the flower, ...), generated or shipped: nothing downloaded
    plots         cost curves and decision boundaries
    estimators    the three models as scikit-learn classifiers

    reference/    the course's vectorized formulas in NumPy, one model per module
    graphs/       the same models as TF1 static graphs (placeholders, Variables, Session)
    exercises/    the course's programming exercises by their own names and signatures
    demos/        the course's demonstrations

Around the course:

    run/          the run machinery the scripts share: flags, the run's transaction, outputs
    learner/      tools for learners: the checker, the playground, NumPy against TensorFlow

Importing this package does not import TensorFlow; only ``tf_models.graphs.tfcompat`` does.
"""
__version__ = "0.1.0"
