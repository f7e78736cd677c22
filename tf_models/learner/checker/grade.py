"""Grade a learner's file: every exercise function found by name, each checked in the sandbox.

For each function, the learner's version runs contained (sandbox.py: a fresh process with limits,
inside namespaces where the kernel allows them) and the project's (``tf_models.exercises``) runs
here, on the same seeded inputs. The numbers the contained process sends back are compared here:
the first output that differs is reported with the known mistake it matches (diagnose.py) or, for
backward functions, the gradient whose formula fails a check against finite differences of the
learner's own forward and cost (gradients.py, run beside the learner's code). A function taken
from the project's own solutions, or leaning on them, gets no PASS (solutions.py).

Each function is graded on its own: when one fails after another function of the same file
failed, it is checked again apart from the learner's other functions, with the project's versions
of those (computed here, called from the sandbox through sandbox.run's ``answer``). If it then
passes, its failure was the other function's and it gets its PASS: a mistake in
backward_propagation fails backward_propagation, not also nn_model and predict.

    check_file(path)                    [Result] for one file, in a sandbox of its own
    check_source(text, "mine.py")       the same for source text (a notebook, a cell)
    Grader(sandbox).check(learner)      many files through one sandbox (scripts/grade_class.py)

The learner's file is read here as Python reads it (source.py) and cut into its top-level
statements (loader.py); of those, the ones the graded functions need (loader.needed: imports,
helpers, module-level values) reach the sandbox. Nothing of the learner's runs here: each chunk
travels as plain data, {"kind", "source", "line"} (other fields stay here), and contained.py executes them in
order: "def" must succeed, any other kind may fail (noted; a failed "import" of a course helper
module gets the stand-ins of course_helpers).
"""
import contextlib
import copy
import inspect
import os
import shutil
import tempfile
import threading
from collections import namedtuple

import numpy as np

from tf_models.learner.checker import contained, differences, diagnose, loader, solutions, specs
from tf_models.learner.checker import sandbox as sandboxes

Result = namedtuple("Result", "exercise name status message message_zh details")
# details["status"] of a function that still raises NotImplementedError (contained.py finds it)
NOT_DONE = contained.NOT_DONE
GRADCHECK_LIMIT = 1e-5  # relative error; a right formula gives about 1e-9 with ε = 1e-6
TRAINED_COST_SLACK = (1.25, 0.01)  # a training run from other draws passes with J ≤ 1.25 J_ref + 0.01
COPY_CAP = 20 * 2 ** 20  # bytes: a larger file is graded without its own copy in the sandbox
# A check apart from the learner's other functions waits for the grader's answers (1500 of them
# for nn_model, about 1 ms each): its time limit is this many times the check's, plus APART_SECONDS.
APART_TIMES, APART_SECONDS = 3, 10.0

# How a check that did not return ends, in Chinese (the English comes from sandbox.interpret).
STATUS_ZH = {
    "timeout": "未在 {timeout:g} 秒内完成（是否有死循环？）",
    "memory": "内存不足（上限为检查器自身之外再加 {memory_mb} MB）",
    "cpu": "CPU 时间超过 {cpu} 秒",
    "stopped": "进程暂停了自己（SIGSTOP），已被终止",
    "output": "返回的数据过多：{value}",
    "corrupt": "返回的结果无法读取（不完整或伪造的消息）：{value}",
    "crash": "Python 进程意外终止：{value}",
    "error": "运行出错：{value}",
}
SOLUTIONS = {
    "taken": ("taken from tf_models, the project's own solutions: they are not an answer",
              "取自 tf_models（本项目自带的参考实现），不计为作答"),
    "uses": ("uses tf_models, the project's own solutions: they are not an answer",
             "使用了 tf_models（本项目自带的参考实现），不计为作答"),
}
Case = namedtuple("Case", "calls theirs")  # the arguments of each call, the project's outputs


def check_file(path, timeout=5.0, memory_mb=1024, exercise=None, names=None, sandbox=None):
    """[Result] for every exercise function the file defines (or only ``names``); ValueError for a
    file that cannot be read, or holds no function named like an exercise's. Without ``sandbox``,
    one is started for this file and closed after."""
    learner = loader.load(path)
    with _sandbox(sandbox, [learner]) as box:
        return Grader(box, timeout, memory_mb).check(learner, exercise, names)


