"""The course's three models as scikit-learn classifiers (1.2, 1.3, 1.4).

    LogisticRegressionGD     logistic regression by gradient descent (1.2)
    ShallowNetClassifier     one hidden layer, n_h units (1.3)
    DeepNetClassifier        L layers, ReLU hidden layers and a sigmoid output (1.4)

They follow scikit-learn, not the course, at their edge: X is (n_samples, n_features), y holds any
two labels (``classes_``), and ``fit`` returns the estimator, so they work with ``clone``,
``Pipeline``, ``cross_val_score`` and ``GridSearchCV``. Inside, X is transposed to the course's
(n_x, m) and y mapped to Y (1, m) of 0/1 (1 for ``classes_[1]``); training goes through
``models.fit`` (either backend) from ``models.initial_parameters``, the same code the
scripts run. Fitted attributes: ``parameters_`` (the course's dict: w, b or W1, b1, ...),
``costs_`` ([[i, J], ...]), ``loss_curve_`` (the J values), ``n_iter_``, ``classes_``,
``n_features_in_``.
"""
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_array, check_random_state, check_X_y
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from tf_models import activations, initializers, models, settings

_LOGISTIC, _SHALLOW, _DEEP = (models.REGISTRY[m].defaults for m in ("logistic", "shallow", "deep"))
LINES = 10  # with print_cost, about this many lines per fit; records: settings.record_interval


def print_interval(num_iterations):
    """Iterations between two printed costs: num_iterations // LINES, at least 1."""
    return max(1, num_iterations // LINES)


def seed_of(random_state):
    """The seed for ``models.initial_parameters``: an int is used as it is (1 gives the course's
    numbers); None or a RandomState draws one, as ``sklearn.utils.check_random_state`` does."""
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return settings.check_seed(random_state)
    return int(check_random_state(random_state).randint(0, 2 ** 31 - 1))


class _CourseClassifier(ClassifierMixin, BaseEstimator):
    """What the three share: checks, label mapping, training through ``tf_models.models``.

    A subclass sets ``model`` ("logistic", "shallow", "deep") and defines ``_hidden_layers()``,
    ``_activation()`` and ``_start()`` (the initializer's name and seed)."""
    model = None

    def _hidden_layers(self):
        return []

    def _activation(self):
        return None

    def _start(self):
        return "randn", 1

    def fit(self, X, y):
        """Train on X (n_samples, n_features) and y (n_samples,) of two labels. Returns self."""
        dtype = settings.check_dtype(self.dtype)
        settings.check_choice(self.backend, settings.BACKENDS, "backend")
        n_iter = settings.check_positive_int(self.num_iterations, "num_iterations")
        training = models.training(self.model, self.learning_rate, n_iter, self._activation(),
                                   settings.record_interval(print_interval(n_iter)))
        X, y = check_X_y(X, y, dtype=dtype.type)
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) != 2:
            found = "%d class%s (%s)" % (len(classes), "" if len(classes) == 1 else "es",
                                         ", ".join(str(c) for c in classes[:5]))
            raise ValueError("Only binary classification is supported. %s needs y with exactly 2 "
                             "classes; got %s" % (type(self).__name__, found))
        X_course = np.ascontiguousarray(X.T)                       # (n_x, m), one column each
        Y = (y == classes[1]).astype(dtype).reshape(1, -1)         # (1, m) of 0/1
        layer_dims = [X.shape[1]] + self._hidden_layers() + [1]
        init, seed = self._start()
        start = models.initial_parameters(self.model, layer_dims, init, seed, dtype.name)
        self.parameters_, self.costs_ = models.fit(training, self.backend, X_course, Y, start,
                                                   self._printer(n_iter))
        self.classes_ = classes
        self.loss_curve_ = [J for _, J in self.costs_]
        self.n_iter_ = n_iter
        self.n_features_in_ = X.shape[1]
        return self

    def _printer(self, num_iterations):
        if not self.print_cost:
            return None
        every = print_interval(num_iterations)

        def on_record(i, J, _state):
            if i % every == 0 or i == num_iterations:
                print("Cost after iteration %i: %f" % (i, J))
        return on_record

    def predict_proba(self, X):
        """Columns P(classes_[0] | x), P(classes_[1] | x): (n_samples, 2), rows summing to 1."""
        check_is_fitted(self, "parameters_")   # NotFittedError, a ValueError
        X = check_array(X, dtype=settings.check_dtype(self.dtype).type)
        if X.shape[1] != self.n_features_in_:
            raise ValueError("X has %d features, but %s is expecting %d features as input"
                             % (X.shape[1], type(self).__name__, self.n_features_in_))
        A = models.predict_proba(self.model, self.parameters_, np.ascontiguousarray(X.T),
                                 self._activation())          # ŷ (1, m), the course's forward pass
        p = np.ravel(A)
        return np.column_stack([1 - p, p])

    def predict(self, X):
        """The label of each row of X: classes_[1] where ŷ > 0.5, else classes_[0]."""
        labels = activations.to_labels(self.predict_proba(X)[:, 1])  # checks fitted first
        return self.classes_[labels]

    def _more_tags(self):              # scikit-learn 0.21 to 1.5: two classes only
        return {"binary_only": True}

    def __sklearn_tags__(self):        # scikit-learn 1.6 and later (never called by 0.18)
        tags = super(_CourseClassifier, self).__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


