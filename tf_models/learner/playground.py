"""A playground for the shallow network (1.3), in the spirit of the TensorFlow Playground.

Pick a 2-D dataset, the hidden units, the activation, α, the iterations and the backend; the
project's own shallow model trains (``models.train_numpy`` or ``models.train_tf``, from
``models.initial_parameters``) and, every few records, the decision boundary and the cost curve
are drawn again from the parameters of that moment. Nothing here computes a gradient.

    train(settings, redraw)     the training loop with its redraws (no display needed)
    new_figure(), draw(...)     the figure: boundary on the left, cost on the right
    play(settings, show)        train(), drawing each frame and handing the figure to show(fig)
    live_display()              a show() for a notebook cell: one image, updated in place
    widget()                    the ipywidgets controls, a Train button and the live figure
"""
import collections
import io
import numbers

import numpy as np

from tf_models import activations, datasets, models, plots

DATASETS = ("flower", "moons", "circles")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 1.2, 3.0, 10.0)

Settings = collections.namedtuple(
    "Settings", "dataset hidden_units activation learning_rate iterations backend seed")
# The course's planar example (1.3.5): n_h = 4, tanh, α = 1.2.
DEFAULTS = Settings(dataset="flower", hidden_units=4, activation="tanh", learning_rate=1.2,
                    iterations=2000, backend="numpy", seed=1)

Result = collections.namedtuple("Result", "settings data parameters costs accuracies")


def check_settings(settings):
    """ValueError naming the choices for a dataset or backend the playground does not offer, or
    for iterations that are not a positive whole number (the other fields are checked by
    ``models`` when training starts)."""
    if settings.dataset not in DATASETS:
        raise ValueError("unknown playground dataset %r; choose one of: %s"
                         % (settings.dataset, ", ".join(DATASETS)))
    if settings.backend not in models.BACKENDS:
        raise ValueError("unknown backend %r; choose one of: %s"
                         % (settings.backend, ", ".join(models.BACKENDS)))
    if not isinstance(settings.iterations, numbers.Integral) or settings.iterations < 1:
        raise ValueError("iterations must be a positive whole number, got %r"
                         % (settings.iterations,))
    return settings