def check_source(text, name="learner.py", **kw):
    """``check_file`` for source text; ``name``'s extension (.py or .ipynb) says how to read it."""
    folder = tempfile.mkdtemp(prefix="tf_models-check-")
    try:
        path = os.path.join(folder, os.path.basename(name))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return check_file(path, **kw)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _sandbox(given, learners):
    if given is not None:
        yield given
        return
    with sandboxes.Sandbox(workers=1, preload=preloads(learners)) as box:
        yield box


def every_statement(learner):
    """The chunks of all the file's top-level statements (an import of the project's solutions
    counts even where no graded function reads it)."""
    return [s.chunk for s in learner.statements]


def preloads(learners):
    """The slow imports of these learners' files, to be made once per worker (sandbox.preloads)."""
    return sandboxes.preloads(c.source for l in learners for c in l.chunks if c.kind == "import")


class Grader(object):
    """Grades files through one sandbox (one worker per thread at a time); the inputs of each
    check and the project's outputs on them are computed once, as every file gets the same."""

    def __init__(self, sandbox, timeout=5.0, memory_mb=1024):
        self.sandbox = sandbox
        self.limits = sandboxes.limits(timeout, memory_mb)
        self.cases = {}
        self.lock = threading.Lock()

    def functions(self, learner, exercise=None):
        """[(Spec, how)] of the graded functions in the file, ``how`` "defined" or "taken" from
        the project; ValueError when there is none."""
        use = solutions.imports(every_statement(learner))
        names = list(learner.functions) + list(use.names)
        exercises = [exercise] if exercise else (specs.exercises_of(names) or solutions.exercises(use))
        out = []
        for ex in exercises:
            taken = solutions.taken([s.name for s in specs.SPECS[ex]], ex, learner.functions, use)
            out += [(s, "defined" if s.name in learner.functions else "taken")
                    for s in specs.SPECS[ex] if s.name in learner.functions or s.name in taken]
        if not out:
            known = sorted({s.name for ex in specs.SPECS.values() for s in ex})
            raise ValueError("%s defines no function named like the exercises' (%s, ...)"
                             % (learner.path, ", ".join(known[:6])))
        return out

    def check(self, learner, exercise=None, names=None):
        """[Result] for the file's graded functions (or only ``names``)."""
        found = [(s, how) for s, how in self.functions(learner, exercise) if names is None or s.name in names]
        if not found:
            raise ValueError("%s defines no function named %s" % (learner.path, ", ".join(names)))
        everything = every_statement(learner)
        leaning = solutions.users(everything, solutions.imports(everything))
        # What the graded functions need (loader.needed), run inside the sandbox, never here.
        kept = loader.needed(learner, [s.name for s, how in found if how == "defined"])
        job = {"chunks": [{"kind": c.kind, "source": c.source, "line": c.line} for c in kept.chunks],
               "path": os.path.basename(learner.path)}
        files = _own_copy(learner.path)
        results, failed = [], set()
        with self.sandbox.lane() as lane:
            for spec, how in found:
                if how == "taken":
                    result = _solutions(spec, "taken", {})
                else:
                    result = self.check_function(lane, job, files, spec)
                    # A function not written yet is that, whatever the others do: not checked apart.
                    if (result.status == "FAIL" and result.details.get("status") != NOT_DONE
                            and any(ex == spec.exercise for ex, _ in failed)):
                        result = self.check_apart(lane, job, files, spec, result)
                    # A function not written yet is "not done yet", whatever the file imports.
                    if result.details.get("status") != NOT_DONE and (
                            spec.name in leaning or result.details.get("blocked")):
                        result = _solutions(spec, "uses", result.details)
                if result.status != "PASS":
                    failed.add((spec.exercise, spec.name))
                results.append(result)
        return results

    def check_function(self, lane, job, files, spec):
        """The Result of one learner function against its Spec."""
        case = self.case(spec, False)
        outcome = lane.run(_job(job, spec, case.calls), files, self.limits)
        extra = {"blocked": outcome.blocked} if outcome.blocked else {}
        if outcome.status == NOT_DONE:
            return _not_done(spec, outcome.value, extra)
        if outcome.status != "ok":
            hint = self._square_hint(lane, job, files, spec) if outcome.status == "error" else None
            en, zh = self._ending(outcome)
            return _fail(spec, (en, zh), hint, dict(extra, status=outcome.status))
        for args, theirs, (mine, grads_error) in zip(case.calls, case.theirs, outcome.value):
            result = _compare_call(spec, args, mine, theirs, grads_error)
            if result is not None:
                result.details.update(extra)
                return result
        return Result(spec.exercise, spec.name, "PASS", "", "", extra)

    def check_apart(self, lane, job, files, spec, first):
        """The Result of a function whose check failed, checked again with the project's versions
        of the exercise's other functions in place of the learner's: a PASS (the failure came from
        those), its own FAIL, or ``first`` when it cannot run that way (another signature, say)."""
        others = [s.name for s in specs.SPECS[spec.exercise] if s.name != spec.name]
        case = self.case(spec, False)
        limits = sandboxes.limits(APART_TIMES * self.limits["timeout"] + APART_SECONDS, self.limits["memory_mb"])
        outcome = lane.run(dict(_job(job, spec, case.calls), oracle=others), files, limits,
                           answer=_project(spec.exercise))
        if outcome.status != "ok":
            return first
        for args, theirs, (mine, grads_error) in zip(case.calls, case.theirs, outcome.value):
            result = _compare_call(spec, args, mine, theirs, grads_error)
            if result is not None:
                return result
        return Result(spec.exercise, spec.name, "PASS", "", "", {"apart": True})

    def case(self, spec, square):
        """The Case of a Spec: its seeded calls and the project's flattened outputs on them."""
        key = (spec.exercise, spec.name, square)
        with self.lock:
            if key not in self.cases:
                calls = spec.calls(np.random.RandomState(0), square)
                theirs = [differences.flatten(_reference(spec, args), spec.labels) for args in calls]
                self.cases[key] = Case(calls, theirs)
            return self.cases[key]

    def _ending(self, outcome):
        """(English, Chinese) for a check that did not return numbers."""
        value = outcome.value
        if outcome.status == "memory":
            value = "ran out of memory (the limit is %d MB above the checker's own)" % self.limits["memory_mb"]
        zh = STATUS_ZH.get(outcome.status, "{value}").format(value=value, **self.limits)
        return value, zh

    def _square_hint(self, lane, job, files, spec):
        """After an exception: on inputs whose sizes are all equal, does the learner's code run and
        match a known mistake (a missing transpose only fails on shapes that differ)?"""
        case = self.case(spec, True)
        outcome = lane.run(_job(job, spec, case.calls), files, self.limits)
        if outcome.status != "ok":
            return None
        for args, theirs, (mine, _) in zip(case.calls, case.theirs, outcome.value):
            difference = differences.first_difference(mine, theirs, spec.kind)
            if difference is not None:
                return diagnose.explain(spec, args, mine, theirs, difference)
        return None


