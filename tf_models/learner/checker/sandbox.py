"""Run a learner's code in a child process with a time limit and a memory limit.

Each check forks a child that builds the learner's namespace, calls ``task(namespace)`` and sends
back what it returned. An exception, an endless loop (killed after ``timeout`` seconds) or a huge
allocation (address space capped with RLIMIT_AS, so NumPy raises MemoryError) ends that child
only: the caller gets an Outcome naming what happened and goes on with the next check.
The learner's printing and warnings are discarded (stdout and stderr go to /dev/null in the child).
"""
import multiprocessing
import os
import sys
import traceback
from collections import namedtuple

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows; then only the time limit applies
    resource = None

# status: "ok" (value is what task returned), "error", "timeout", "memory", "crash" (value: a message)
Outcome = namedtuple("Outcome", "status value")


def run(learner, task, timeout=5.0, memory_mb=1024):
    """Outcome of ``task(namespace)`` run in a child on the learner's kept source (see loader)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(learner, task, send, memory_mb))
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            return Outcome("timeout", "did not finish within %g s (an endless loop?)" % timeout)
        try:
            return receive.recv()
        except (EOFError, OSError):
            child.join(1)
            return Outcome("crash", "the Python process died (exit status %s)" % child.exitcode)
    finally:
        if child.is_alive():
            child.kill() if hasattr(child, "kill") else child.terminate()
        child.join(5)
        receive.close()


def namespace_of(learner):
    """Execute the kept imports (each may fail: noted, not fatal) and definitions; return the globals."""
    from tf_models.learner.checker import course_helpers
    ns = {"__name__": "learner", "__file__": learner.path}
    for chunk in learner.chunks:
        # Blank lines first, so that tracebacks give the line numbers of the learner's file.
        code = compile("\n" * (chunk.line - 1) + chunk.source, learner.path, "exec")
        if chunk.kind == "import":
            try:
                exec(code, ns)
            except Exception:  # a course helper module (dnn_utils, lr_utils, ...) not installed here
                course_helpers.stand_in(chunk.source, ns)
        else:
            exec(code, ns)
    return ns


def _child(learner, task, send, memory_mb):
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the learner's prints and NumPy's warnings are not the checker's report
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    _limit_memory(memory_mb)
    try:
        outcome = Outcome("ok", task(namespace_of(learner)))
    except MemoryError:
        outcome = Outcome("memory", "ran out of memory (the limit is %d MB above the checker's own)"
                          % memory_mb)
    except RecursionError:
        outcome = Outcome("error", "RecursionError: the function calls itself without end")
    except BaseException as e:  # the learner's code: anything may be raised
        outcome = Outcome("error", _describe(e))
    try:
        send.send(outcome)
    except Exception as e:  # an unpicklable value in the task's result
        send.send(Outcome("error", "returned something the checker cannot read: %s" % e))
    send.close()
    os._exit(0)


def _describe(e):
    """'ValueError: message (line N, in function)': the learner's frame nearest the error."""
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if "tf_models" not in f[0]]
    where = " (line %d, in %s)" % (frames[-1][1], frames[-1][2]) if frames else ""
    text = str(e).strip().split("\n")[0]
    return "%s: %s%s" % (type(e).__name__, text, where) if text else type(e).__name__ + where


def _limit_memory(memory_mb):
    """Cap the address space at what the process maps now plus ``memory_mb``."""
    if resource is None:
        return
    try:
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (IOError, OSError, ValueError):
        used = 2 * 1024 ** 3
    limit = used + memory_mb * 1024 ** 2
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
