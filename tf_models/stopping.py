"""Stopping a training run early without losing it: divergence and Ctrl-C.

Both training loops (``reference.gradient_descent.run`` and ``graphs.session.train``) run inside
a ``Guard``. At each record (every ``record_every`` iterations) they hand it the cost J and the
current parameters:

- **divergence**: J is NaN or inf, a parameter is NaN or inf, or J > DIVERGENCE_FACTOR ·
  max(J₀, ln 2), J₀ the first recorded cost. Training stops with ``Diverged`` (a ValueError,
  so the scripts print it as ``error: ...`` and exit 2), naming the learning rate as the likely
  cause and carrying the **last good** parameters and costs (those of the previous record).
  The cost is computed stably from the logits, so a too-large α shows up as a cost thousands of
  times the starting one long before any NaN.
- **Ctrl-C** (SIGINT): the Guard's handler only notes the request; the loop stops at the next
  iteration boundary (NumPy) or record (TF: after the running ``Session.run`` returns), so the
  parameters are those after the last *completed* update. It raises ``Interrupted`` (a
  KeyboardInterrupt) carrying them. A second Ctrl-C stops at once with the last recorded ones.

``app.execute`` saves what either exception carries and marks metrics.json ``"status"``
``"diverged"`` or ``"interrupted"``.
"""
import math
import signal
import sys
import threading

import numpy as np

DIVERGENCE_FACTOR = 1e3  # "orders of magnitude": J above 1000 × the starting cost


class TrainingStopped(object):
    """What a stopped run leaves: ``parameters`` (last good, or None), ``costs`` ([[i, J], ...],
    finite values only), ``iteration`` (the iteration those parameters belong to), ``status``."""
    status = "stopped"

    def _fill(self, parameters, costs, iteration):
        self.parameters, self.costs, self.iteration = parameters, list(costs), iteration


class Diverged(TrainingStopped, ValueError):
    """Training diverged; a ValueError whose message names the cause and what to change."""
    status = "diverged"

    def __init__(self, message, parameters, costs, iteration):
        ValueError.__init__(self, message)
        self._fill(parameters, costs, iteration)


class Interrupted(TrainingStopped, KeyboardInterrupt):
    """Training was interrupted (Ctrl-C); a KeyboardInterrupt carrying the parameters so far."""
    status = "interrupted"

    def __init__(self, message, parameters, costs, iteration):
        KeyboardInterrupt.__init__(self, message)
        self._fill(parameters, costs, iteration)


def _copy(parameters):
    return {k: np.array(v, copy=True) if np.ndim(v) else v for k, v in parameters.items()}


def _all_finite(parameters):
    return all(np.isfinite(v).all() for v in parameters.values())


class Guard(object):
    """Divergence check and deferred Ctrl-C for one training loop (a context manager).

        with Guard(learning_rate) as guard:
            ... guard.check(i, J, parameters, costs)  at each record (raises Diverged)
            ... if guard.stop_requested: guard.interrupt(i, parameters, costs)
    """

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.J0 = None
        self.last_good = None        # (iteration, parameters copy)
        self.costs = []
        self.stop_requested = False
        self._previous_handler = None

    # ---- divergence ------------------------------------------------------------------------
    def check(self, i, J, parameters, costs):
        """Raise Diverged if J or the parameters at iteration i show divergence; otherwise keep
        a copy of them as the last good state. ``costs`` are the records before this one."""
        if self.J0 is None and math.isfinite(J):
            self.J0 = J
        reason = self._divergence(J, parameters)
        if reason is not None:
            raise self._diverged(i, reason, costs)
        self.last_good = (i, _copy(parameters))
        self.costs = list(costs) + [[i, J]]

    def _divergence(self, J, parameters):
        if not math.isfinite(J):
            return "the cost became %s" % J
        if not _all_finite(parameters):
            return "the parameters became NaN or inf"
        limit = DIVERGENCE_FACTOR * max(self.J0, math.log(2))
        if J > limit:
            return "the cost grew from %.4g to %.4g (over %g× the starting cost)" % (
                self.J0, J, DIVERGENCE_FACTOR)
        return None

    def _diverged(self, i, reason, costs):
        lr = self.learning_rate
        if self.last_good is None:
            where = "no good parameters to keep (the starting ones are already too large)"
            params, good_i = None, None
        else:
            good_i, params = self.last_good
            where = "kept the last good parameters, from iteration %d" % good_i
        message = ("training diverged at iteration %d: %s; the learning rate %g is probably too "
                   "large, try one at least 10 times smaller (%g); %s" % (i, reason, lr, lr / 10, where))
        return Diverged(message, params, [c for c in costs if math.isfinite(c[1])], good_i)

    # ---- Ctrl-C ------------------------------------------------------------------------------
    def interrupt(self, i, parameters, costs):
        """Raise Interrupted with the parameters after i completed iterations (copied)."""
        raise Interrupted("interrupted at iteration %d" % i, _copy(parameters), costs, i)

    def _on_sigint(self, signum, frame):
        self.stop_requested = True
        signal.signal(signal.SIGINT, self._previous_handler)  # a second Ctrl-C acts at once
        sys.stderr.write("Ctrl-C: stopping after the current step and saving "
                         "(press Ctrl-C again to quit at once)\n")

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if callable(previous):  # not SIG_IGN / SIG_DFL / a handler set outside Python
                self._previous_handler = previous
                signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
            self._previous_handler = None
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt) \
                and not isinstance(exc, Interrupted):
            # A second Ctrl-C (or one outside our handler): fall back to the last record.
            i, params = self.last_good if self.last_good else (None, None)
            raise Interrupted("interrupted; kept the parameters of iteration %s" % i, params,
                              self.costs, i)
        return False