def _project(exercise):
    """answer(name, args, kwargs): the project's version of an exercise function, called for the
    sandbox (its printing turned off, NumPy's warnings silenced: the arguments are the learner's)."""
    functions = {s.name: specs.reference_function(s) for s in specs.SPECS[exercise]}
    signatures = {name: inspect.signature(f) for name, f in functions.items()}

    def answer(name, args, kwargs):
        function = functions[name]
        bound = signatures[name].bind(*args, **kwargs)
        if "print_cost" in signatures[name].parameters:
            bound.arguments["print_cost"] = False
        with np.errstate(all="ignore"):
            return function(*bound.args, **bound.kwargs)
    return answer


def _job(job, spec, calls):
    return dict(job, function=spec.name, calls=calls, labels=spec.labels, seed=spec.seed,
                gradient=spec.kind == "backward")


def _own_copy(path):
    """{file name: bytes}: the submission's own copy for the sandbox (none past COPY_CAP)."""
    try:
        if os.path.getsize(path) > COPY_CAP:
            return {}
        with open(path, "rb") as f:
            return {os.path.basename(path): f.read(COPY_CAP + 1)}
    except (IOError, OSError):
        return {}


def _compare_call(spec, args, mine, theirs, grads_error):
    if spec.kind == "init":
        return _compare_init(spec, mine, theirs)
    difference = differences.first_difference(mine, theirs, spec.kind)
    if difference is None:
        return None
    if spec.kind == "train" and _trained_well(spec, args, mine, theirs):
        return None
    hint = diagnose.explain(spec, args, mine, theirs, difference)
    details = {"output": difference.label, "largest_difference": difference.largest,
               "gradient_check": grads_error}
    if hint is None and isinstance(grads_error, dict):
        worst = max(grads_error, key=grads_error.get) if grads_error else None
        if worst is not None and grads_error[worst] > GRADCHECK_LIMIT:
            hint = ("gradcheck", "%s fails a gradient check against your own forward and cost "
                    "(relative error %.2g): its formula is wrong" % (worst, grads_error[worst]),
                    "%s 未通过梯度检验（相对误差 %.2g，对照你自己的前向传播与代价函数）：公式有误"
                    % (worst, grads_error[worst]))
    return _fail(spec, (difference.text, difference.text_zh), hint, details)


