"""How a script ends: one line and an exit status for every way (see EXIT_STATUSES).

    run(body, *args)   call a script's body with SIGINT and SIGTERM answered (by a ``Script``,
                       or the training run given as ``answer``); returns the exit status
    Script             a script's answer to the signals, and its final status
    ending(e)          the one stderr line and the status for an exception
    finish(status)     the status once the work is done (stdout checked)
    fail(message)      print ``error: <message>``, return 2
"""
import os

from tf_models.run import console, signals

EXIT_STATUSES = ("exit status: 0 success; 1 a bug (please report it); 2 bad input, divergence or "
                 "a failed write (one 'error:' line); 130 Ctrl-C; 143 SIGTERM")


def one_line(text):
    """``text`` on a single line: a file name or value holding a line break cannot split the
    ``error:`` line that tools and tests read."""
    return " ".join(text.splitlines())


class Script(object):
    """A script's answer to SIGINT and SIGTERM. While it works, the first one stops it at once
    (``signals.Stopped``, raised where it runs); after that, and once it is done (``settle``),
    a signal is only noted (``signum``), and ``final_status`` turns a success into 128 + it."""

    def __init__(self):
        self.signum = None    # the first signal received
        self.working = True   # a signal now stops the script at once

    def answer(self, signum):
        if self.signum is None:
            self.signum = signum
        if self.working:
            self.working = False  # one stop: the script's ending is never interrupted
            raise signals.Stopped(signum)

    def settle(self):
        """The work is over: from now on a signal is noted, never raised."""
        self.working = False

    def final_status(self, status):
        """``status``, or 128 + the signal when one came after the work succeeded."""
        if status == 0 and self.signum is not None:
            console.warn("%s after the work was done; %s" % (signals.name(self.signum),
                                                               self.what_was_kept()))
            return signals.exit_status(self.signum)
        return status

    def what_was_kept(self):
        return "its outputs are complete"


def run(body, *args, **kw):
    """``body(*args, **kw)`` as a script; returns the exit status. SIGINT and SIGTERM go to
    ``answer`` (keyword; default a new ``Script``) until the status is decided; an exception
    becomes one line and a status (``ending``). Handlers and mask are put back afterwards."""
    answer = kw.pop("answer", None) or Script()
    with signals.answered_by(answer.answer) as answering:
        try:
            try:
                answering.listen()
                status = body(*args, **kw) or 0
            finally:
                answer.settle()  # a signal raised before this line is caught just below
        except SystemExit:
            raise
        except BaseException as e:
            status = ending(e)
        return finish(answer.final_status(status))


def finish(status=0):
    """The exit status of a script that did its work: ``status``, or 2 with one line when its
    standard output failed (a closed pipe is the reader's choice, not a failure)."""
    console.finish_stdout()
    problem = console.stdout_failure()
    if problem and status == 0:
        return fail("%s; the run itself completed" % problem)
    return status


def ending(e):
    """The one stderr line and exit status for an exception that ends a script."""
    if isinstance(e, SystemExit):
        raise e
    e = _unwrapped(e)
    if isinstance(e, KeyboardInterrupt):  # stopping.Interrupted / signals.Stopped say the rest
        signum = getattr(e, "signum", None)
        console.warn("%s" % one_line(str(e) or signals.name(signum)))
        return signals.exit_status(signum)
    if isinstance(e, ValueError):
        return fail(str(e) or type(e).__name__)
    if isinstance(e, MemoryError) or type(e).__name__ == "ResourceExhaustedError":
        return fail("not enough memory for this model and data; choose fewer units or a smaller "
                    "dataset")
    if os.environ.get("TF_MODELS_TRACEBACK"):
        raise e
    return fail("unexpected %s: %s (this is a bug: please report it; TF_MODELS_TRACEBACK=1 shows "
                "the traceback)" % (type(e).__name__, str(e)[:500]), status=1)


def _unwrapped(e):
    """The stop request behind a SystemError, else ``e``. On Python 3.6 a signal answered while a
    C function runs (``compile``, during a lazy import) comes out as "SystemError: <built-in
    function ...> returned a result with an error set", caused by the KeyboardInterrupt our
    handler raised: that is the Ctrl-C (or SIGTERM), not a bug."""
    if isinstance(e, SystemError):
        for cause in (e.__cause__, e.__context__):
            if isinstance(cause, KeyboardInterrupt):
                return cause
    return e


def fail(message, status=2):
    """Print ``error: <message>`` on one line to stderr; return ``status``."""
    console.warn("error: %s" % one_line(message))
    return status
