"""Figures for runs and notebooks: cost curves and decision boundaries (matplotlib, no display)."""
import os
import sys

import matplotlib

# Scripts and tests draw to files (no display needed); a notebook keeps its inline backend.
if "ipykernel" not in sys.modules and not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def cost_curve(costs, path=None, title="cost", label=None, ax=None):
    """Plot J against the iteration from [[i, J], ...]; save to ``path`` if given. Returns the figure."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 4))
    c = np.asarray(costs, dtype=float)
    ax.plot(c[:, 0], c[:, 1], marker=".", label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    ax.set_title(title)
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


def decision_boundary(predict, X, Y, path=None, title="decision boundary", ax=None, steps=200):
    """Colour the plane by predict(points (2, k)) -> (1, k) of 0/1 and scatter (X, Y) on it.

    ``steps``: grid points per axis (fewer draw faster, e.g. for TensorBoard images)."""
    if X.shape[0] != 2:
        raise ValueError("a decision boundary can be drawn for 2-D data only; X has %d features"
                         % X.shape[0])
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5, 5))
    grid, xx, yy = boundary_grid(X, steps)
    Z = np.asarray(predict(grid.astype(X.dtype))).reshape(xx.shape)
    ax.contourf(xx, yy, Z, cmap=plt.cm.Spectral, alpha=0.8)
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap=plt.cm.Spectral, s=12, edgecolors="k",
               linewidths=0.3)
    ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if path:
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return fig


def figure_to_png(fig):
    """The figure as PNG bytes (for TensorBoard image summaries); closes it."""
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    return buf.getvalue()
