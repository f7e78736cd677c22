"""One stop path for a script: Ctrl-C (SIGINT) and SIGTERM, at any moment of a run.

``install()`` makes both signals requests (``stopping.request_stop``):

- before training starts (flags, data, graph): nothing is trained yet, so the run stops at once
  (``Stopped``, a KeyboardInterrupt) and leaves nothing behind;
- while a training loop runs: the loop stops at its next boundary (within about a second) and
  raises ``stopping.Interrupted`` with the parameters; the run saves them;
- after the loop (checkpoints, params.h5, metrics.json, pictures): the signal is noted and the
  saving finishes untouched, so a second Ctrl-C can never leave a half-written file.

The script then exits with ``exit_status(signum)``: 130 after SIGINT, 143 after SIGTERM
(128 + the signal number, as a shell reports a process killed by it).
"""
import os
import signal
import sys
import threading

from tf_models.run import stopping
from tf_models.run import console

SIGNALS = (signal.SIGINT, signal.SIGTERM)
STATE = {"phase": "setup", "installed": False, "previous": None}
PROGRAMS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))))  # the project's root: its scripts/ and benchmarks/ are the programs


class Stopped(KeyboardInterrupt):
    """A stop before any training: nothing to save. ``signum`` says which signal."""

    def __init__(self, signum):
        KeyboardInterrupt.__init__(self, "%s before training started; nothing was trained or saved"
                                   % name(signum))
        self.signum = signum


def name(signum):
    """"interrupted (Ctrl-C)" or "terminated (SIGTERM)"."""
    return "terminated (SIGTERM)" if signum == signal.SIGTERM else "interrupted (Ctrl-C)"


def exit_status(signum):
    """130 for SIGINT, 143 for SIGTERM."""
    return 128 + int(signum or signal.SIGINT)


def install():
    """Route SIGINT and SIGTERM of this process through the stop path (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, _handle)
    stopping.STATE.update(managed=True, signum=None, started=False)
    STATE.update(phase="setup", installed=True, previous=previous)


def settle():
    """At the very end of a script. In a program that is about to exit (a script of scripts/ or
    benchmarks/ run as the main module): block both signals, so that one arriving while the
    interpreter shuts down (Python then restores the default SIGINT action) cannot turn the
    exit status just decided into a death by signal. Anywhere else (a test or a notebook that
    called the script's main): put the handlers and the stop state back as they were."""
    if not STATE["installed"]:
        return
    if _is_program() and hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        return
    for s, handler in (STATE["previous"] or {}).items():
        signal.signal(s, handler)
    stopping.STATE.update(managed=False, signum=None, training=False, started=False,
                          rising_warned=False)
    STATE.update(phase="setup", installed=False, previous=None)


def _is_program():
    """Whether the main module is one of the project's programs (it exits when main returns)."""
    main = os.path.abspath(getattr(sys.modules.get("__main__"), "__file__", None) or "")
    return os.path.dirname(os.path.dirname(main)) == PROGRAMS and \
        os.path.basename(os.path.dirname(main)) in ("scripts", "benchmarks")


def begin_saving():
    """From now on a signal never interrupts: it is noted and answered after the saving."""
    STATE["phase"] = "saving"


def _handle(signum, frame):
    first = stopping.stop_signal() is None
    stopping.request_stop(signum)
    if STATE["phase"] == "setup" and not stopping.STATE["started"]:
        raise Stopped(signum)
    if stopping.STATE["training"]:
        if first:
            console.warn("%s: stopping after the current steps and saving the parameters"
                         % name(signum))
    else:
        console.warn("%s: finishing the saving first" % name(signum))
