"""The learning rate α (1.2.2, a hyperparameter in 1.4.3.2): several values, one of them too large.

θ := θ − α dθ. Too small an α crawls; a good one falls quickly and smoothly; too large a step
jumps over the valley, so the cost goes up and down or climbs above where it started.
The cost is computed from the logits (``losses.cross_entropy_cost``), so a diverging run shows
large but finite numbers rather than NaN; ``status`` names what each curve did.
"""
import math
from collections import OrderedDict

from tf_models import datasets, models
from tf_models.demos import common

RATES = (0.01, 0.1, 1.2, 20.0, 100.0)


def status(costs):
    """What a run did, from its recorded costs [[i, J], ...]:

    "diverges"      the last finite J is above the first one, or J stopped being finite
    "oscillates"    it ends lower, but J went up between two records on the way
    "converges"     J never went up
    """
    J = [c for _, c in costs]
    if not all(math.isfinite(c) for c in J) or J[-1] > J[0]:
        return "diverges"
    if any(b > a * (1 + 1e-9) for a, b in zip(J, J[1:])):
        return "oscillates"
    return "converges"


def learning_rates(rates=RATES, model="shallow", dataset="flower", hidden_units=4,
                   activation="tanh", iterations=2000, record_every=20, seed=1, backend="numpy"):
    """Train ``model`` once per α from the same start. Returns an OrderedDict α -> {"costs",
    "status", "test_accuracy"}."""
    ds = datasets.load_dataset(dataset, seed=seed)
    hidden = [] if models.get(model).hidden_layers == 0 else [hidden_units]
    layer_dims = [ds.n_x] + hidden + [1]
    out = OrderedDict()
    for alpha in rates:
        start = models.initial_parameters(model, layer_dims, "randn", seed)
        trained, costs = models.train(backend, model, ds.X_train, ds.Y_train, start, alpha,
                                      iterations, activation, record_every)
        out[alpha] = {"costs": costs, "status": status(costs),
                      "test_accuracy": models.accuracy(model, trained, ds.X_test, ds.Y_test,
                                                       activation)}
    return out


def plot_learning_rates(results, path=None, title="learning rate α: shallow network on the flower"):
    """Cost curves, one per α, J on a log scale (a diverging run can be 100× the others).
    A non-finite J (not expected: the cost is stable) is left out of its curve."""
    from tf_models import plots
    fig, ax = plots.plt.subplots(figsize=(10, 4.5))
    for alpha, r in results.items():
        finite = [[i, J] for i, J in r["costs"] if math.isfinite(J)]
        plots.cost_curve(finite, ax=ax, title=title,
                         label="α = %g: %s (test acc %.2f)" % (alpha, r["status"], r["test_accuracy"]))
    for line in ax.get_lines():
        line.set_marker("")
    ax.set_yscale("log")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9)
    fig.subplots_adjust(left=0.08, right=0.64, bottom=0.12)
    return common.finish(fig, path, tight=False)
