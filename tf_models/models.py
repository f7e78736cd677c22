"""The three models by name, each as its NumPy reference and its TF graph, behind one API.

    initial_parameters(model, layer_dims, init, seed, dtype)   the single source of starting values
    train_numpy(...) / train_tf(...)                           -> (parameters, costs)
    predict_proba(model, parameters, X, activation)            NumPy forward pass, (1, m)

The scripts, the comparison tool, the benchmark and the notebooks all train through here.
"""
import numpy as np

from tf_models import activations, initializers, validation
from tf_models.reference import deep as np_deep
from tf_models.reference import logistic as np_logistic
from tf_models.reference import shallow as np_shallow

MODELS = ("logistic", "shallow", "deep")
BACKENDS = ("tf", "numpy")
DTYPES = ("float32", "float64")
TF_MODES = ("loop", "step", "feed")  # how the TF trainer runs its steps: graphs.session


def check_model(model):
    """ValueError naming the choices unless ``model`` is one of MODELS (see tf_models.validation)."""
    return validation.check_model(model)


def check_dtype(dtype):
    """np.dtype of 'float32' or 'float64'; ValueError otherwise."""
    return validation.check_dtype(dtype)


def initial_parameters(model, layer_dims, init="randn", seed=1, dtype="float64"):
    """Starting parameters: zeros for logistic regression (1.2.4.2), ``init`` for the networks."""
    check_model(model)
    dims = validation.check_layer_dims(layer_dims, model)
    dtype = validation.check_dtype(dtype)
    if model == "logistic":
        return initializers.initialize_logistic(dims[0], dtype)
    validation.check_init(init)
    validation.check_seed(seed)
    return initializers.initialize_parameters(dims, init, seed, dtype)


def _np_module(model):
    return {"logistic": np_logistic, "shallow": np_shallow, "deep": np_deep}[model]


def _np_kwargs(model, activation):
    if model == "logistic":
        return {}
    activations.get(activation)
    return {"activation": activation}


def train_numpy(model, X, Y, parameters, learning_rate, num_iterations, activation=None,
                record_every=100, on_record=None):
    """Train the NumPy reference; returns (parameters, costs). on_record(i, J, parameters).

    ValueError on bad input (tf_models.validation); stopping.Diverged / Interrupted carry the
    parameters to keep when training blows up or is stopped with Ctrl-C."""
    validation.check_training(model, X, Y, parameters, learning_rate, num_iterations, activation,
                              record_every)
    return _np_module(model).model(X, Y, parameters, learning_rate=learning_rate,
                                   num_iterations=num_iterations, record_every=record_every,
                                   on_record=on_record, **_np_kwargs(model, activation))


def build_graph(model, parameters, learning_rate, activation=None, dtype="float64", m=None):
    """The model's TF graph (a ModelGraph), variables initialized from ``parameters``.
    ``m``: the number of training examples, if known: the training loop is then faster."""
    validation.check_parameters(model, parameters)
    validation.check_learning_rate(learning_rate)
    validation.check_dtype(dtype)
    if model == "logistic":
        from tf_models.graphs import logistic
        return logistic.build_graph(parameters, learning_rate, dtype, m)
    activations.get(activation)
    from tf_models.graphs import deep, shallow
    module = shallow if model == "shallow" else deep
    return module.build_graph(parameters, activation, learning_rate, dtype, m)


def train_tf(model, X, Y, parameters, learning_rate, num_iterations, activation=None,
             record_every=100, on_record=None, mode="loop"):
    """Train the TF graph in a fresh session; returns (parameters, costs). on_record(i, J, sess).

    Errors and early stops as ``train_numpy``."""
    validation.check_training(model, X, Y, parameters, learning_rate, num_iterations, activation,
                              record_every)
    validation.check_choice(mode, TF_MODES, "TF mode")
    from tf_models.graphs import session
    graph = build_graph(model, parameters, learning_rate, activation, X.dtype, m=X.shape[1])
    return session.fit(graph, X, Y, num_iterations, record_every, mode, on_record)


def train(backend, model, X, Y, parameters, learning_rate, num_iterations, activation=None,
          record_every=100):
    """``train_tf`` or ``train_numpy`` by name; returns (parameters, costs)."""
    validation.check_backend(backend)
    fn = train_tf if backend == "tf" else train_numpy
    return fn(model, X, Y, parameters, learning_rate, num_iterations, activation, record_every)


def predict_proba(model, parameters, X, activation=None):
    """ŷ (1, m) by the NumPy forward pass."""
    n_x = validation.check_parameters(model, parameters)[0]
    validation.check_X(X, n_x)
    return _np_module(model).predict_proba(parameters, X, **_np_kwargs(model, activation))


def accuracy(model, parameters, X, Y, activation=None):
    """Fraction of examples where (ŷ > 0.5) equals Y."""
    validation.check_data(X, Y)
    return float(np.mean((predict_proba(model, parameters, X, activation) > 0.5) == (Y == 1)))