def schedule(iterations, record_every=None, redraw_every=None):
    """(record_every, redraw_every): by default about 100 costs and 10 redraws per run.

    ``redraw_every`` must be a multiple of ``record_every`` (a redraw happens at a record)."""
    record_every = record_every or max(1, iterations // 100)
    redraw_every = redraw_every or record_every * max(1, iterations // (10 * record_every))
    if redraw_every % record_every:
        raise ValueError("redraw_every (%d) must be a multiple of record_every (%d)"
                         % (redraw_every, record_every))
    return record_every, redraw_every


def _accuracies(data, parameters, activation):
    """{"train": ..., "test": ...}: the fraction of each split where (ŷ > 0.5) equals Y."""
    return {split: models.accuracy("shallow", parameters, getattr(data, "X_" + split),
                                   getattr(data, "Y_" + split), activation)
            for split in ("train", "test")}


def load_data(settings):
    """The dataset the settings name, split as the training scripts split it (same seed)."""
    check_settings(settings)
    return datasets.load_dataset(settings.dataset, seed=settings.seed)


def train(settings, redraw=None, record_every=None, redraw_every=None, data=None):
    """Train the shallow network [n_x, n_h, 1] as ``settings`` say; returns a Result.

    The cost is recorded every ``record_every`` iterations; at every ``redraw_every``-th
    iteration and at the end, redraw(parameters, costs, accuracies) is called with the
    parameters of that iteration, the costs [[i, J], ...] so far and {"train", "test"}
    accuracies. The returned parameters and costs are those of ``models.train_<backend>``.
    ``data``: load_data(settings), if already loaded.
    Raises ValueError for bad settings, stopping.Diverged when the cost blows up."""
    check_settings(settings)
    data = load_data(settings) if data is None else data
    start = models.initial_parameters("shallow", [data.n_x, settings.hidden_units, 1],
                                      init="randn", seed=settings.seed)
    record_every, redraw_every = schedule(settings.iterations, record_every, redraw_every)
    costs = []

    def on_record(i, J, state):
        costs.append([i, J])
        if redraw is not None and (i % redraw_every == 0 or i == settings.iterations):
            # the NumPy loop's own arrays (updated in place): keep a copy
            parameters = {k: np.array(v, copy=True) for k, v in state.items()}
            redraw(parameters, list(costs), _accuracies(data, parameters, settings.activation))

    fit = models.train_numpy if settings.backend == "numpy" else models.train_tf
    parameters, costs_run = fit("shallow", data.X_train, data.Y_train, start,
                                settings.learning_rate, settings.iterations, settings.activation,
                                record_every=record_every, on_record=on_record)
    return Result(settings, data, parameters, costs_run,
                  _accuracies(data, parameters, settings.activation))


def new_figure():
    """A figure with two axes (boundary, cost), drawn by Agg: it is never shown by pyplot, so
    a notebook displays only what ``show`` hands it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(10, 4.2))
    FigureCanvasAgg(fig)
    fig.add_subplot(1, 2, 1)
    fig.add_subplot(1, 2, 2)
    return fig


def draw(fig, settings, data, parameters, costs, accuracies, steps=120):
    """Redraw ``fig`` (from new_figure): the boundary ŷ > 0.5 of ``parameters`` over the
    training set, and the cost curve of ``costs``. ``steps``: grid points per axis."""
    ax_boundary, ax_cost = fig.axes
    ax_boundary.clear()
    ax_cost.clear()
    plots.decision_boundary(
        lambda X: models.predict_proba("shallow", parameters, X, settings.activation) > 0.5,
        data.X_train, data.Y_train, ax=ax_boundary, steps=steps,
        title="iteration %d: train %.2f, test %.2f"
              % (costs[-1][0], accuracies["train"], accuracies["test"]))
    plots.cost_curve(costs, ax=ax_cost, title="%s, n_h = %d, %s, α = %g, %s" % (
        settings.dataset, settings.hidden_units, settings.activation, settings.learning_rate,
        settings.backend))
    ax_cost.set_xlim(0, settings.iterations)
    fig.tight_layout()
    return fig


def figure_png(fig, dpi=72):
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def play(settings=DEFAULTS, show=None, record_every=None, redraw_every=None):
    """``train`` with each redraw drawn into one figure and handed to show(fig) (if given).
    Returns (Result, the figure at the end)."""
    data = load_data(settings)
    fig = new_figure()

    def redraw(parameters, costs, accuracies):
        draw(fig, settings, data, parameters, costs, accuracies)
        if show is not None:
            show(fig)

    return train(settings, redraw, record_every, redraw_every, data), fig


def live_display():
    """A show(fig) for a notebook cell: the first call displays the figure as a PNG image, the
    next ones replace it in place (an IPython display handle), so training animates it."""
    from IPython.display import Image, display
    handle = []

    def show(fig):
        image = Image(data=figure_png(fig), format="png")
        if handle:
            handle[0].update(image)
        else:
            handle.append(display(image, display_id=True))
    return show


def summary(result):
    """One line: the final cost and accuracies of a Result."""
    return "final cost %.4f after %d iterations; accuracy: train %.3f, test %.3f" % (
        result.costs[-1][1], result.costs[-1][0], result.accuracies["train"],
        result.accuracies["test"])


def widget(settings=DEFAULTS):
    """The playground as ipywidgets (7 or 8): controls, a Train button, the figure (an Image
    widget, replaced at each redraw while training runs) and an output area for the summary or
    the error. Returns the VBox to display."""
    import ipywidgets as w
    check_settings(settings)
    style = {"description_width": "initial"}
    controls = collections.OrderedDict([
        ("dataset", w.Dropdown(options=DATASETS, value=settings.dataset, description="dataset")),
        ("hidden_units", w.IntSlider(value=settings.hidden_units, min=1, max=50,
                                     description="hidden units n_h", style=style)),
        ("activation", w.Dropdown(options=activations.HIDDEN_ACTIVATIONS,
                                  value=settings.activation, description="activation g")),
        ("learning_rate", w.Dropdown(options=sorted(set(LEARNING_RATES) | {settings.learning_rate}),
                                     value=settings.learning_rate, description="α")),
        ("iterations", w.IntSlider(value=settings.iterations, min=100, max=10000, step=100,
                                   description="iterations")),
        ("backend", w.ToggleButtons(options=models.BACKENDS, value=settings.backend,
                                    description="backend")),
        ("seed", w.BoundedIntText(value=settings.seed, min=0, max=10 ** 6, description="seed")),
    ])
    button = w.Button(description="Train", button_style="primary", icon="play")
    image = w.Image(format="png", value=b"")
    output = w.Output()

    def show(fig):
        image.value = figure_png(fig)

    def on_click(_):
        chosen = Settings(**{name: c.value for name, c in controls.items()})
        button.disabled = True
        output.clear_output()
        try:
            with output:
                print(_run_for_widget(chosen, show))
        finally:
            button.disabled = False

    button.on_click(on_click)
    rows = list(controls.values())
    return w.VBox([w.HBox(rows[:4]), w.HBox(rows[4:] + [button]), image, output])


def _run_for_widget(settings, show):
    """play() for the Train button: the summary line, or the reason training stopped."""
    from tf_models import stopping
    try:
        return summary(play(settings, show)[0])
    except stopping.Interrupted as e:
        return "interrupted at iteration %d" % e.iteration
    except ValueError as e:  # bad settings, or stopping.Diverged: the message says what to change
        return "error: %s" % e
