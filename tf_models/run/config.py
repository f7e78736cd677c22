"""``RunConfig``: the settings of one training run, built at the edge and checked once.

The scripts build it from their flags (``cli.config_from_args``), a resumed run from the run it
continues (``resume.apply``); ``check`` validates it once, and everything after trusts it.
"""
import collections

from tf_models import activations, datasets, initializers, models, settings

FIELDS = (
    "model",          # a name of models.REGISTRY
    "backend",        # "tf" or "numpy"
    "dtype",          # "float32" or "float64"
    "dataset",        # a built-in dataset name, or None with ``data``
    "data",           # an HDF5 training file of the course layout, or None
    "test_data",      # its test file, or None (then a seeded hold-out split)
    "seed",           # data split and initialization
    "init",           # weight initialization (initializers.INIT_METHODS)
    "hidden_dims",    # units of the hidden layers: [] logistic, [n_h] shallow, [n1, ...] deep
    "activation",     # g of the hidden layers, None for logistic regression
    "learning_rate",  # α
    "update",         # the update rule's name (updates.RULES): gradient_descent
    "iterations",     # gradient-descent steps of this run
    "print_every",    # a printed line (and a record) every this many steps
    "run_dir",        # where the outputs go; None: a new folder under runs/
    "resume",         # the run directory this run continues, or None
    "mode",           # TF only: how steps are run (settings.TF_MODES)
    "checkpoint_seconds",  # TF only: long runs also checkpoint this often
    "progress_seconds",    # while training, params.h5 and metrics.json are saved at least this often
    "previous",       # the resumed run's metrics.json (filled by resume.apply), or None
    "until",          # a resumed run that did not finish: train up to this iteration, or None
)

CHECKPOINT_SECONDS = 60.0
# A hard kill (SIGKILL, the OOM killer, a power cut) costs at most this much training plus the
# time of one save (transaction.Run.keep_progress); each save costs a few milliseconds.
PROGRESS_SECONDS = 5.0


class RunConfig(collections.namedtuple("RunConfig", FIELDS)):
    """The settings of one training run (see FIELDS)."""

    def training(self):
        """The trainers' settings record (settings.Training) for this run: the cost recorded
        about ten times per printed line (settings.record_interval)."""
        return models.training(self.model, self.learning_rate, self.iterations, self.activation,
                               settings.record_interval(self.print_every), self.mode, self.update)

    def layer_dims(self, n_x):
        """[n_x, hidden_dims..., 1]."""
        return [n_x] + list(self.hidden_dims) + [1]


def make(**fields):
    """A RunConfig with the model's defaults (models.REGISTRY) for every field not given."""
    model = models.get(fields.get("model"))
    d = model.defaults
    values = dict(backend="tf", dtype="float64", dataset=d.dataset, data=None, test_data=None,
                  seed=1, init=d.init, hidden_dims=list(d.hidden_dims), activation=d.activation,
                  learning_rate=d.learning_rate, update="gradient_descent", iterations=d.iterations,
                  print_every=d.print_every, run_dir=None, resume=None, mode="loop",
                  checkpoint_seconds=CHECKPOINT_SECONDS, progress_seconds=PROGRESS_SECONDS,
                  previous=None, until=None)
    values.update(fields)
    return RunConfig(**values)


def check(config):
    """The config with every value checked (ValueError naming the first bad one) and the dtype
    given by its name."""
    model = models.get(config.model)
    settings.check_choice(config.backend, settings.BACKENDS, "backend")
    dtype = settings.check_dtype(config.dtype).name
    settings.check_seed(config.seed)
    if config.data is None:
        if config.test_data:
            raise ValueError("--test-data needs --data (the training file)")
        settings.check_choice(config.dataset, datasets.DATASETS, "dataset")
    if model.hidden_layers != 0:
        activations.get(config.activation)
        initializers.check_init(config.init)
    model.check_layer_dims([1] + list(config.hidden_dims) + [1])
    config.training()  # α, the update rule, the counts and the mode
    return config._replace(dtype=dtype)
