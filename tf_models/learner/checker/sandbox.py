"""Run a learner's function contained, from the grader's side: worker processes (worker.py) that
fork one contained process per check, and the reply of each check read as plain data.

    with Sandbox(workers=2, preload=["matplotlib.pyplot"]) as sandbox:
        with sandbox.lane() as lane:                      # one worker, for this thread alone
            outcome = lane.run(job, files, limits(timeout=10, memory_mb=1024))

``job`` is what contained.py runs (the learner's kept statements and the calls), ``files`` the
submission's own copy ({name: bytes}). The reply comes through a pipe of its own, read here under
one deadline (the check's time limit plus GRACE) and a size cap (REPLY_CAP), then decoded by
messages.py and checked field by field; nothing from the contained side is unpickled or trusted
beyond its numbers, which grade.py compares with the project's. A worker that stops answering
is killed with its whole process group and started again.

``run(..., answer=f)`` also lets the contained function call the project's versions of the
functions named in ``job["oracle"]``: each call travels as a message through a second pipe,
``f(name, args, kwargs)`` computes it here, in the grader, and its value goes back through a third
(so the project's code never enters the sandbox; grade.py uses this to check a function apart
from the learner's other functions).

Outcome(status, value, blocked):
    "ok"        value: [(items, gradient_check)] per call, items [differences.Item]
    "error"     the learner's exception (value: its one-line description)
    "memory"    MemoryError under the address-space limit
    "timeout"   still running at the time limit; killed with all its processes
    "cpu"       killed by the CPU-time limit
    "stopped"   it stopped itself (SIGSTOP): killed at once
    "output"    its reply exceeded REPLY_CAP
    "corrupt"   its reply is not one well-formed message (a partial or forged one)
    "crash"     the process died without a reply (a signal, an exit of its own)
``blocked`` lists the imports of the project's package that the code attempted.
"""
import contextlib
import json
import math
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import namedtuple

import numpy as np

from tf_models.learner.checker import containment, messages
from tf_models.learner.checker.worker import SETUP_FAILED
from tf_models.learner.checker.differences import Item

Outcome = namedtuple("Outcome", "status value blocked")

GRACE = 5.0  # seconds beyond a check's time limit before the grader gives up on its worker
START_TIMEOUT = 180.0  # seconds a worker may take to import NumPy (and the preloads) on a loaded machine
REPLY_CAP = 16 * 2 ** 20  # bytes of one reply (and of one question to the project's functions)
QUESTIONS = 100000  # calls one check may make to the project's functions
TEXT_CAP = 300  # characters of a label, type name or message taken from a reply
PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tf_models/
PROJECT = os.path.dirname(PACKAGE)  # a checkout (an editable install), or site-packages
BOOTSTRAP = ("import sys; sys.path.insert(0, %r); from tf_models.learner.checker import worker; "
             "worker.main(sys.argv[1:])" % PROJECT)
# What contained code must not see: the package, and the checkout that holds it (but not a
# site-packages folder that holds it beside NumPy).
HIDDEN = [PACKAGE] + ([] if os.path.basename(PROJECT) in ("site-packages", "dist-packages") else [PROJECT])
# Modules a submission may import that are slow to import: a worker imports them once, before any
# learner code, so that each check does not pay for them (the learner's import then finds them).
PRELOADABLE = ("matplotlib", "sklearn", "scipy", "h5py", "PIL", "pandas")


def limits(timeout=10.0, memory_mb=1024):
    """The limits of one check: wall-clock seconds, memory beyond the worker's own (MB), and fixed
    caps on CPU seconds, processes, bytes per file, open files and its private /tmp (MB)."""
    return {"timeout": float(timeout), "cpu": int(math.ceil(timeout)) + 1, "memory_mb": int(memory_mb),
            "processes": 16, "file_size": 16 * 2 ** 20, "open_files": 64, "tmp_mb": 32}


