"""Figures for runs and notebooks: cost curves and decision boundaries (matplotlib, no display)."""
import os
import sys

import matplotlib

# Scripts and tests draw to files (no display needed); a notebook keeps its inline backend.
if "ipykernel" not in sys.modules and not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


# Class 0 and class 1, as the course draws them (0 red, 1 blue; it used the Spectral map), in the
# Okabe-Ito pair vermillion/blue, which stays distinct for red-green colour-blind readers and in
# grey; the predicted regions take light tints of the same two hues. Explicit colours, so the
# figures look the same under matplotlib 2.x and 3.x default styles.
CLASS_COLOURS = ("#D55E00", "#0072B2")
REGION_COLOURS = ("#FBE3D3", "#D5E6F4")
BOUNDARY_COLOUR = "0.25"
MARKERS = {"train": "o", "test": "^"}   # circles for training points, triangles for test points
FEW_POINTS = 25                         # a cost curve with at most this many records shows markers


def cost_curve(costs, path=None, title="cost", label=None, ax=None):
    """Plot J against the iteration from [[i, J], ...]; save to ``path`` if given. Returns the figure.

    A thin line; small markers only when there are few records (≤ FEW_POINTS), so that a curve of
    100+ records still shows its first drop clearly."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 4))
    c = np.asarray(costs, dtype=float).reshape(-1, 2)
    ax.plot(c[:, 0], c[:, 1], linewidth=1.2, label=label,
            marker="o" if len(c) <= FEW_POINTS else "", markersize=3)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    ax.set_title(title)
    ax.grid(True, linewidth=0.5, alpha=0.4)
    if label:
        ax.legend()
    if path:
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return fig


def boundary_grid(X, steps=200, margin=1.0):
    """A (2, steps²) grid of points covering X (2, m) with a margin, and its mesh arrays."""
    x_min, x_max = X[0].min() - margin, X[0].max() + margin
    y_min, y_max = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, steps), np.linspace(y_min, y_max, steps))
    return np.vstack([xx.ravel(), yy.ravel()]), xx, yy


def decision_boundary(predict, X, Y, path=None, title="decision boundary", ax=None, steps=200,
                      X_test=None, Y_test=None, class_names=None, legend=True):
    """Colour the plane by predict(points (2, k)) -> (1, k) of 0/1 and scatter (X, Y) on it.

    ``steps``: grid points per axis (fewer draw faster, e.g. for TensorBoard images).
    ``X_test`` (2, m_test), ``Y_test`` (1, m_test): test points, drawn as triangles beside the
    training points' circles. ``class_names``: the names of labels 0 and 1 in the legend
    (default "y = 0", "y = 1"); ``legend=False`` leaves the legend out."""
    if X.shape[0] != 2 or (X_test is not None and np.shape(X_test)[0] != 2):
        raise ValueError("a decision boundary can be drawn for 2-D data only; X has %d features"
                         % (X.shape[0] if X.shape[0] != 2 else np.shape(X_test)[0]))
    if (X_test is None) != (Y_test is None):
        raise ValueError("give both X_test and Y_test to draw the test points, or neither")
    names = tuple(class_names) if class_names is not None else ("y = 0", "y = 1")
    if len(names) != 2:
        raise ValueError("class_names must name the 2 classes (labels 0 and 1); got %r" % (names,))
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5.5, 5.5))
    shown = X if X_test is None else np.hstack([X, X_test])
    grid, xx, yy = boundary_grid(shown, steps)
    Z = np.asarray(predict(grid.astype(X.dtype))).reshape(xx.shape).astype(float)
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5], colors=REGION_COLOURS)
    if Z.min() < Z.max():
        ax.contour(xx, yy, Z, levels=[0.5], colors=BOUNDARY_COLOUR, linewidths=1.0)
    _scatter_classes(ax, X, Y, "train", names, X_test is not None)
    if X_test is not None:
        _scatter_classes(ax, X_test, Y_test, "test", names, True)
    ax.set_title(title)
    # Plain text with Unicode subscripts, not mathtext ("$x_1$"): matplotlib builds its mathtext
    # parser on first use, which costs a run about 0.2 s for two axis labels.
    ax.set_xlabel("x\u2081")
    ax.set_ylabel("x\u2082")
    if legend:
        ax.legend(loc="best", fontsize="small", framealpha=0.85)
    if path:
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return fig


def _scatter_classes(ax, X, Y, split, names, say_split):
    """Points of X (2, m) in their class colour, with the split's marker; one legend entry each."""
    labels = np.ravel(Y)
    for k in (0, 1):
        mask = labels == k
        ax.scatter(X[0, mask], X[1, mask], c=CLASS_COLOURS[k], marker=MARKERS[split],
                   s=16 if split == "train" else 30, edgecolors="k", linewidths=0.4,
                   label="%s (%s)" % (names[k], split) if say_split else names[k])


def figure_to_png(fig):
    """The figure as PNG bytes (for TensorBoard image summaries); closes it."""
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    return buf.getvalue()
