"""Initialization (1.4.3.3): the same network on the same data from five starting points.

    zeros     every W[l] = 0: all units of a layer compute the same thing and get the same gradient,
              so they stay identical (symmetry is never broken); with ReLU nothing moves at all
    randn     N(0, 1) · 0.01, the method the text describes (small, random, both signs)
    uniform   U[0, 1) · 0.01, the text's literal snippet ``np.random.rand(2, 2) * 0.01`` (ERRATA 5):
              all weights positive
    large     N(0, 1) · 10: tanh/sigmoid saturate, the first cost is huge
    he        N(0, 1) · √(2 / n[l−1]), scaled to the layer's width (made for ReLU)

Every run uses the same data, α and iterations; only ``initializers.initialize_parameters``'s
method changes. The costs are recorded from the logits, so even the huge starting cost of
``large`` is a finite number.
"""
from collections import OrderedDict

from tf_models import datasets, models
from tf_models.demos import common

METHODS = ("zeros", "randn", "uniform", "large", "he")


def initialization(methods=METHODS, activation="relu", hidden_dims=(10, 5), dataset="flower",
                   learning_rate=0.05, iterations=3000, record_every=50, seed=1, backend="numpy"):
    """Train the deep network [n_x, *hidden_dims, 1] once per initialization method.

    Returns an OrderedDict method -> {"costs": [[i, J], ...], "train_accuracy", "test_accuracy",
    "initial_parameters"}.
    """
    ds = datasets.load_dataset(dataset, seed=seed)
    layer_dims = [ds.n_x] + list(hidden_dims) + [1]
    out = OrderedDict()
    for method in methods:
        start = models.initial_parameters("deep", layer_dims, method, seed)
        trained, costs = models.train(backend, "deep", ds.X_train, ds.Y_train, start, learning_rate,
                                      iterations, activation, record_every)
        out[method] = {
            "costs": costs, "initial_parameters": start,
            "train_accuracy": models.accuracy("deep", trained, ds.X_train, ds.Y_train, activation),
            "test_accuracy": models.accuracy("deep", trained, ds.X_test, ds.Y_test, activation)}
    return out


def plot_initialization(results, titles, path=None):
    """One panel per entry of ``results`` (a list of ``initialization`` outputs): J (log scale)
    against the iteration for each method, the test accuracy in the legend."""
    from tf_models import plots
    fig, axes = plots.plt.subplots(1, len(results), figsize=(6.5 * len(results), 4.2), squeeze=False)
    for ax, result, title in zip(axes[0], results, titles):
        for method, r in result.items():
            plots.cost_curve(r["costs"], ax=ax, title=title,
                             label="%s (test acc %.2f)" % (method, r["test_accuracy"]))
        ax.set_yscale("log")
        for line in ax.get_lines():
            line.set_marker("")
        ax.legend(fontsize=9)
    return common.finish(fig, path)