class Sandbox(object):
    """A pool of ``workers`` worker processes. ``mode`` None: "namespaces" where the kernel allows
    them, else "processes" (``uncontained`` then lists what is left open, ``reason`` says why)."""

    def __init__(self, workers=1, preload=(), mode=None):
        self.scratch = tempfile.mkdtemp(prefix="tf_models-sandbox-")
        os.chmod(self.scratch, 0o711)
        self.jobs = None
        os.mkdir(os.path.join(self.scratch, "root"), 0o755)
        self.preload = sorted(set(preload))
        self.reason = None
        self.free = queue.Queue()
        self.workers = []
        self.closed = False
        try:
            self._start(workers, mode)
        except BaseException:
            self.close()
            raise

    def _start(self, count, mode):
        self.mode = mode or "namespaces"
        self.workers = [Worker(self, i) for i in range(count)]
        for w in self.workers:
            w.launch()
        errors = [w.wait_ready() for w in self.workers]
        if any(errors) and mode is None:
            self.reason = next(e for e in errors if e)
            for w in self.workers:
                w.kill()
            self.mode = "processes"
            for w in self.workers:
                w.launch()
            errors = [w.wait_ready() for w in self.workers]
        if any(errors):
            raise RuntimeError("the sandbox could not start: %s" % next(e for e in errors if e))
        for w in self.workers:
            self.free.put(w)

    @property
    def uncontained(self):
        """What this sandbox does not contain: [] with namespaces."""
        return [] if self.mode == "namespaces" else sorted(containment.UNCONTAINED.values())

    def jobs_folder(self):
        """Where a worker without namespaces makes each check's folder. Contained code may run as
        SANDBOX_UID there, so as root every folder above it must let any user pass: inside the
        scratch folder where that is so, else a new folder in /tmp."""
        if self.mode == "namespaces":
            return self.scratch  # unused there: each check has a private /tmp
        if self.jobs is None:
            if self.sandbox_uid is None or _passable(os.path.dirname(self.scratch)):
                self.jobs = self.scratch
            else:
                self.jobs = tempfile.mkdtemp(prefix="tf_models-sandbox-jobs-", dir="/tmp")
                os.chmod(self.jobs, 0o711)
        return self.jobs

    @property
    def sandbox_uid(self):
        return containment.sandbox_uid(os.getpid() % 100000)

    @contextlib.contextmanager
    def lane(self):
        """A worker for the calling thread alone, while the block runs."""
        worker = self.free.get()
        try:
            yield worker
        finally:
            self.free.put(worker)

    def close(self):
        """Kill every worker (and with them every process they made); remove the scratch folder."""
        if self.closed:
            return
        self.closed = True
        for w in self.workers:
            w.kill()
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.jobs not in (None, self.scratch):
            shutil.rmtree(self.jobs, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Worker(object):
    """One worker process and the socket to it; ``run`` one check at a time."""

    def __init__(self, sandbox, index):
        self.sandbox, self.index = sandbox, index
        self.process = self.socket = None

    def launch(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        settings = {"mode": self.sandbox.mode, "socket": theirs.fileno(),
                    "new_root": os.path.join(self.sandbox.scratch, "root"),
                    "jobs": self.sandbox.jobs_folder(), "hide": HIDDEN,
                    "preload": self.sandbox.preload, "sandbox_uid": self.sandbox.sandbox_uid}
        self.log = os.path.join(self.sandbox.scratch, "worker-%d.log" % self.index)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", BOOTSTRAP, json.dumps(settings)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                pass_fds=(theirs.fileno(),), close_fds=True, start_new_session=True,
                cwd=self.sandbox.scratch, env=_worker_environment())
        theirs.close()
        self.socket = ours
        self.buffer = b""

    def wait_ready(self):
        """None once the worker is ready, else why it is not."""
        try:
            ready = self._read_report(time.monotonic() + START_TIMEOUT)
        except (OSError, messages.BadMessage, EOFError) as e:
            ready = {"error": "the worker did not start (%s)%s" % (e, self._log_tail())}
        if ready is None:
            return "the worker did not start within %d s" % START_TIMEOUT
        self.ready = ready
        return ready.get("error")

    def _log_tail(self):
        try:
            with open(self.log, "rb") as f:
                lines = f.read().decode("utf-8", "replace").strip().splitlines()
            return ": " + lines[-1] if lines else ""
        except (IOError, OSError):
            return ""

    def kill(self):
        """Kill the worker's process group (the worker and the runner of a check under way; in
        namespaces, the worker is its PID namespace's init, so all it made dies with it)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.process.wait()
        self.socket.close()
        self.process = None

    def restart(self):
        if self.sandbox.closed:
            raise RuntimeError("the sandbox is closed")
        self.kill()
        self.launch()
        problem = self.wait_ready()
        if problem:
            raise RuntimeError("the sandbox's worker could not be restarted: %s" % problem)

    # ---- one check ------------------------------------------------------------------------

    def run(self, job, files, limits, answer=None):
        """The Outcome of ``job`` (see contained.py) with the submission's ``files``; ``answer``
        computes the calls to the functions of ``job["oracle"]``."""
        deadline = time.monotonic() + limits["timeout"] + GRACE
        read_end, write_end = os.pipe()
        pipe, questions, theirs = _Pipe(read_end), None, [write_end]
        if answer is not None:
            question_r, question_w = os.pipe()
            answer_r, answer_w = os.pipe()
            questions = _Questions(question_r, answer_w, answer, set(job["oracle"]))
            theirs += [question_w, answer_r]
        try:
            try:
                self._send(messages.frame({"job": job, "files": {k: np.frombuffer(v, dtype=np.uint8)
                                                                 for k, v in files.items()},
                                           "limits": limits}), theirs)
            finally:
                for fd in theirs:
                    os.close(fd)
            reply, report = self._collect(pipe, questions, deadline)
        except (OSError, ValueError, EOFError):  # ValueError: its socket closed by Sandbox.close
            if self.sandbox.closed:
                return Outcome("crash", "the sandbox was closed during this check", [])
            self.restart()
            return Outcome("crash", "the sandbox's worker failed during this check; it was restarted", [])
        finally:
            pipe.close()
            if questions is not None:
                questions.close()
        if report is None:
            self.restart()
            if reply is None:
                return Outcome("output", "sent back more than %d MB" % (REPLY_CAP // 2 ** 20), [])
            return Outcome("timeout", "did not finish within %g s (an endless loop?)" % limits["timeout"], [])
        return interpret(reply, report, limits, len(job["calls"]))

    def _send(self, data, fds):
        sent = self.socket.sendmsg([data[:65536]], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                                     np.array(fds, dtype=np.int32).tobytes())])
        self.socket.sendall(data[sent:])

    def _collect(self, pipe, questions, deadline):
        """(the reply's bytes, or None past REPLY_CAP; the runner's report, or None at the deadline),
        answering the questions meanwhile. A reply past the cap is not read further: its pipe is
        closed, so the writer stops."""
        chunks, size = [], 0
        report = None
        while pipe.open or report is None:
            now = time.monotonic()
            if now >= deadline:
                break
            if report is not None:  # the process has ended: its reply is complete or never will be
                deadline = min(deadline, now + 2.0)
            watched = ([pipe.fd] if pipe.open else []) + ([self.socket] if report is None else [])
            writing = []
            if questions is not None and report is None:
                watched += questions.readable()
                writing = questions.writable()
            ready, writable, _ = select.select(watched, writing, [], deadline - now)
            if questions is not None:
                questions.exchange(ready, writable)
            if pipe.open and pipe.fd in ready:
                chunk = os.read(pipe.fd, 1 << 20)
                size += len(chunk)
                if not chunk:
                    pipe.close()
                elif size > REPLY_CAP:
                    pipe.close()
                    chunks = None
                elif chunks is not None:
                    chunks.append(chunk)
            if self.socket in ready:
                report = self._read_report(deadline)
        return (None if chunks is None else b"".join(chunks)), report

    def _read_report(self, deadline):
        """The next message from the worker, reading until ``deadline`` (None past it)."""
        while True:
            size = messages.HEADER.size
            if len(self.buffer) >= size:
                _, length = messages.HEADER.unpack(self.buffer[:size])
                if len(self.buffer) >= size + length:
                    data, self.buffer = self.buffer[:size + length], self.buffer[size + length:]
                    return messages.unframe(data)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.socket], [], [], remaining)[0]:
                return None
            chunk = self.socket.recv(1 << 20)
            if not chunk:
                raise EOFError("the worker ended")
            self.buffer += chunk


class _Pipe(object):
    """One end of a pipe, closed exactly once."""

    def __init__(self, fd):
        self.fd, self.open = fd, True

    def close(self):
        if self.open:
            self.open = False
            os.close(self.fd)


class _Questions(object):
    """The contained function's calls to the project's versions of the functions it uses: read
    from one pipe as messages, answered by ``answer(name, args, kwargs)`` into another that is
    written without blocking (a process that stops reading cannot stop the grader). At most
    QUESTIONS calls; a question that is not a well-formed call ends the exchange."""

    def __init__(self, question_fd, answer_fd, answer, names):
        self.questions, self.answers = _Pipe(question_fd), _Pipe(answer_fd)
        os.set_blocking(answer_fd, False)
        self.answer, self.names = answer, names
        self.buffer, self.pending, self.count = b"", b"", 0

    def readable(self):
        return [self.questions.fd] if self.questions.open else []

    def writable(self):
        return [self.answers.fd] if self.answers.open and self.pending else []

    def exchange(self, readable, writable):
        if self.questions.open and self.questions.fd in readable:
            chunk = os.read(self.questions.fd, 1 << 20)
            self.buffer += chunk
            if not chunk or len(self.buffer) > REPLY_CAP:
                self.close()
                return
            try:
                self._answer_complete()
            except messages.BadMessage:
                self.close()
                return
        if self.answers.open and self.answers.fd in writable:
            try:
                n = os.write(self.answers.fd, self.pending[:1 << 20])
                self.pending = self.pending[n:]
            except BlockingIOError:
                pass
            except OSError:  # the process closed its end
                self.close()

    def _answer_complete(self):
        size = messages.HEADER.size
        while len(self.buffer) >= size:
            _, length = messages.HEADER.unpack(self.buffer[:size])
            if len(self.buffer) < size + length:
                return
            data, self.buffer = self.buffer[:size + length], self.buffer[size + length:]
            answer = self._one(messages.unframe(data))
            try:
                self.pending += messages.frame(answer)
            except (TypeError, ValueError) as e:  # a value that is not plain data
                self.pending += messages.frame({"error": "the answer cannot be sent: %s" % e})

    def _one(self, question):
        if not (isinstance(question, dict) and question.get("call") in self.names
                and isinstance(question.get("args"), list) and isinstance(question.get("kwargs"), dict)
                and all(isinstance(k, str) for k in question["kwargs"])):
            raise messages.BadMessage("a question is not a call of one of the named functions")
        self.count += 1
        if self.count > QUESTIONS:
            return {"error": "more than %d calls to the project's functions" % QUESTIONS}
        try:
            return {"value": self.answer(question["call"], question["args"], question["kwargs"])}
        except Exception as e:  # the project's function refuses these inputs: the learner's to see
            return {"error": "%s: %s" % (type(e).__name__, _text(str(e)))}

    def close(self):
        self.questions.close()
        self.answers.close()


def interpret(reply, report, limits, calls):
    """The Outcome of one check from its reply (bytes, or None when over the cap) and the
    runner's report of how the process ended."""
    end = report.get("end")
    if reply is None:
        return Outcome("output", "sent back more than %d MB" % (REPLY_CAP // 2 ** 20), [])
    if end == "deadline":
        return Outcome("timeout", "did not finish within %g s (an endless loop?)" % limits["timeout"], [])
    if end == "stopped":
        return Outcome("stopped", "stopped its own process (signal %s); it was killed" % report.get("signal"), [])
    if end == "setup":
        return Outcome("crash", "the sandbox could not prepare this check: %s" % _text(report.get("error")), [])
    if end == "signal":
        sig = report.get("signal")
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and report.get("cpu", 0) >= limits["cpu"]):
            return Outcome("cpu", "used more than %d s of CPU time" % limits["cpu"], [])
        return Outcome("crash", "the Python process died (%s)" % _signal_name(sig), [])
    if report.get("code") == SETUP_FAILED:
        try:
            why = messages.unframe(reply).get("setup")
        except (messages.BadMessage, AttributeError):
            why = None
        return Outcome("crash", "the sandbox could not start this check (%s)" % _text(why), [])
    if not reply:
        return Outcome("crash", "the process ended (exit status %s) without a result" % report.get("code"), [])
    try:
        value = messages.unframe(reply)
        return _outcome(value, calls)
    except messages.BadMessage as e:
        return Outcome("corrupt", "sent back an unreadable result (%s)" % e, [])


def _outcome(value, calls):
    """Check a decoded reply field by field (contained.py's format)."""
    if not isinstance(value, dict) or value.get("status") not in ("ok", "error", "memory", "not_done"):
        raise messages.BadMessage("it is not a reply of the checker")
    blocked = value.get("blocked")
    if not isinstance(blocked, list) or not all(isinstance(b, str) for b in blocked):
        raise messages.BadMessage("its list of blocked imports is not a list of names")
    blocked = [_text(b) for b in blocked[:20]]
    if value["status"] == "not_done":  # a workbook function not written yet: its name
        if not isinstance(value.get("function"), str):
            raise messages.BadMessage("its unfinished function is not a name")
        return Outcome("not_done", _text(value["function"]), blocked)
    if value["status"] != "ok":
        return Outcome(value["status"], _text(value.get("message")), blocked)
    results = value.get("calls")
    if not isinstance(results, list) or len(results) != calls:
        raise messages.BadMessage("it does not hold one result per call")
    return Outcome("ok", [(_items(items), _gradient_check(check)) for items, check in
                          (_pair(r) for r in results)], blocked)


def _pair(result):
    if not isinstance(result, list) or len(result) != 2 or not isinstance(result[0], list):
        raise messages.BadMessage("a call's result is not (outputs, gradient check)")
    return result


def _items(items):
    out = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and isinstance(item[1], str) and (item[2] is None or isinstance(item[2], np.ndarray))):
            raise messages.BadMessage("an output is not (label, type, numbers)")
        value = None if item[2] is None else item[2].astype(np.float64)
        out.append(Item(_text(item[0]), _text(item[1]), value))
    return out


def _gradient_check(check):
    if check is None or isinstance(check, str):
        return None if check is None else _text(check)
    if isinstance(check, dict) and all(isinstance(k, str) and isinstance(v, (int, float))
                                       and not isinstance(v, bool) for k, v in check.items()):
        return {_text(k): float(v) for k, v in check.items()}
    raise messages.BadMessage("a gradient check is not numbers")


def _text(value):
    """A string from the contained side as one printable line of at most TEXT_CAP characters."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= TEXT_CAP else text[:TEXT_CAP - 3] + "..."


def _signal_name(sig):
    try:
        return signal.Signals(sig).name
    except (ValueError, TypeError):
        return "signal %s" % sig


def _passable(folder):
    """Whether every folder from / down to ``folder`` lets any user through (o+x)."""
    while True:
        if not os.stat(folder).st_mode & 0o001:
            return False
        parent = os.path.dirname(folder)
        if parent == folder:
            return True
        folder = parent


def _worker_environment():
    """The worker's environment: nothing of the grader's but the locale, where matplotlib keeps its
    cache (read while preloading, before any learner code) and OpenBLAS's own CPU settings."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("HOME", "MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                 "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def preloads(import_sources):
    """The modules worth importing once in the workers, from the learners' import statements."""
    import ast
    found = set()
    for source in import_sources:
        try:
            nodes = ast.walk(ast.parse(source))
        except SyntaxError:
            continue
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update("%s.%s" % (node.module, a.name) for a in node.names if a.name != "*")
    return sorted(n for n in found if n.split(".")[0] in PRELOADABLE)
