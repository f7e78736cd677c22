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
- **a rising cost**: the first record whose J is above J₀ prints one warning line (the learning
  rate may be too large), once per loop; training goes on.
- **a stop request** (Ctrl-C, SIGTERM): ``request_stop(signum)`` only notes it; the loop stops at
  the next iteration boundary (NumPy) or between two bounded chunks of steps (TF, at most about
  half a second each), so the parameters are those after the last *completed* update. It raises
  ``Interrupted`` (a KeyboardInterrupt) carrying them and the signal. Without an application
  handler (``managed``), the Guard installs its own SIGINT handler for the loop; then a second
  Ctrl-C stops at once with the last recorded parameters.

``app.execute`` saves what either exception carries and marks metrics.json ``"status"``
``"diverged"`` or ``"interrupted"``.
"""
import math
import signal
import sys
import threading

import numpy as np

DIVERGENCE_FACTOR = 1e3  # "orders of magnitude": J above 1000 × the starting cost

# The process-wide stop request: the signal number, or None. ``managed`` is True while an
# application (app.signals) owns SIGINT and SIGTERM; ``training`` while a Guarded loop runs,
# ``started`` once one has begun.
STATE = {"signum": None, "managed": False, "training": False, "started": False}


def request_stop(signum=signal.SIGINT):
    """Ask the running training loop to stop at its next boundary (the first request counts)."""
    if STATE["signum"] is None:
        STATE["signum"] = signum


def stop_signal():
    """The signal number of the pending stop request, or None."""
    return STATE["signum"]


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

    def __init__(self, message, parameters, costs, iteration, signum=signal.SIGINT, exact=True):
        KeyboardInterrupt.__init__(self, message)
        self._fill(parameters, costs, iteration)
        self.signum = signum
        self.exact = exact  # True: the parameters are the loop's current ones (not a fallback)


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
        self.rising_warned = False
        self._previous_handler = None

    @property
    def stop_requested(self):
        """True once a stop was requested (Ctrl-C, SIGTERM)."""
        return STATE["signum"] is not None

    # ---- divergence ------------------------------------------------------------------------
    def check(self, i, J, parameters, costs):
        """Raise Diverged if J or the parameters at iteration i show divergence; otherwise keep
        a copy of them as the last good state. ``costs`` are the records before this one."""
        if self.J0 is None and math.isfinite(J):
            self.J0 = J
        reason = self._divergence(J, parameters)
        if reason is not None:
            raise self._diverged(i, reason, costs)
        if J > self.J0 and not self.rising_warned and not STATE.get("rising_warned"):
            self.rising_warned = True
            STATE["rising_warned"] = STATE["managed"]  # an application: once per process
            _warn("warning: the cost at iteration %d (%.6g) is above its starting value (%.6g); "
                  "the learning rate %g may be too large" % (i, J, self.J0, self.learning_rate))
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
        signum = STATE["signum"] or signal.SIGINT
        raise Interrupted("%s at iteration %d" % (_stopped_by(signum), i), _copy(parameters),
                          costs, i, signum)

    def _on_sigint(self, signum, frame):
        request_stop(signum)
        signal.signal(signal.SIGINT, self._previous_handler)  # a second Ctrl-C acts at once
        sys.stderr.write("Ctrl-C: stopping after the current step and saving "
                         "(press Ctrl-C again to quit at once)\n")

    def __enter__(self):
        STATE.update(training=True, started=True)
        if STATE["managed"]:
            return self
        STATE["signum"] = None  # a library call: an old request does not stop this loop
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if callable(previous):  # not SIG_IGN / SIG_DFL / a handler set outside Python
                self._previous_handler = previous
                signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, exc_type, exc, tb):
        STATE["training"] = False
        if not STATE["managed"]:
            STATE["signum"] = None
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
            self._previous_handler = None
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt) \
                and not isinstance(exc, Interrupted):
            # A second Ctrl-C (or one outside our handler): fall back to the last record.
            i, params = self.last_good if self.last_good else (None, None)
            raise Interrupted("interrupted; kept the parameters of iteration %s" % i, params,
                              self.costs, i, exact=False)
        return False


def _stopped_by(signum):
    return "terminated (SIGTERM)" if signum == signal.SIGTERM else "interrupted"


def _warn(line):
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or full: the warning is not worth the run
        pass
