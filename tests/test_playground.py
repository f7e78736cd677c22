"""The playground of notebook 1.3 (tf_models.learner.playground), without a browser.

Its training is checked against a direct ``models.train_<backend>`` run from the same start (it
must train the project's model, not a copy), its redraws against the schedule it is given, the
figure against the parameters and costs of the frame, and the widget's Train button by clicking it.
"""
import numpy as np
import pytest

from conftest import RTOL, assert_close_dicts
from tf_models import datasets, models
from tf_models.learner import playground

SHORT = playground.DEFAULTS._replace(iterations=300, hidden_units=3)


def direct_run(settings, record_every):
    """The same training done directly through tf_models.models, without the playground."""
    ds = datasets.load_dataset(settings.dataset, seed=settings.seed)
    start = models.initial_parameters("shallow", [ds.n_x, settings.hidden_units, 1], "randn",
                                      settings.seed)
    fit = models.train_numpy if settings.backend == "numpy" else models.train_tf
    return fit("shallow", ds.X_train, ds.Y_train, start, settings.learning_rate,
               settings.iterations, settings.activation, record_every=record_every)


@pytest.mark.parametrize("backend", models.BACKENDS)
def test_train_redraws_on_schedule_and_ends_where_a_direct_run_ends(backend):
    settings = SHORT._replace(backend=backend)
    frames = []
    result = playground.train(settings, lambda *frame: frames.append(frame), record_every=10,
                              redraw_every=100)
    # Redraws at iterations 0, 100, 200 and the final 300, each with the costs recorded so far.
    assert [costs[-1][0] for _, costs, _ in frames] == [0, 100, 200, 300]
    assert [len(costs) for _, costs, _ in frames] == [1, 11, 21, 31]
    # Playground vs direct models.train_<backend> from the same start: same parameters, costs.
    parameters, costs = direct_run(settings, record_every=10)
    assert_close_dicts(result.parameters, parameters, RTOL["float64"], "playground", "direct")
    np.testing.assert_allclose(np.asarray(result.costs), np.asarray(costs), rtol=RTOL["float64"])
    # The last frame shows the trained parameters (for TF: as read back from the session).
    last_parameters, last_costs, last_accuracies = frames[-1]
    assert_close_dicts(last_parameters, parameters, RTOL["float64"], "last frame", "direct")
    assert last_costs == result.costs
    train_accuracy = models.accuracy("shallow", parameters, result.data.X_train,
                                     result.data.Y_train, settings.activation)
    assert last_accuracies["train"] == result.accuracies["train"] == train_accuracy
    # The first frame shows the start, not the end: training moved the parameters.
    assert not np.allclose(frames[0][0]["W1"], last_parameters["W1"])


@pytest.mark.parametrize("backend", models.BACKENDS)
def test_play_draws_the_boundary_and_the_cost_curve_of_each_frame(backend):
    settings = SHORT._replace(backend=backend, dataset="moons")
    shown = []
    result, fig = playground.play(settings, show=lambda f: shown.append(playground.figure_png(f)),
                                  record_every=10, redraw_every=150)
    assert len(shown) == 3 and all(png.startswith(b"\x89PNG") for png in shown)
    ax_boundary, ax_cost = fig.axes
    # The boundary axes: the training points scattered over a filled contour of the prediction.
    X = result.data.X_train
    # (plots.decision_boundary scatters each class separately: together they are X's points)
    # (the filled regions are collections too, with no training point among their offsets; how
    # matplotlib stores a contour differs between 2.2, 3.5 and 3.8+)
    train = {tuple(row) for row in X.T.tolist()}
    offsets = [{tuple(row) for row in np.asarray(c.get_offsets()).tolist()}
               for c in ax_boundary.collections]
    scattered = [o for o in offsets if o & train]
    assert train <= set().union(*scattered), "training points missing"
    assert len(scattered) < len(offsets), "no filled decision regions under the points"
    # The cost axes: one line (redrawn, not accumulated) through every recorded cost.
    assert len(ax_cost.lines) == 1
    x, y = ax_cost.lines[0].get_data()
    np.testing.assert_array_equal(x, [i for i, _ in result.costs])
    np.testing.assert_array_equal(y, [J for _, J in result.costs])


def test_default_schedule_gives_about_100_costs_and_10_redraws():
    assert playground.schedule(2000) == (20, 200)
    assert playground.schedule(50) == (1, 5)


@pytest.mark.parametrize("change,message", [
    ({"dataset": "digits"},
     "unknown playground dataset 'digits'; choose one of: flower, moons, circles"),
    ({"backend": "torch"}, "unknown backend 'torch'; choose one of: tf, numpy"),
    ({"iterations": "300"}, "iterations must be a positive whole number, got '300'"),
    ({"iterations": 0}, "iterations must be a positive whole number, got 0"),
])
def test_bad_settings_are_refused_with_the_choices(change, message):
    with pytest.raises(ValueError) as e:
        playground.train(SHORT._replace(**change))
    assert str(e.value) == message


def test_redraw_interval_must_fall_on_a_record():
    with pytest.raises(ValueError, match="multiple of record_every"):
        playground.schedule(300, record_every=20, redraw_every=50)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        for w in _walk(child):
            yield w


def test_the_widget_trains_when_its_button_is_clicked(capsys):
    widgets = pytest.importorskip("ipywidgets")
    box = playground.widget()
    parts = list(_walk(box))
    button, = [w for w in parts if isinstance(w, widgets.Button)]
    image, = [w for w in parts if isinstance(w, widgets.Image)]
    controls = {w.description: w for w in parts
                if isinstance(w, widgets.ValueWidget) and getattr(w, "description", "")}
    assert set(controls) == {"dataset", "hidden units n_h", "activation g", "α", "iterations",
                             "backend", "seed"}
    controls["iterations"].value = 200
    controls["backend"].value = "tf"
    controls["dataset"].value = "circles"
    images = []
    image.observe(lambda change: images.append(bytes(change["new"])), "value")
    button.click()
    assert len(images) == 11  # 200 iterations: a redraw every 20, and the start
    assert all(png.startswith(b"\x89PNG") for png in images) and images[0] != images[-1]
    assert not button.disabled
    # Outside a kernel the Output widget captures nothing; the summary reaches stdout.
    assert "after 200 iterations" in capsys.readouterr().out
