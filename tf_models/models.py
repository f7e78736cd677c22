"""The three models of the course, one registry entry each, and the API that trains them by name.

An entry (``Model``) holds everything that differs between logistic regression and the networks:
its NumPy reference module, its TF graph module, its parameter layout, how many hidden layers it
takes, and its defaults (dataset, α, iterations, activation, initialization), which the scripts,
``compare``, the benchmark, the notebooks and the docs all read from here.

    get(model)                                              the registry entry
    initial_parameters(model, layer_dims, init, seed, dtype) the single source of starting values
    train_numpy(...) / train_tf(...) / train(backend, ...)  -> (parameters, costs)
    training(model, learning_rate, num_iterations, ...)     a checked settings.Training record
    fit(training, backend, X, Y, parameters, on_record)     train from such a record
    build_graph(model, parameters, learning_rate, ...)      the TF graph (a graphs.model_graph.ModelGraph)
    predict_proba / predict / accuracy                      the NumPy forward pass, ŷ > 0.5, accuracy

These functions are the library's entry points: they check their input once (ValueError with one
line) and the code below them trusts it.
"""
import collections
import importlib

import numpy as np

from tf_models import activations, datasets, initializers, settings, updates
# (the module's names, not the module: ``parameters`` is what every function here calls its dict)
from tf_models.parameters import LAYERED, SINGLE_UNIT, check as check_parameters
from tf_models.settings import BACKENDS, DTYPES, TF_MODES  # noqa: F401 (re-exported)

Defaults = collections.namedtuple(
    "Defaults", "dataset learning_rate iterations print_every hidden_dims activation init")


class Model(collections.namedtuple(
        "Model", "name title section reference graph layout hidden_layers defaults")):
    """One model: ``reference`` and ``graph`` name its NumPy and TF modules (the graph module is
    imported only when used: it imports TensorFlow); ``layout`` is a ``parameters`` layout;
    ``hidden_layers`` the exact number of hidden layers it takes, or None for any."""

    def numpy(self):
        """The NumPy reference module."""
        return importlib.import_module(self.reference)

    def tf(self):
        """The TF graph module (imports TensorFlow)."""
        return importlib.import_module(self.graph)

    def options(self, activation):
        """The keyword arguments its modules take besides the data: the hidden layers' g."""
        return {} if self.hidden_layers == 0 else {"activation": activation}

    def check_layer_dims(self, layer_dims):
        """[n_x, n_1, ..., 1] with this model's number of hidden layers (initializers checks the rest)."""
        dims = initializers.check_layer_dims(layer_dims)
        hidden = len(dims) - 2
        if self.hidden_layers == 0 and hidden:
            raise ValueError("logistic regression has no hidden layer: layer_dims [n_x, 1]; got %r"
                             % (dims,))
        if self.hidden_layers is not None and hidden != self.hidden_layers:
            raise ValueError("the %s network has exactly one hidden layer: layer_dims [n_x, n_h, 1];"
                             " got %r" % (self.name, dims))
        return dims

    def initial_parameters(self, layer_dims, init, seed, dtype):
        """Zeros for logistic regression (1.2.4.2: one unit, no symmetry to break), ``init`` for
        the networks (1.4.3.3)."""
        if self.layout is SINGLE_UNIT:
            return initializers.initialize_logistic(layer_dims[0], dtype)
        return initializers.initialize_parameters(layer_dims, init, seed, dtype)


REGISTRY = collections.OrderedDict((m.name, m) for m in (
    Model("logistic", "logistic regression", "1.2", "tf_models.reference.logistic",
          "tf_models.graphs.logistic", SINGLE_UNIT, 0,
          Defaults("breast_cancer", 0.05, 2000, 100, (), None, "zeros")),
    Model("shallow", "shallow network", "1.3", "tf_models.reference.shallow",
          "tf_models.graphs.shallow", LAYERED, 1,
          Defaults("flower", 1.2, 10000, 1000, (4,), "tanh", "randn")),
    Model("deep", "deep L-layer network", "1.4", "tf_models.reference.deep",
          "tf_models.graphs.deep", LAYERED, None,
          Defaults("breast_cancer", 0.0075, 2500, 250, (20, 7, 5), "relu", "xavier")),
))
MODELS = tuple(REGISTRY)  # the models' names, in the course's order


def get(model):
    """The registry entry of ``model`` ('logistic', 'shallow' or 'deep'); ValueError otherwise."""
    return REGISTRY[settings.check_choice(model, MODELS, "model")]


def initial_parameters(model, layer_dims, init="randn", seed=1, dtype="float64"):
    """Starting parameters of ``model`` for ``layer_dims`` [n_x, ..., 1]: the one initializer
    both backends train from. Logistic regression starts from zeros whatever ``init`` says."""
    entry = get(model)
    dims = entry.check_layer_dims(layer_dims)
    dtype = settings.check_dtype(dtype)
    if entry.hidden_layers != 0:
        initializers.check_init(init)
        settings.check_seed(seed)
    return entry.initial_parameters(dims, init, seed, dtype)


# ---- training --------------------------------------------------------------------------------------

