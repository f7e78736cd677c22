"""A script run as a program: SIGINT and SIGTERM held from its first line, and one way out.

Every script in ``scripts/`` reads

    from tf_models.run import program
    if __name__ == "__main__":
        program.begin()                  # before the imports below: they start threads
    from tf_models.run import cli        # noqa: E402
    ...
    def main(argv=None): ...             # also called in-process (tests, notebooks)
    if __name__ == "__main__":
        program.exit(main)

so that no signal, at any moment, becomes a death by signal or a traceback:

- ``begin`` blocks both signals in the main thread while no other thread exists yet. A thread
  inherits its creator's mask, so the threads the imports start (OpenBLAS's, at the NumPy
  import) never take one. A signal sent meanwhile waits; the script's answer
  (``endings.run``) lets it in once it is in place, and answers it then.
- ``exit`` runs ``main``, flushes stdout and stderr, and ends the process with ``os._exit``:
  the interpreter's shutdown never runs. That shutdown resets SIGINT to its default action and
  then tears NumPy, matplotlib, h5py and TensorFlow down, which takes a while: a second Ctrl-C
  in that window killed the process (exit -2) after its outputs were saved. From the end of
  the script's answer to the process's end both signals are blocked in the main thread and
  Python's handler (installed for the whole process, any thread may receive a signal) only
  notes them: one that comes then turns a success into 130 or 143, with one line saying so.
"""
import os
import signal
import sys

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def begin():
    """Hold SIGINT and SIGTERM until the script answers them. Call it as the main module,
    before the imports that start threads."""
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)


def exit(main, *args):
    """Run ``main(*args)`` (it returns the exit status), flush, and end the process with that
    status, changed to 128 + the signal when a signal came after ``main`` decided a success."""
    noted = []
    for s in SIGNALS:  # from here to the end, unless main answers them itself: noted
        signal.signal(s, lambda signum, frame: noted.append(signum))
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)  # held, if begin() was not called
    try:
        status = main(*args)
    except SystemExit as e:  # argparse's --help and usage errors
        status = _code(e.code)
    except BaseException as e:  # a bug that escaped the script's ending
        _write(sys.stderr, "error: unexpected %s: %s (this is a bug: please report it)"
               % (type(e).__name__, " ".join(str(e).splitlines())[:500]))
        status = 1
    if status == 0 and noted:
        _write(sys.stderr, "%s after the work was done; its outputs are complete"
               % ("terminated (SIGTERM)" if noted[0] == signal.SIGTERM else "interrupted (Ctrl-C)"))
        status = 128 + noted[0]
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(status)


def _code(code):
    """The exit status of ``sys.exit(code)``: None is 0, a number itself, a message 1 (printed)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    _write(sys.stderr, str(code))
    return 1


def _write(stream, line):
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass
