"""NumPy against TensorFlow: train both from the same start on the same data, step by step.

Both backends start from one set of NumPy parameters (``models.initial_parameters``), so any
difference between them is the arithmetic alone: the order in which sums are added, BLAS against
Eigen, fused or separate operations. ``compare`` trains the NumPy reference and the TF graph for the
same number of iterations, takes a snapshot of both sets of parameters every ``record_every``
iterations, and reports for each snapshot

    J_numpy, J_tf        the two costs
    |Δθ|                 max over all parameters and entries of |θ_numpy − θ_tf|

and whether the largest |Δθ| stays within the tolerance of the dtype (``TOLERANCE``).

Tolerance, relative to the size of the parameters (|Δθ| ≤ tolerance · max(1, max |θ|)):

    float64   1e-10   machine ε is 2.2e-16. Measured over 5000 iterations of each model's default
                      problem: logistic 3e-16, shallow 9e-15, deep 4e-15 (docs/demos.md), so 1e-10
                      leaves a margin of 10^4 while a wrong formula (the text's (1 − A)² for tanh',
                      a missing 1/m) shows up as 1e-3 or more within a few steps.
    float32   1e-2    machine ε is 1.2e-7. In the same runs: logistic 4e-7, shallow 5e-6; the deep
                      ReLU network agrees to 1e-6 for 2500 steps, then jumps to ~1e-3: some
                      example's Z of a ReLU unit lies within rounding of 0, the two backends take
                      different sides of the kink, and from then on they train slightly different
                      networks. That is float32 being float32, not a bug, so the bound sits above it;
                      it still catches a real disagreement (--perturb 0.1 exceeds it).
"""
import numpy as np

from tf_models import models, settings
from tf_models.parameters import check as check_parameters

TOLERANCE = {"float64": 1e-10, "float32": 1e-2}


class Comparison(object):
    """The outcome of ``compare``.

    rows        [{"iteration", "J_numpy", "J_tf", "diff", "parameter", "scale"}, ...], one per snapshot;
                ``diff`` is max |θ_numpy − θ_tf| and ``parameter`` the name where it occurs
    max_diff    the largest ``diff`` of all rows;  worst: the row it comes from
    tolerance   the relative tolerance used;  ok: every row has diff ≤ tolerance · scale
    """

    def __init__(self, rows, tolerance):
        self.rows = rows
        self.tolerance = tolerance
        self.worst = max(rows, key=lambda r: r["diff"])
        self.max_diff = self.worst["diff"]
        self.ok = all(r["diff"] <= tolerance * r["scale"] for r in rows)

    def costs(self, backend):
        """[[i, J], ...] of one backend ("numpy" or "tf")."""
        return [[r["iteration"], r["J_" + backend]] for r in self.rows]


def parameter_difference(theta_a, theta_b):
    """(max |θ_a − θ_b| over all parameters and entries, the name where it occurs, max(1, max |θ_b|))."""
    worst, name, scale = 0.0, None, 1.0
    for key in sorted(theta_a):
        a = np.asarray(theta_a[key], dtype=np.float64)
        b = np.asarray(theta_b[key], dtype=np.float64)
        d = float(np.max(np.abs(a - b))) if a.size else 0.0
        if name is None or d > worst:
            worst, name = d, key
        scale = max(scale, float(np.max(np.abs(b))) if b.size else 0.0)
    return worst, name, scale


def _snapshot(parameters):
    return {k: np.array(v, copy=True) for k, v in parameters.items()}


def compare(model, X, Y, parameters, learning_rate, num_iterations, activation=None,
            record_every=100, tolerance=None, tf_parameters=None, on_row=None):
    """Train both backends and compare them at every record. Returns a ``Comparison``.

    X (n_x, m) and Y (1, m) in the dtype to compare (float32 or float64); ``parameters`` from
    ``models.initial_parameters`` in the same dtype. ``tolerance`` defaults to TOLERANCE[dtype].
    ``tf_parameters``: start the TF graph from these instead (only to show that the check catches
    a difference; a real comparison leaves it None). ``on_row(row)`` is called as each row is ready.
    """
    dtype = settings.check_dtype(X.dtype).name
    if tolerance is None:
        tolerance = TOLERANCE[dtype]
    training = models.training(model, learning_rate, num_iterations, activation, record_every)
    numpy_records = {}

    def keep_numpy(i, J, theta):
        numpy_records[i] = (J, _snapshot(theta))  # the trainer updates its arrays in place

    models.fit(training, "numpy", X, Y, parameters, on_record=keep_numpy)

    from tf_models.graphs import session  # imports TensorFlow: only when it is needed
    _, start = check_parameters(models.get(model), parameters if tf_parameters is None
                             else tf_parameters, X.shape[0], X.dtype)
    graph = models.graph_of(training, start, X.dtype)
    rows = []

    def compare_tf(i, J, theta_tf):
        J_numpy, theta_numpy = numpy_records[i]
        diff, name, scale = parameter_difference(theta_numpy, theta_tf)
        row = {"iteration": i, "J_numpy": J_numpy, "J_tf": float(J), "diff": diff,
               "parameter": name, "scale": scale}
        rows.append(row)
        if on_row is not None:
            on_row(row)

    session.fit(graph, X, Y, training, on_record=compare_tf)
    return Comparison(rows, tolerance)


