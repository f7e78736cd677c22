"""SIGINT and SIGTERM, handed to whoever answers them while a script works.

    with signals.answered_by(answer) as answering:   # answer(signum), in the main thread
        answering.listen()                           # a signal held until now is answered here
        ...

Two answers exist: a script's (``endings.Script``: the first signal stops it at once) and a
training run's (``transaction.Run``: what a signal does depends on the run's phase). On leaving,
the handlers and the signal mask are put back as they were: a test or a notebook that called a
script gets its own handlers back, and a program (``program``) gets its signals held again
before its own handler is back, so that none lands in between.

``exit_status(signum)``: 130 after SIGINT, 143 after SIGTERM (128 + the signal number, as a
shell reports a process killed by it).
"""
import signal
import threading

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(KeyboardInterrupt):
    """A stop at once, where the script was: ``signum`` says which signal."""

    def __init__(self, signum, detail=None):
        KeyboardInterrupt.__init__(self, name(signum) + ("; " + detail if detail else ""))
        self.signum = signum


def name(signum):
    """"interrupted (Ctrl-C)" or "terminated (SIGTERM)"."""
    return "terminated (SIGTERM)" if signum == signal.SIGTERM else "interrupted (Ctrl-C)"


def exit_status(signum):
    """130 for SIGINT, 143 for SIGTERM."""
    return 128 + int(signum or signal.SIGINT)


class answered_by(object):
    """While inside: SIGINT and SIGTERM call ``answer(signum)`` (in the main thread, as Python
    runs every handler). Outside the main thread nothing changes: Python sets handlers there only."""

    def __init__(self, answer):
        self.answer = answer
        self.previous = None   # {signal: handler} and the mask, to put back
        self.mask = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
            self.previous = {s: signal.getsignal(s) for s in SIGNALS}
            for s in SIGNALS:
                signal.signal(s, self._handle)
        return self

    def listen(self):
        """Let in the signals a program held (``program.begin``): one that came meanwhile is
        answered now."""
        if self.previous is not None:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)

    def __exit__(self, *exc):
        if self.previous is None:
            return False
        held = [s for s in SIGNALS if s in self.mask]
        if held:  # a program's: held again first, so that none comes between here and its exit
            signal.pthread_sigmask(signal.SIG_BLOCK, held)
        for s, handler in self.previous.items():
            if handler is not None:  # None: set outside Python, cannot be put back from here
                signal.signal(s, handler)
        self.previous = None
        return False

    def _handle(self, signum, frame):
        self.answer(signum)
