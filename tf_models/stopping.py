"""Stopping a training run early without losing it: divergence and Ctrl-C, and its progress.

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
  rate may be too large), once per loop, or once per run when the loop trains for one.
- **a stop request** (Ctrl-C, SIGTERM): the loop stops at the next iteration boundary (NumPy) or
  between two bounded chunks of steps (TF, at most about half a second each), so the parameters
  are those after the last *completed* update. It raises ``Interrupted`` (a KeyboardInterrupt)
  carrying them and the signal.

Who requests the stop: ``hooks``, the training run the loop trains for (``transaction.Run``),
when there is one; the loop also offers it each boundary to keep its progress on disk. A loop
without one (a library call: a notebook, a test) answers Ctrl-C itself while it runs, where
nothing else handles SIGINT; then a second Ctrl-C stops at once with the last recorded
parameters.

``hooks`` provides: ``signum`` (the pending stop request, or None), ``start`` (the iteration
the loop's first step is in the whole run: 0, or where a resumed run goes on; records fall on the
multiples of ``record_every`` counted from the run's beginning, so a run resumed from anywhere
records where an unbroken one does), ``loop_started()`` and ``loop_ended()``, ``first_rising()``
(True once per run), and ``keep_progress(i, fetch, costs, at_record)`` (``fetch()`` gives the
parameters after i updates).

``execute`` saves what either exception carries and marks metrics.json ``"status"``
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
    """Divergence check, stop requests and progress for one training loop (a context manager).

        with Guard(learning_rate, hooks) as guard:
            ... guard.check(i, J, parameters, costs)  at each record (raises Diverged)
            ... if guard.stop_requested: guard.interrupt(i, parameters, costs)
            ... guard.keep_progress(i, fetch, costs, at_record)   at each boundary
    """

    def __init__(self, learning_rate, hooks=None):
        self.learning_rate = learning_rate
        self.hooks = hooks
        self.J0 = None
        self.last_good = None        # (iteration, parameters copy)
        self.costs = []
        self.rising_warned = False
        self.signum = None           # a library call's own stop request
        self._requests = hooks if hooks is not None else self  # whose ``signum`` stops the loop
        self.start = hooks.start if hooks is not None else 0
        # keep_progress(i, fetch, costs, at_record): at every boundary, so one call, not two
        self.keep_progress = hooks.keep_progress if hooks is not None else _no_progress
        self._previous_handler = None

    @property
    def stop_requested(self):
        """True once a stop was requested (Ctrl-C, SIGTERM)."""
        return self._requests.signum is not None

    def next_record(self, i, record_every, num_iterations):
        """The loop's first record after iteration i (its last iteration at the latest)."""
        return min(i + record_every - (self.start + i) % record_every, num_iterations)

    # ---- divergence ------------------------------------------------------------------------
    def check(self, i, J, parameters, costs):
        """Raise Diverged if J or the parameters at iteration i show divergence; otherwise keep
        a copy of them as the last good state. ``costs`` are the records before this one."""
        if self.J0 is None and math.isfinite(J):
            self.J0 = J
        reason = self._divergence(J, parameters)
        if reason is not None:
            raise self._diverged(i, reason, costs)
        if J > self.J0 and not self.rising_warned:
            self.rising_warned = True
            if self.hooks is None or self.hooks.first_rising():
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
        signum = self._requests.signum or signal.SIGINT
        raise Interrupted("%s at iteration %d" % (_stopped_by(signum), i), _copy(parameters),
                          costs, i, signum)

    def _on_sigint(self, signum, frame):
        if self.signum is None:
            self.signum = signum
        signal.signal(signal.SIGINT, self._previous_handler)  # a second Ctrl-C acts at once
        _warn("Ctrl-C: stopping after the current step and saving "
              "(press Ctrl-C again to quit at once)")

    def __enter__(self):
        if self.hooks is not None:
            self.hooks.loop_started()
            return self
        # A library call answers Ctrl-C itself where Python's own answer (KeyboardInterrupt) is
        # in place: the interpreter, a notebook's cell. A handler someone else set stays.
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous_handler = signal.default_int_handler
            signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.hooks is not None:
            self.hooks.loop_ended()
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
            self._previous_handler = None
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt) \
                and not isinstance(exc, Interrupted):
            # A second Ctrl-C (or one outside our handler): fall back to the last record.
            i, params = self.last_good if self.last_good else (None, None)
            raise Interrupted("interrupted; kept the parameters of iteration %s" % i, params,
                              self.costs, i, getattr(exc, "signum", signal.SIGINT), exact=False)
        return False


def _no_progress(i, fetch, costs, at_record):
    """A library call's loop keeps no progress on disk."""


def _stopped_by(signum):
    return "terminated (SIGTERM)" if signum == signal.SIGTERM else "interrupted"


def _warn(line):
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or full: the warning is not worth the run
        pass
