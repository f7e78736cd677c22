"""The sandbox's worker process: contains itself once, imports NumPy once, then forks one contained
process per check (a zygote: each check starts in milliseconds from a process that already holds
NumPy, never from one that ran a learner's code).

sandbox.py starts it as ``python -I -B -c <bootstrap> SETTINGS`` with a clean environment, no file
descriptor but the socket to the grader, in a session of its own. Settings (JSON):
    mode        "namespaces" or "processes" (containment.py)
    socket      the descriptor number of that socket
    new_root    an empty directory, the mount point of the new root (namespaces)
    jobs        a private directory for each check's folder (processes)
    hide        the project's package and checkout: out of the view (an empty folder over them
                where they lie inside it) and off the contained process's sys.path
    preload     modules to import now (matplotlib, sklearn, ... that the submissions import)
    sandbox_uid the user id of contained code (containment.sandbox_uid), or null

Per check the grader sends one message {"job", "files", "limits"} with, as SCM_RIGHTS, the write
end of a pipe for the reply (and, when the job names "oracle" functions, the write end of a pipe
for questions and the read end of one for answers: the contained process calls the project's
versions of those functions through the grader, see contained.Oracle). The worker forks a
*runner*, which (namespaces) makes a new mount and PID namespace with a private /tmp, forks the
*contained* process (init of that PID namespace:
when it ends, the kernel kills all it started), waits for it until the deadline, kills it with
SIGKILL there, and reports how it ended: {"end": "exit", "code"} | {"end": "signal", "signal"} |
{"end": "deadline"} | {"end": "stopped"} | {"end": "setup", "error"}, with "cpu" seconds. The
worker passes that report to the grader. The contained process itself sends its reply
(contained.py) through the pipe straight to the grader, which reads it as data.
"""
import array
import errno
import fcntl
import io
import json
import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
import time

from tf_models.learner.checker import containment

REPLY_FD = 3  # then QUESTION_FD = 4, ANSWER_FD = 5 when the job asks the grader
SETUP_FAILED = 70  # the contained process's exit status when it could not be prepared
FD_LIMIT = 65536
# Small standard modules learners import, imported once by the worker: each check then finds them
# loaded (without namespaces and as root, a check runs as a user who may not read the installation).
STANDARD = ("copy", "math", "random", "time", "itertools", "functools", "collections", "secrets")


def main(argv):
    settings = json.loads(argv[0])
    control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0, settings["socket"])
    containment.die_with_parent()
    if settings["mode"] == "namespaces":
        try:
            containment.enter_namespaces(own_user_namespace=settings["sandbox_uid"] is None)
        except (OSError, KeyError) as e:
            _send(control, {"error": "namespaces refused: %s" % e})
            os._exit(3)
        child = os.fork()  # the worker proper: init of the new PID namespace
        if child:
            os._exit(_exit_status(os.waitpid(child, 0)[1]))
        containment.die_with_parent()
    try:
        ready = _prepare(settings)
    except Exception as e:
        _send(control, {"error": "the sandbox could not be prepared: %s: %s" % (type(e).__name__, e)})
        os._exit(3)
    _send(control, ready)
    Worker(dict(settings, under_tmp=ready["under_tmp"]), control, ready["address_space"]).serve()


def _prepare(settings):
    """Import what contained code needs (nothing can be read from the project afterwards), then
    (namespaces) move into the new root."""
    from tf_models.learner.checker import contained  # noqa: F401 (NumPy and the contained side)
    import numpy as np
    np.random.seed(0)  # NumPy 2 imports `secrets` at its first seed: once here, not in every check
    failed = []
    for name in STANDARD + tuple(settings["preload"]):
        try:
            __import__(name)
        except Exception as e:  # noqa: B902 - a course helper's import may fail; the learner's then fails too
            failed.append("%s (%s)" % (name, type(e).__name__))
    address_space = _address_space()
    if settings["mode"] == "namespaces":
        keep = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix]
        keep += [p for p in sys.path if p and os.path.isdir(p) and not _hidden(p, settings["hide"])]
        under_tmp = containment.build_view(settings["new_root"], keep, settings["hide"])
    else:
        under_tmp = []
    return {"mode": settings["mode"], "address_space": address_space, "preload_failed": failed,
            "python": sys.version.split()[0], "under_tmp": under_tmp}


