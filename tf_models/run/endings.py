"""How a script ends: one line and an exit status for every way (see EXIT_STATUSES).

    run(body, *args)   call a script's body with the stop path installed (app.signals); its
                       return value is the status, an exception ends it as ``ending`` says
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


def run(body, *args, **kw):
    """``body(*args, **kw)`` as a script: SIGINT/SIGTERM through the stop path, any exception
    turned into one line and a status. Returns the exit status."""
    signals.install()
    try:
        status = body(*args, **kw)
    except BaseException as e:
        return ending(e)
    finally:
        signals.settle()
    return finish(status or 0)


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


def fail(message, status=2):
    """Print ``error: <message>`` on one line to stderr; return ``status``."""
    console.warn("error: %s" % one_line(message))
    return status