def compare_dataset(model, dataset="default", dtype="float64", num_iterations=1000,
                    learning_rate=None, record_every=100, seed=1, tolerance=None,
                    perturb=0.0, on_row=None):
    """``compare`` on a built-in dataset's training split with the model's defaults
    (``models.REGISTRY``: the training scripts' dataset, architecture, initialization and α).

    ``perturb``: add this to the first weight (W1[0, 0] or w[0, 0]) of the TF copy only, to see what
    a real disagreement looks like. Returns the ``Comparison``.
    """
    d = models.get(model).defaults
    from tf_models import datasets
    name = d.dataset if dataset in (None, "default") else dataset
    ds = datasets.load_dataset(name, seed=seed).astype(dtype)
    layer_dims = [ds.n_x] + list(d.hidden_dims) + [1]
    parameters = models.initial_parameters(model, layer_dims, d.init, seed, dtype)
    tf_parameters = None
    if perturb:
        tf_parameters = _snapshot(parameters)
        first = "W1" if "W1" in tf_parameters else "w"  # the first layer's weights
        tf_parameters[first][0, 0] += perturb
    alpha = d.learning_rate if learning_rate is None else learning_rate
    return compare(model, ds.X_train, ds.Y_train, parameters, alpha, num_iterations,
                   d.activation, record_every, tolerance, tf_parameters, on_row)


# ---- reporting --------------------------------------------------------------------------------

HEADER = "%9s  %20s  %20s  %10s  %s" % ("iteration", "J (NumPy)", "J (TF)", "max |Δθ|", "where")


def format_row(row):
    """One line of the table: iteration, both costs, the largest parameter difference and where."""
    return "%9d  %20.15f  %20.15f  %10.3e  %s" % (row["iteration"], row["J_numpy"], row["J_tf"],
                                                  row["diff"], row["parameter"])


def summary(result):
    """The final line: the largest difference seen, against the tolerance."""
    w = result.worst
    verdict = "OK" if result.ok else "EXCEEDS the tolerance"
    return ("largest parameter difference: %.3e (%s at iteration %d); tolerance %.0e × max(1, max|θ|) "
            "= %.3e: %s" % (result.max_diff, w["parameter"], w["iteration"], result.tolerance,
                            result.tolerance * w["scale"], verdict))


def plot(result, path=None, title="NumPy vs TensorFlow"):
    """Two panels: both cost curves; max |Δθ| and |ΔJ| on a log scale with the tolerance line.

    Saved to ``path`` (and closed) when given; returns the figure (a notebook shows it inline)."""
    from tf_models import plots
    plt = plots.plt
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6.5), sharex=True)
    it = np.array([r["iteration"] for r in result.rows], dtype=float)
    top.plot(it, [r["J_numpy"] for r in result.rows], "-", lw=2.5, color="#1f77b4", label="NumPy")
    top.plot(it, [r["J_tf"] for r in result.rows], "--", lw=1.5, color="#ff7f0e", label="TensorFlow")
    top.set_ylabel("cost J")
    top.set_title(title)
    top.legend()
    # An exact 0 has no place on a log axis: such points are left out (the table shows them).
    for values, style, label in (([r["diff"] for r in result.rows], "o-", "max |Δθ|"),
                                 ([abs(r["J_numpy"] - r["J_tf"]) for r in result.rows], "s:", "|ΔJ|")):
        v = np.array(values, dtype=float)
        bottom.plot(it, np.where(v > 0, v, np.nan), style, ms=3, label=label)
    tol = [result.tolerance * r["scale"] for r in result.rows]
    bottom.plot(it, tol, "k--", lw=1, label="tolerance")
    bottom.set_yscale("log")
    bottom.set_xlabel("iteration")
    bottom.set_ylabel("NumPy − TF (absolute)")
    bottom.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=90)
        plt.close(fig)
    return fig