def _compare_init(spec, mine, theirs):
    """Exact when the learner's draw is the exercise's; otherwise every shape and b must be right
    and W must look like the exercise's draw (another seed or draw order is no mistake)."""
    difference = differences.first_difference(mine, theirs, "init")
    if difference is None:
        return None
    problem = (differences.first_difference(mine, theirs, "init", values=False)
               or differences.first_difference(mine, [t for t in theirs if "W" not in t.label], "init"))
    if problem is not None:
        return _fail(spec, (problem.text, problem.text_zh), None, {"output": problem.label})
    statistics = differences.init_statistics(mine, theirs)
    if statistics is None:
        return None
    return _fail(spec, (difference.text, difference.text_zh), diagnose.explain_init(statistics),
                 {"output": difference.label})


def _trained_well(spec, args, mine, theirs):
    """A training run from other random draws than the exercise's: is its final cost as low?"""
    if spec.name not in ("nn_model", "two_layer_model", "L_layer_model"):
        return False
    X, Y = args[0], args[1]
    model = specs.EXERCISES[spec.exercise]
    try:
        parameters = {i.label.split("'")[1]: i.value for i in mine if i.label.startswith("parameters[")}
        ref = {i.label.split("'")[1]: i.value for i in theirs if i.label.startswith("parameters[")}
        cost = _cost(model, parameters, X, Y)
    except Exception:  # the learner's numbers do not make a model: not trained well
        return False
    return cost <= TRAINED_COST_SLACK[0] * _cost(model, ref, X, Y) + TRAINED_COST_SLACK[1]


def _cost(model, parameters, X, Y):
    forward = getattr(model, "forward_propagation", None) or model.L_model_forward
    return float(model.compute_cost(forward(X, parameters)[0], Y))


def _reference(spec, args):
    return specs.reference_function(spec)(*copy.deepcopy(args))


def _not_done(spec, where, details):
    """FAIL, "not done yet": the function (or ``where``, a function it calls) raises NotImplementedError."""
    if where == spec.name:
        en = "not done yet: it still raises NotImplementedError (replace that line with your code)"
        zh = "尚未完成：函数仍在 raise NotImplementedError（把这一行换成你的代码）"
    else:
        en = "not done yet: it calls %s, which still raises NotImplementedError" % where
        zh = "尚未完成：它调用的 %s 仍在 raise NotImplementedError" % where
    return Result(spec.exercise, spec.name, "FAIL", en, zh,
                  dict(details, status=NOT_DONE, function=where, mistake=None))


def _solutions(spec, how, details):
    en, zh = SOLUTIONS[how]
    return Result(spec.exercise, spec.name, "FAIL", en, zh,
                  dict(details, status="solutions", solutions=how, mistake=None))


def _fail(spec, texts, hint, details):
    """A FAIL whose message is ``texts`` (English, Chinese) and the hint (key, English, Chinese)."""
    details = dict(details, mistake=hint[0] if hint else None)
    message = texts[0] + (" -- " + hint[1] if hint else "")
    message_zh = texts[1] + ("——" + hint[2] if hint else "")
    return Result(spec.exercise, spec.name, "FAIL", message, message_zh, details)
