"""Inside the sandbox: build the learner's namespace, call one function on the grader's inputs, send
back its outputs as plain data (``messages``). This is the only checker code that runs beside the
learner's; it imports NumPy and the numpy-only parts of the checker (differences.flatten,
gradients, course_helpers), never the project's solutions.

A job (from the grader, through worker.py) is a dict:
    chunks    [{"kind", "source", "line"}]: the learner's top-level statements that the graded
              functions need (loader.needed: imports, helpers, module-level values), run in
              order ("def": a failure fails the check; any other kind, "import" say: a failure
              is passed over, and for an import of a course helper module course_helpers stands in)
    path      the file's name inside the sandbox (its __file__)
    function  the name to call; calls: [args tuple, ...]; labels: how to flatten the result
    seed      the global NumPy seed set before each call, or None
    gradient  whether to gradient-check the result against the learner's own forward and cost
    oracle    names of functions whose project versions (computed by the grader, see Oracle)
              replace the learner's for this check: the function is checked apart from them
The reply: {"status": "ok", "calls": [[items, gradient_check]], "blocked": [...]},
{"status": "error" | "memory", "message": ..., "blocked": [...]} or {"status": "not_done",
"function": the learner's function that raised NotImplementedError, "blocked": [...]}, where items are
[[label, type name, float64 array or None]] and ``blocked`` lists the imports of ``tf_models``
the learner's code attempted (refused here: the project's solutions are not an answer).
"""
import ast
import copy
import os
import sys
import traceback

import numpy as np

from tf_models.learner.checker import course_helpers, differences, gradients, messages

PROJECT = "tf_models"
NOT_DONE = "not_done"  # the reply's status when the learner's code raises NotImplementedError
LIBRARY_PATHS = ("tf_models", "site-packages", "dist-packages")  # frames that are not the learner's


class NotDone(Exception):
    """The checked function (or ``function``, one it calls) still raises NotImplementedError: a
    workbook cell not filled in yet."""

    def __init__(self, function):
        Exception.__init__(self, function)
        self.function = function


class SolutionsBlocker(object):
    """A meta-path finder that refuses every import of the project's package and records it."""

    def __init__(self):
        self.attempts = []

    def find_spec(self, name, path=None, target=None):
        if name == PROJECT or name.startswith(PROJECT + "."):
            self.attempts.append(name)
            raise ImportError("%s is the project's own solutions: a graded submission cannot import it"
                              % name)
        return None

    def find_module(self, name, path=None):  # Python < 3.4 finders; 3.6 still asks both
        self.find_spec(name, path)
        return None


def hide_project():
    """Forget the project's modules (the checker's own functions keep what they imported) and
    refuse their import from now on. Returns the blocker (its ``attempts``)."""
    for name in [n for n in sys.modules if n == PROJECT or n.startswith(PROJECT + ".")]:
        del sys.modules[name]
    blocker = SolutionsBlocker()
    sys.meta_path.insert(0, blocker)
    return blocker


def run(job, blocker, oracle=None):
    """The reply to ``job`` (see the module docstring); the learner's exceptions are caught here."""
    try:
        reply = {"status": "ok", "calls": _calls(job, oracle, blocker)}
    except NotDone as e:
        reply = {"status": NOT_DONE, "function": e.function}
    except MemoryError:
        reply = {"status": "memory", "message": "MemoryError"}
    except RecursionError:
        reply = {"status": "error", "message": "RecursionError: the function calls itself without end"}
    except BaseException as e:  # the learner's code: anything may be raised, SystemExit included
        reply = {"status": "error", "message": describe(e)}
    reply["blocked"] = list(blocker.attempts)
    return reply