class LogisticRegressionGD(_CourseClassifier):
    """Logistic regression ŷ = σ(wᵀx + b), trained by batch gradient descent from w = 0, b = 0
    (course 1.2). No random state: the start is all zeros."""
    model = "logistic"

    def __init__(self, learning_rate=_LOGISTIC.learning_rate, num_iterations=_LOGISTIC.iterations,
                 backend="tf", dtype="float64", print_cost=False):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations
        self.backend = backend
        self.dtype = dtype
        self.print_cost = print_cost


class ShallowNetClassifier(_CourseClassifier):
    """One hidden layer of ``hidden_units`` units (``activation``), a sigmoid output (course 1.3).
    Defaults are the course's planar-data model: n_h = 4, tanh, α = 1.2, 10000 iterations."""
    model = "shallow"

    def __init__(self, hidden_units=_SHALLOW.hidden_dims[0], activation=_SHALLOW.activation,
                 learning_rate=_SHALLOW.learning_rate, num_iterations=_SHALLOW.iterations,
                 init=_SHALLOW.init, backend="tf", dtype="float64", random_state=1,
                 print_cost=False):
        self.hidden_units = hidden_units
        self.activation = activation
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations
        self.init = init
        self.backend = backend
        self.dtype = dtype
        self.random_state = random_state
        self.print_cost = print_cost

    def _hidden_layers(self):
        return [settings.check_positive_int(self.hidden_units, "hidden_units")]

    def _activation(self):
        activations.get(self.activation)
        return self.activation

    def _start(self):
        return initializers.check_init(self.init), seed_of(self.random_state)


class DeepNetClassifier(_CourseClassifier):
    """An L-layer network: ``hidden_layer_sizes`` units in the hidden layers (``activation``), one
    sigmoid output unit (course 1.4). Defaults: the course's [n_x, 20, 7, 5, 1], ReLU, α = 0.0075,
    2500 iterations, weights scaled by sqrt(1 / n_prev) (the course's L-layer initialization)."""
    model = "deep"

    def __init__(self, hidden_layer_sizes=_DEEP.hidden_dims, activation=_DEEP.activation,
                 learning_rate=_DEEP.learning_rate, num_iterations=_DEEP.iterations,
                 init=_DEEP.init, backend="tf", dtype="float64", random_state=1, print_cost=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations
        self.init = init
        self.backend = backend
        self.dtype = dtype
        self.random_state = random_state
        self.print_cost = print_cost

    def _hidden_layers(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, (int, np.integer)) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or not len(sizes):
            raise ValueError("hidden_layer_sizes must be a tuple of whole numbers such as "
                             "(20, 7, 5); got %r" % (self.hidden_layer_sizes,))
        return [settings.check_positive_int(n, "each hidden layer size") for n in sizes]

    def _activation(self):
        activations.get(self.activation)
        return self.activation

    def _start(self):
        return initializers.check_init(self.init), seed_of(self.random_state)