def training(model, learning_rate, num_iterations, activation=None, record_every=100,
             mode="loop", update="gradient_descent"):
    """A checked ``settings.Training``; ValueError (one line, naming what is accepted) otherwise.

    ``update`` names a rule of ``updates.RULES``; ``learning_rate`` is its α."""
    if get(model).hidden_layers != 0:
        activations.get(activation)
    else:
        activation = None  # logistic regression has no hidden layer
    rule = updates.rule(update, settings.check_learning_rate(learning_rate))
    return settings.Training(
        model, activation, rule,
        settings.check_positive_int(num_iterations, "the number of iterations"),
        settings.check_positive_int(record_every, "the record interval (print every)"),
        settings.check_choice(mode, settings.TF_MODES, "TF mode"))



def fit(training, backend, X, Y, parameters, on_record=None, hooks=None):
    """Train ``parameters`` on (X, Y) as the checked ``training`` (settings.Training) says.

    Returns (trained parameters as NumPy arrays, costs [[i, J], ...]): J for the parameters before
    update i, every ``training.record_every`` steps, and [num_iterations, J] for the final ones.
    ``on_record(i, J, parameters)`` at each record, with either backend (the NumPy loop's own
    arrays: copy what you keep).
    ``hooks``: the training run the loop trains for (run.transaction.Run), or None.
    Raises ValueError on bad data or parameters; stopping.Diverged / Interrupted carry the
    parameters to keep when training blows up or is stopped with Ctrl-C."""
    settings.check_choice(backend, BACKENDS, "backend")
    entry = REGISTRY[training.model]
    datasets.check_data(X, Y)
    _, start = check_parameters(entry, parameters, X.shape[0], X.dtype)
    if backend == "numpy":
        from tf_models.reference import gradient_descent
        module, options = entry.numpy(), entry.options(training.activation)
        return gradient_descent.run(
            lambda p, X_, Y_: module.propagate(p, X_, Y_, **options),
            lambda p, X_, Y_: module.cost(p, X_, Y_, **options),
            X, Y, start, training.update, training.num_iterations, training.record_every, on_record,
            hooks)
    from tf_models.graphs import session
    graph = graph_of(training, start, X.dtype, m=X.shape[1])
    return session.fit(graph, X, Y, training, on_record, hooks)


def train_numpy(model, X, Y, parameters, learning_rate, num_iterations, activation=None,
                record_every=100, on_record=None):
    """Train the NumPy reference by gradient descent; returns (parameters, costs). See ``fit``."""
    record = training(model, learning_rate, num_iterations, activation, record_every)
    return fit(record, "numpy", X, Y, parameters, on_record)


def train_tf(model, X, Y, parameters, learning_rate, num_iterations, activation=None,
             record_every=100, on_record=None, mode="loop"):
    """Train the TF graph in a fresh session; returns (parameters, costs). See ``fit``."""
    record = training(model, learning_rate, num_iterations, activation, record_every, mode)
    return fit(record, "tf", X, Y, parameters, on_record)


def train(backend, model, X, Y, parameters, learning_rate, num_iterations, activation=None,
          record_every=100):
    """``train_tf`` or ``train_numpy`` by name; returns (parameters, costs)."""
    settings.check_choice(backend, BACKENDS, "backend")
    record = training(model, learning_rate, num_iterations, activation, record_every)
    return fit(record, backend, X, Y, parameters)


def graph_of(training, parameters, dtype, m=None):
    """The TF graph of ``training``'s model, variables initialized from checked ``parameters``.
    ``m``: the number of training examples, if known: the training loop is then faster."""
    from tf_models.graphs import model_graph
    entry = REGISTRY[training.model]
    return model_graph.build(entry.name, entry.tf(), parameters, training.update, dtype, m,
                             **entry.options(training.activation))


def build_graph(model, parameters, learning_rate, activation=None, dtype="float64", m=None):
    """The model's TF graph (a ModelGraph), variables initialized from ``parameters``."""
    record = training(model, learning_rate, 1, activation)
    dtype = settings.check_dtype(dtype)
    _, start = check_parameters(REGISTRY[model], parameters, dtype=dtype)
    return graph_of(record, start, dtype, m)


# ---- applying parameters ---------------------------------------------------------------------------

def predict_proba(model, parameters, X, activation=None):
    """ŷ = A[L] (1, m) for X (n_x, m), by the NumPy forward pass."""
    entry = get(model)
    if entry.hidden_layers != 0:
        activations.get(activation)
    dims, p = check_parameters(entry, parameters, dtype=getattr(X, "dtype", None))
    datasets.check_X(X, dims[0])
    return entry.numpy().predict_proba(p, X, **entry.options(activation))


def predict(model, parameters, X, activation=None):
    """Labels (1, m): 1 where ŷ > 0.5 (activations.to_labels), else 0."""
    return activations.to_labels(predict_proba(model, parameters, X, activation))


def accuracy(model, parameters, X, Y, activation=None):
    """The fraction of examples whose predicted label equals Y."""
    datasets.check_data(X, Y)
    return float(np.mean(predict(model, parameters, X, activation) == Y))
