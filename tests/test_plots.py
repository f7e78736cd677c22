"""The figures (tf_models.plots) show what they claim: checked on the matplotlib objects they
draw (legend texts, scatter markers, offsets and colours, line styles), not by image comparison.
"""
import numpy as np
import pytest
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.markers import MarkerStyle

from tf_models import plots

# Colour-vision deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1), applied
# to linear RGB: a colour pair that stays apart under all three reads for colour-blind viewers.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
APART = 0.6  # RGB distance (0 to sqrt 3) the two class colours keep under each simulation


def simulated(colour, kind):
    c = np.array(to_rgb(colour))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    out = np.clip(np.dot(CVD[kind], linear), 0, 1)
    return np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)


def min_cvd_distance(a, b):
    return min(np.linalg.norm(simulated(a, k) - simulated(b, k)) for k in CVD)


def two_classes(m=40, seed=0):
    """X (2, m) with Y (1, m): class 1 where x1 + x2 > 0."""
    X = np.random.RandomState(seed).randn(2, m)
    return X, (X.sum(axis=0, keepdims=True) > 0).astype(float)


def linear_rule(P):
    return P.sum(axis=0, keepdims=True) > 0


def scatters(ax):
    """{legend label: PathCollection} of the points drawn on ``ax``."""
    return {c.get_label(): c for c in ax.collections if not c.get_label().startswith("_")}


def Y_mask(Y, k):
    return np.ravel(Y) == k


def marker_vertices(name):
    m = MarkerStyle(name)
    return m.get_path().transformed(m.get_transform()).vertices


# ---- decision_boundary -------------------------------------------------------------------------

def test_legend_names_the_classes_and_the_splits():
    X, Y = two_classes()
    X_test, Y_test = two_classes(seed=1)
    fig = plots.decision_boundary(linear_rule, X, Y, X_test=X_test, Y_test=Y_test,
                                  class_names=("non-cat", "cat"))
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert texts == ["non-cat (train)", "cat (train)", "non-cat (test)", "cat (test)"]
    plots.plt.close(fig)


def test_without_test_points_or_names_the_legend_says_y_0_and_y_1():
    X, Y = two_classes()
    fig = plots.decision_boundary(linear_rule, X, Y)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["y = 0", "y = 1"]
    assert plots.decision_boundary(linear_rule, X, Y, legend=False).axes[0].get_legend() is None
    plots.plt.close("all")


def test_train_points_are_circles_and_test_points_triangles_each_in_their_class_colour():
    X, Y = two_classes()
    X_test, Y_test = two_classes(seed=1)
    fig = plots.decision_boundary(linear_rule, X, Y, X_test=X_test, Y_test=Y_test,
                                  class_names=("a", "b"))
    drawn = scatters(fig.axes[0])
    for split, data, labels, marker in (("train", X, Y, "o"), ("test", X_test, Y_test, "^")):
        for k, name in enumerate("ab"):
            points = drawn["%s (%s)" % (name, split)]
            np.testing.assert_array_equal(points.get_offsets(), data[:, Y_mask(labels, k)].T,
                                          err_msg="%s points of class %d" % (split, k))
            np.testing.assert_allclose(points.get_paths()[0].vertices, marker_vertices(marker),
                                       err_msg="%s marker" % split)
            np.testing.assert_allclose(points.get_facecolor()[0], to_rgba(plots.CLASS_COLOURS[k]))
    assert not np.allclose(marker_vertices("o")[:4], marker_vertices("^")[:4])
    plots.plt.close(fig)


def test_the_plot_covers_the_test_points_too():
    X, Y = two_classes()
    X_test = np.array([[6.0, -7.0], [5.0, 8.0]])
    fig = plots.decision_boundary(linear_rule, X, Y, X_test=X_test, Y_test=np.array([[1.0, 0.0]]))
    ax = fig.axes[0]
    assert ax.get_xlim()[0] < -7 and ax.get_xlim()[1] > 6 and ax.get_ylim()[1] > 8
    plots.plt.close(fig)


def test_class_colours_stay_apart_for_colour_blind_readers_and_are_not_spectral():
    a, b = plots.CLASS_COLOURS
    assert min_cvd_distance(a, b) >= APART, "class colours too close under a CVD simulation"
    # the same check rejects what it is meant to reject
    assert min_cvd_distance("#d62728", "#2ca02c") < APART, "red/green passed the CVD check"
    spectral = plots.plt.cm.Spectral
    assert min_cvd_distance(spectral(0.0), spectral(1.0)) < APART
    X, Y = two_classes()
    fig = plots.decision_boundary(linear_rule, X, Y)
    ax = fig.axes[0]
    assert all(getattr(c, "cmap", None) is not spectral for c in ax.collections)
    points = list(scatters(ax).values())
    faces = [rgba for c in ax.collections if c not in points for rgba in c.get_facecolor()]
    filled = np.array([rgba[:3] for rgba in faces if rgba[3] > 0])   # the predicted regions
    assert len(filled) >= 2
    # light regions: every filled colour is brighter than both point colours, so points stand out
    assert filled.mean(axis=1).min() > max(np.mean(to_rgb(c)) for c in plots.CLASS_COLOURS) + 0.3
    plots.plt.close(fig)


def test_decision_boundary_bad_arguments():
    X, Y = two_classes()
    with pytest.raises(ValueError, match="both X_test and Y_test"):
        plots.decision_boundary(linear_rule, X, Y, X_test=X)
    with pytest.raises(ValueError, match="class_names must name the 2 classes"):
        plots.decision_boundary(linear_rule, X, Y, class_names=("a", "b", "c"))
    with pytest.raises(ValueError, match="2-D data only; X has 3 features"):
        plots.decision_boundary(linear_rule, X, Y, X_test=np.zeros((3, 2)), Y_test=Y[:, :2])


# ---- cost_curve -------------------------------------------------------------------------------------

def test_a_long_cost_curve_is_a_thin_line_without_markers():
    costs = [[i * 10, 0.7 * np.exp(-i / 20.0)] for i in range(151)]
    fig = plots.cost_curve(costs)
    (line,) = fig.axes[0].get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [c[0] for c in costs])
    np.testing.assert_array_equal(line.get_ydata(), [c[1] for c in costs])
    assert line.get_marker() in ("", "None", None)
    assert line.get_linewidth() <= 1.5
    plots.plt.close(fig)


def test_a_short_cost_curve_marks_its_few_records():
    fig = plots.cost_curve([[0, 0.69], [100, 0.5], [200, 0.4]], label="α = 0.1")
    (line,) = fig.axes[0].get_lines()
    assert line.get_marker() == "o" and line.get_markersize() <= 4
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["α = 0.1"]
    plots.plt.close(fig)


def test_cost_curve_and_decision_boundary_write_pngs(tmp_path):
    X, Y = two_classes()
    for name, draw in (("cost.png", lambda p: plots.cost_curve([[0, 0.7], [1, 0.6]], p)),
                       ("boundary.png", lambda p: plots.decision_boundary(
                           linear_rule, X, Y, p, X_test=X, Y_test=Y))):
        path = str(tmp_path / name)
        draw(path)
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", name
