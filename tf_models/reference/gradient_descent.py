"""The training loop shared by the three NumPy models (course 1.2.2): full-batch steps of an
update rule, gradient descent θ := θ − α dθ by default (``tf_models.updates``)."""
import numpy as np

from tf_models import stopping
from tf_models.updates import GradientDescent


def update_parameters(parameters, grads, learning_rate):
    """θ := θ − α·dθ for every parameter, in place (the arrays belong to the training loop)."""
    return GradientDescent(learning_rate).apply(parameters, grads)


def run(propagate, cost_of, X, Y, parameters, update, num_iterations, record_every=100,
        on_record=None, hooks=None):
    """Train by full-batch gradient descent; returns (parameters, costs).

    propagate(parameters, X, Y) -> grads;  cost_of(parameters, X, Y) -> J;  update: an update
    rule (``tf_models.updates``, e.g. GradientDescent(α): θ := θ − α dθ).
    costs: [[i, J]] for the parameters *before* update i, every ``record_every`` iterations,
    plus [num_iterations, J] for the final parameters (a resumed run's loop also records its
    first iteration, then the multiples of ``record_every`` in the whole run). ``on_record(i, J, parameters)`` is called
    at each record. The caller's arrays are copied first, never modified. The inputs are trusted
    (``models.fit`` checks them). ``hooks``: the training run this loop trains for, or None
    (see tf_models.stopping): it stops the loop and keeps its progress on disk.

    Raises ``stopping.Diverged`` (a ValueError) when the cost or the parameters blow up, and
    ``stopping.Interrupted`` on Ctrl-C, each carrying the parameters to keep (see
    tf_models.stopping). NumPy's overflow warnings are silenced inside the loop: finite
    parameters never overflow, and a diverging step is reported by that check, in words.
    """
    parameters = {k: np.array(v, copy=True) if np.ndim(v) else v for k, v in parameters.items()}
    current = lambda: parameters  # noqa: E731 (the loop's own arrays, updated in place)
    costs = []
    with stopping.Guard(update.learning_rate, hooks) as guard, \
            np.errstate(over="ignore", invalid="ignore"):
        first = guard.start  # records fall on the multiples of record_every in the whole run
        for i in range(num_iterations):
            if guard.stop_requested:  # Ctrl-C: between two whole updates, never inside one
                _stop(guard, costs, i, cost_of(parameters, X, Y), parameters)
            at_record = (first + i) % record_every == 0 or i == 0
            if at_record:
                J = cost_of(parameters, X, Y)
                guard.check(i, J, parameters, costs)
                _record(costs, i, J, parameters, on_record)
            guard.keep_progress(i, current, costs, at_record)
            grads = propagate(parameters, X, Y)
            update.apply(parameters, grads)
        J = cost_of(parameters, X, Y)
        guard.check(num_iterations, J, parameters, costs)
        _record(costs, num_iterations, J, parameters, on_record)
    return parameters, costs


def _stop(guard, costs, i, J, parameters):
    """Ctrl-C after i updates: record [i, J] (unless diverged) and raise Interrupted."""
    guard.check(i, J, parameters, costs)
    costs.append([i, J])
    guard.interrupt(i, parameters, costs)


def _record(costs, i, J, parameters, on_record):
    costs.append([i, J])
    if on_record is not None:
        on_record(i, J, parameters)