def _address_space():
    """Bytes this process maps now (from /proc; 2 GB where unreadable)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (IOError, OSError, ValueError):
        return 2 * 1024 ** 3


def _inside(path, folder):
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _hidden(entry, hide):
    """Whether a sys.path entry leads to the project: one of ``hide`` itself, inside the package
    (an environment inside the checkout, .venv-*/..., stays), or another checkout holding a copy
    of the package (an editable install's path from a clone that also lies elsewhere)."""
    return (any(os.path.abspath(entry) == os.path.abspath(h) for h in hide) or _inside(entry, hide[0])
            or (os.path.isdir(os.path.join(entry, os.path.basename(hide[0])))
                and os.path.basename(os.path.abspath(entry)) not in ("site-packages", "dist-packages")))


class Worker(object):
    """The loop of the worker process: one job at a time."""

    def __init__(self, settings, control, address_space):
        self.settings, self.control, self.address_space = settings, control, address_space
        self.namespaces = settings["mode"] == "namespaces"

    def serve(self):
        from tf_models.learner.checker import messages
        while True:
            try:
                request, fds = _receive(self.control)
            except (EOFError, OSError, messages.BadMessage):
                os._exit(0)  # the grader is gone or closed the socket
            report = self.run(request, fds)
            _send(self.control, report)

    def run(self, request, fds):
        """Fork the runner of one job; return its report."""
        status_r, status_w = os.pipe()
        runner = os.fork()
        if runner == 0:
            try:
                os.close(status_r)
                self.control.close()
                report = Runner(self, request, fds).run()
            except BaseException as e:
                report = {"end": "setup", "error": "%s: %s" % (type(e).__name__, e)}
            _write_all(status_w, json.dumps(report).encode())
            os._exit(0)
        os.close(status_w)
        for fd in fds:
            os.close(fd)
        data = b""
        while True:
            chunk = os.read(status_r, 65536)
            if not chunk:
                break
            data += chunk
        os.close(status_r)
        os.waitpid(runner, 0)
        try:
            return json.loads(data.decode())
        except ValueError:
            return {"end": "setup", "error": "the runner ended without a report"}


class Runner(object):
    """One job's trusted watchdog: makes the contained process, waits, kills, reports."""

    def __init__(self, worker, request, fds):
        self.worker, self.request, self.fds = worker, request, fds
        self.limits = request["limits"]

    def run(self):
        containment.die_with_parent()
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
        files = {name: data.tobytes() for name, data in self.request["files"].items()}
        owner = self.worker.settings["sandbox_uid"]
        if self.worker.namespaces:
            work = containment.private_tmp(files, self.limits["tmp_mb"], owner, self.worker.settings["under_tmp"])
            submission = "/tmp/submission"
        else:
            containment.become_subreaper()
            folder = tempfile.mkdtemp(dir=self.worker.settings["jobs"])
            submission = os.path.join(folder, "submission")
            containment.write_files(submission, files)
            work = os.path.join(folder, "work")
            os.mkdir(work, 0o700)
            if owner is not None:
                os.chmod(folder, 0o755)
                os.chown(work, owner, owner)
        child = os.fork()
        if child == 0:
            self.contained(work, submission, owner)  # never returns
        for fd in self.fds:
            os.close(fd)
        try:
            return self.wait(child)
        finally:
            if not self.worker.namespaces:
                self.sweep(child)
                shutil.rmtree(os.path.dirname(work), ignore_errors=True)

    def wait(self, child):
        """How the contained process ended, killing it (and so its PID namespace) at the deadline."""
        deadline = time.monotonic() + self.limits["timeout"]
        while True:
            pid, status, usage = os.wait4(child, os.WNOHANG | os.WUNTRACED)
            if pid:
                if os.WIFSTOPPED(status):  # stopped itself: it would never go on
                    return self._kill(child, {"end": "stopped", "signal": os.WSTOPSIG(status)})
                cpu = usage.ru_utime + usage.ru_stime
                if os.WIFSIGNALED(status):
                    return {"end": "signal", "signal": os.WTERMSIG(status), "cpu": cpu}
                return {"end": "exit", "code": os.WEXITSTATUS(status), "cpu": cpu}
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._kill(child, {"end": "deadline"})
            if hasattr(signal, "sigtimedwait"):
                signal.sigtimedwait([signal.SIGCHLD], min(remaining, 0.5))
            else:  # macOS: no sigtimedwait
                time.sleep(min(remaining, 0.01))

    def _kill(self, child, report):
        _kill_group(child)
        _, _, usage = os.wait4(child, 0)
        report["cpu"] = usage.ru_utime + usage.ru_stime
        return report

    def sweep(self, child):
        """Without a PID namespace: kill the contained process's group, then every process left
        that became this subreaper's child, until none is left."""
        _kill_group(child)
        for _ in range(1000):
            for pid in _children(os.getpid()):
                _kill_group(pid)
            try:
                if os.waitpid(-1, 0)[0] == 0:
                    break
            except ChildProcessError:
                return

    def contained(self, work, submission, owner):
        """The contained process: its own session, the limits, no privilege, a clean slate; then
        the learner's code (contained.run), the reply through REPLY_FD, and _exit."""
        try:
            os.setsid()
            _only_fds(self.fds)
            limits = self.limits
            containment.set_limits(limits["cpu"], self.worker.address_space + limits["memory_mb"] * 2 ** 20,
                                   limits["processes"], limits["file_size"], limits["open_files"])
            if self.worker.namespaces or owner is not None or os.geteuid() == 0:
                containment.drop_privileges(owner)
            else:
                containment.no_new_privileges()
            containment.die_with_parent()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
            os.chdir(work)
            _clean_environment(work)
            sys.path[:] = [submission] + [p for p in sys.path if p and not _hidden(p, self.worker.settings["hide"])]
            from tf_models.learner.checker import contained
            blocker = contained.hide_project()
            job = dict(self.request["job"], path=os.path.join(submission, self.request["job"]["path"]))
        except BaseException as e:  # before any learner code: say why, for the grader's message
            try:
                from tf_models.learner.checker import messages
                _write_all(REPLY_FD, messages.frame({"setup": "%s: %s" % (type(e).__name__, e)}))
            finally:
                os._exit(SETUP_FAILED)
        me = os.getpid()
        oracle = contained.Oracle(REPLY_FD + 1, REPLY_FD + 2) if len(self.fds) == 3 else None
        reply = contained.run(job, blocker, oracle)
        if os.getpid() == me:  # a process the learner forked has nothing to say
            try:
                _write_all(REPLY_FD, contained.reply_bytes(reply))
            except OSError:
                pass
        os._exit(0)


def _only_fds(fds):
    """Descriptors 0-2 on /dev/null, ``fds`` as REPLY_FD, REPLY_FD + 1, ..., nothing else open."""
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 16) for fd in fds]  # no dup2 below can land on these
    for i, fd in enumerate(high):
        os.dup2(fd, REPLY_FD + i)
    try:
        maximum = min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], FD_LIMIT)
    except (ValueError, OSError):
        maximum = FD_LIMIT
    os.closerange(REPLY_FD + len(fds), maximum)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = io.open(1, "w", closefd=False)  # on the descriptors above: no new one opened
    sys.stderr = io.open(2, "w", closefd=False)
    sys.stdin = io.open(0, "r", closefd=False)


