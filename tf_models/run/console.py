"""The scripts' terminal: text that always encodes, and a standard output that may fail.

``setup()`` (called by every script's argument parser) rewraps stdout and stderr so that a
character the stream cannot encode (an ASCII-only locale, ``LC_ALL=C``) is written as its ASCII
spelling (α as "alpha", ≥ as ">=", ...) or as a backslash escape, never as a UnicodeEncodeError;
a file name that is not valid UTF-8 prints as its escaped bytes.

``say(text)`` prints a progress line. When standard output fails (a closed pipe such as
``| head -2``, ``/dev/full``), printing stops for the rest of the run, the run goes on, and
``stdout_failure()`` tells the caller what happened: a closed pipe is the reader's choice and
costs nothing, any other failure is reported once the outputs are saved.
"""
import codecs
import errno
import io
import os
import sys

ASCII = {"α": "alpha", "≥": ">=", "≤": "<=", "×": "x", "·": "*", "−": "-", "→": "->",
         "ŷ": "y_hat", "θ": "theta", "∂": "d", "₀": "0", "₁": "1", "²": "^2", "√": "sqrt",
         "…": "...", "—": "--", "–": "-", "’": "'", "“": '"', "”": '"', "≈": "~", "∞": "inf",
         "σ": "sigma", "λ": "lambda", "Σ": "sum", "⁻": "^-", "¹": "1", "⁹": "9"}
STATE = {"failed": None, "ready": False}


def _fallback(error):
    """A codecs error handler: the ASCII spelling of each unencodable character, else escapes."""
    text = error.object[error.start:error.end]
    out = []
    for ch in text:
        if ch in ASCII:
            out.append(ASCII[ch])
        elif 0xDC80 <= ord(ch) <= 0xDCFF:        # an undecodable byte of a file name
            out.append("\\x%02x" % (ord(ch) - 0xDC00))
        else:
            out.append("\\u%04x" % ord(ch) if ord(ch) < 0x10000 else "\\U%08x" % ord(ch))
    return "".join(out), error.end


codecs.register_error("tf_models_ascii", _fallback)


def setup():
    """Make stdout and stderr encode anything (see the module docstring); idempotent."""
    if STATE["ready"]:
        return
    STATE["ready"] = True
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not getattr(sys, "__%s__" % name) or not isinstance(stream, io.TextIOWrapper) \
                or stream.errors == "tf_models_ascii":
            continue  # not the process's own stream (a test's capture, a notebook), or done already
        try:
            stream.flush()
            if hasattr(stream, "reconfigure"):  # Python 3.7+
                stream.reconfigure(errors="tf_models_ascii")
                continue
            # Python 3.6: a second wrapper over the same buffer (the first one stays usable)
            wrapped = io.TextIOWrapper(stream.buffer, encoding=stream.encoding,
                                       errors="tf_models_ascii",
                                       line_buffering=stream.line_buffering or name == "stderr")
        except (AttributeError, ValueError, OSError):
            continue
        STATE.setdefault("wrappers", []).append(wrapped)  # kept: collecting one closes the buffer
        setattr(sys, name, wrapped)


def say(text=""):
    """Print a line on stdout; after stdout failed once, do nothing (see ``stdout_failure``)."""
    if STATE["failed"] is not None:
        return
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except (OSError, ValueError) as e:
        _stdout_failed(e)


def _stdout_failed(e):
    STATE["failed"] = e
    try:  # later writes (and the interpreter's final flush) go nowhere instead of failing again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        sys.stdout = open(os.devnull, "w")
    except (OSError, ValueError, AttributeError):
        pass


def finish_stdout():
    """Flush stdout at the end of a script (a failure there is noted like any other)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as e:
        _stdout_failed(e)


def stdout_failure():
    """None when stdout worked or its reader closed it (a pipe into ``head``); otherwise a
    one-line description of how it failed."""
    e = STATE["failed"]
    if e is None or isinstance(e, BrokenPipeError) or getattr(e, "errno", None) == errno.EPIPE:
        return None
    return "standard output failed (%s)" % (getattr(e, "strerror", None) or e)


def warn(line):
    """One line on stderr; never raises."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