def namespace(job, blocker=None):
    """Execute the learner's kept statements; return the globals.

    A plain ``import``/``from ... import`` of the project at the top level is read by the grader
    from the source (solutions.py), which flags only the functions that use what it binds (a
    workbook imports the project's datasets and plots); its refusal here is not recorded, so that
    it does not count against every function of the file."""
    ns = {"__name__": "learner", "__file__": job["path"]}
    for chunk in job["chunks"]:
        kind, source, line = chunk["kind"], chunk["source"], chunk["line"]
        # Blank lines first, so that tracebacks give the line numbers of the learner's file.
        code = compile("\n" * (line - 1) + source, job["path"], "exec")
        if kind == "def":
            exec(code, ns)
            continue
        before = len(blocker.attempts) if blocker is not None else 0
        try:
            exec(code, ns)
        except Exception:  # e.g. a course helper module (dnn_utils, lr_utils, ...) not installed here
            if kind == "import":
                course_helpers.stand_in(source, ns)
        if blocker is not None and _plain_import(source):
            del blocker.attempts[before:]
    return ns


def _plain_import(source):
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body)


def _calls(job, oracle, blocker=None):
    ns = namespace(job, blocker)
    course_helpers.install()  # an import of dnn_utils inside a function finds the stand-in
    if job["function"] not in ns:
        raise NameError("name %r is not defined: the top-level statement that defines it did not run "
                        "or failed" % job["function"])
    function = ns[job["function"]]
    for name in job.get("oracle", ()):  # the project's versions, through the grader, replace the learner's
        ns[name] = oracle.function(name)
    labels = job["labels"]
    out = []
    for args in job["calls"]:
        if job["seed"] is not None:
            np.random.seed(job["seed"])
        try:
            result = function(*copy.deepcopy(args))
        except NotImplementedError:
            where = _learner_frame(job["path"])
            if where is None:  # raised inside a library, not by the learner's code: an ordinary error
                raise
            raise NotDone(where)
        grads_error = None
        if job["gradient"]:
            try:
                grads_error = gradients.check(job["function"], ns, copy.deepcopy(args), result)
            except Exception as e:  # the learner's forward or cost fails: say so, keep the outputs
                grads_error = "gradient check not possible: %s" % describe(e)
        items = [[i.label, i.type, i.value] for i in differences.flatten(result, labels)]
        out.append([items, grads_error])
    return out


def _learner_frame(path):
    """The name of the learner's function where the exception being handled was raised, or None."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    own = [f for f in frames if f[0] == path]
    if not own:
        own = [f for f in frames if not any(part in f[0] for part in LIBRARY_PATHS)]
    return own[-1][2] if own else None


def describe(e):
    """'ValueError: message (line N, in function)': the learner's frame nearest the error."""
    here = os.path.dirname(os.path.abspath(__file__))
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if not f[0].startswith(here)]
    where = " (line %d, in %s)" % (frames[-1][1], frames[-1][2]) if frames else ""
    try:
        text = str(e).strip().split("\n")[0][:300]
    except Exception:  # a learner's exception whose __str__ fails
        text = ""
    return "%s: %s%s" % (type(e).__name__, text, where) if text else type(e).__name__ + where


def reply_bytes(reply):
    """The reply as one message; a value that is not plain data becomes an error reply."""
    try:
        return messages.frame(reply)
    except (TypeError, ValueError, RecursionError) as e:
        return messages.frame({"status": "error", "blocked": reply.get("blocked", []),
                               "message": "returned something the checker cannot read: %s" % e})


class Oracle(object):
    """The project's versions of the functions a checked function uses, computed by the grader: a
    call sends its arguments as a message through one descriptor and reads the value from another
    (grade.py checks a function apart from the learner's others this way; the project's code
    itself never enters the sandbox)."""

    def __init__(self, question_fd, answer_fd):
        self.question_fd, self.answer_fd = question_fd, answer_fd

    def function(self, name):
        def call(*args, **kwargs):
            _write(self.question_fd, messages.frame({"call": name, "args": list(args), "kwargs": kwargs}))
            answer = messages.read_frame(lambda n: os.read(self.answer_fd, n))
            if "error" in answer:
                raise ValueError("the project's %s: %s" % (name, answer["error"]))
            return answer["value"]
        call.__name__ = name
        return call


def _write(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