def _clean_environment(work):
    keep = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    os.environ.clear()
    os.environ.update(keep, PATH="/usr/bin:/bin", HOME=work, TMPDIR=work, MPLCONFIGDIR=work,
                      LANG="C.UTF-8", MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                      MKL_NUM_THREADS="1")


def _kill_group(pid):
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _children(parent):
    """Process ids whose parent is ``parent`` (from /proc)."""
    found = []
    try:
        names = os.listdir("/proc")
    except OSError:  # no /proc (macOS): the process group's kill is all there is
        return found
    for name in names:
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (IOError, OSError, IndexError):
                continue
            if int(fields[1]) == parent:
                found.append(int(name))
    return found


def _exit_status(status):
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


# ---- the socket to the grader: frames of messages, the first of a job with one descriptor ------

def _send(control, value):
    from tf_models.learner.checker import messages
    control.sendall(messages.frame(value))


def _receive(control):
    """One request and the descriptors that came with it (as SCM_RIGHTS, with its first bytes)."""
    from tf_models.learner.checker import messages
    fds = array.array("i")
    header, ancillary, _, _ = control.recvmsg(messages.HEADER.size, socket.CMSG_LEN(4 * fds.itemsize))
    if not header:
        raise EOFError("the grader closed the socket")
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    header += _recv_exactly(control, messages.HEADER.size - len(header))
    _, length = messages.HEADER.unpack(header)
    request = messages.unframe(header + _recv_exactly(control, length))
    if len(fds) not in (1, 3):
        for fd in fds:
            os.close(fd)
        raise messages.BadMessage("a job came without its pipes")
    return request, list(fds)


def _recv_exactly(control, n):
    chunks, got = [], 0
    while got < n:
        chunk = control.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("the grader closed the socket")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except OSError as e:
            if e.errno == errno.EINTR:
                continue
            raise
        view = view[n:]
