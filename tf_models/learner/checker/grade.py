"""Grade one learner file: every exercise function found by name, each in its own child process.

For each function: the reference (``tf_models.exercises``) and the learner's run on the same seeded
inputs; the first output that differs is reported with the known mistake it matches (diagnose.py)
or, for backward functions, the gradient whose formula fails a check against finite differences
of the learner's own forward and cost (gradients.py).
"""
import copy
import sys
import traceback
from collections import namedtuple

import numpy as np

from tf_models.learner.checker import differences, diagnose, gradients, loader, sandbox, specs

Result = namedtuple("Result", "exercise name status message message_zh details")
NOT_DONE = "not_done"  # details["status"] of a function that still raises NotImplementedError
LIBRARY_PATHS = ("tf_models", "site-packages", "dist-packages")  # frames that are not the learner's
GRADCHECK_LIMIT = 1e-5  # relative error; a right formula gives about 1e-9 with ε = 1e-6
TRAINED_COST_SLACK = (1.25, 0.01)  # a training run from other draws passes with J ≤ 1.25 J_ref + 0.01


def check_file(path, timeout=5.0, memory_mb=1024, exercise=None, names=None):
    """[Result] for every exercise function defined in the file (only those in ``names``, when
    given); ValueError for a file that cannot be read, or holds no function named like an exercise's."""
    learner = loader.load(path)
    exercises = [exercise] if exercise else specs.exercises_of(learner.functions)
    found = [s for ex in exercises for s in specs.SPECS[ex] if s.name in learner.functions
             and (names is None or s.name in names)]
    if not found and names is not None:
        raise ValueError("%s defines no function named %s" % (path, ", ".join(names)))
    if not found:
        names = sorted({s.name for ex in specs.SPECS.values() for s in ex})
        raise ValueError("%s defines no function named like the exercises' (%s, ...)"
                         % (path, ", ".join(names[:6])))
    return [check_function(learner, spec, timeout, memory_mb) for spec in found]


def check_function(learner, spec, timeout=5.0, memory_mb=1024):
    """The Result of one learner function against its Spec."""
    calls = spec.calls(np.random.RandomState(0), False)
    outcome = sandbox.run(learner, lambda ns: _learner_task(spec, ns, calls), timeout, memory_mb)
    if outcome.status != "ok":
        hint = _square_hint(learner, spec, timeout, memory_mb) if outcome.status == "error" else None
        return _fail(spec, outcome.value, hint, {"status": outcome.status},
                     _status_zh(outcome, timeout, memory_mb))
    if isinstance(outcome.value, dict):
        return _not_done(spec, outcome.value[NOT_DONE])
    for args, (mine, grads_error) in zip(calls, outcome.value):
        theirs = differences.flatten(_reference(spec, args), spec.labels)
        result = _compare_call(spec, args, mine, theirs, grads_error)
        if result is not None:
            return result
    return Result(spec.exercise, spec.name, "PASS", "", "", {})


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
    text_zh = _difference_zh(difference, theirs)
    if hint is None and isinstance(grads_error, dict):
        worst = max(grads_error, key=grads_error.get) if grads_error else None
        if worst is not None and grads_error[worst] > GRADCHECK_LIMIT:
            hint = ("gradcheck", "%s fails a gradient check against your own forward and cost "
                    "(relative error %.2g): its formula is wrong" % (worst, grads_error[worst]),
                    "%s 未通过梯度检验（相对误差 %.2g，对照你自己的前向传播与代价函数）：公式有误"
                    % (worst, grads_error[worst]))
    return _fail(spec, difference.text, hint, details, text_zh)


def _compare_init(spec, mine, theirs):
    """Exact when the learner's draw is the exercise's; otherwise every shape and b must be right
    and W must look like the exercise's draw (another seed or draw order is no mistake)."""
    difference = differences.first_difference(mine, theirs, "init")
    if difference is None:
        return None
    problem = (differences.first_difference(mine, theirs, "init", values=False)
               or differences.first_difference(mine, [t for t in theirs if "W" not in t.label], "init"))
    if problem is not None:
        return _fail(spec, problem.text, None, {"output": problem.label}, _difference_zh(problem, theirs))
    statistics = differences.init_statistics(mine, theirs)
    if statistics is None:
        return None
    return _fail(spec, difference.text, diagnose.explain_init(statistics), {"output": difference.label})


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
    except Exception:
        return False
    return cost <= TRAINED_COST_SLACK[0] * _cost(model, ref, X, Y) + TRAINED_COST_SLACK[1]


def _cost(model, parameters, X, Y):
    forward = getattr(model, "forward_propagation", None) or model.L_model_forward
    return float(model.compute_cost(forward(X, parameters)[0], Y))


def _learner_task(spec, ns, calls):
    """In the child: the learner's outputs (flattened) and gradient check for each call; or
    {NOT_DONE: function} when the learner's code raises NotImplementedError (a workbook cell not
    filled in yet, or a function it calls)."""
    out = []
    for args in calls:
        if spec.seed is not None:
            np.random.seed(spec.seed)
        try:
            result = ns[spec.name](*copy.deepcopy(args))
        except NotImplementedError:
            where = _learner_frame(ns)
            if where is None:  # raised inside a library, not by the learner's code: an ordinary error
                raise
            return {NOT_DONE: where}
        grads_error = None
        if spec.kind == "backward":
            try:
                grads_error = gradients.check(spec, ns, copy.deepcopy(args), result)
            except Exception as e:  # the learner's forward or cost fails: say so, keep the outputs
                grads_error = "gradient check not possible: %s: %s" % (type(e).__name__, e)
        out.append((differences.flatten(result, spec.labels), grads_error))
    return out


def _learner_frame(ns):
    """The name of the learner's function where the exception being handled was raised, or None."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    own = [f for f in frames if f[0] == ns.get("__file__")]
    if not own:
        own = [f for f in frames if not any(part in f[0] for part in LIBRARY_PATHS)]
    return own[-1][2] if own else None


def _reference(spec, args):
    return specs.reference_function(spec)(*copy.deepcopy(args))


def _square_hint(learner, spec, timeout, memory_mb):
    """After an exception: on inputs whose sizes are all equal, does the learner's code run and
    match a known mistake (a missing transpose only fails on shapes that differ)?"""
    calls = spec.calls(np.random.RandomState(0), True)
    outcome = sandbox.run(learner, lambda ns: _learner_task(spec, ns, calls), timeout, memory_mb)
    if outcome.status != "ok":
        return None
    for args, (mine, _) in zip(calls, outcome.value):
        theirs = differences.flatten(_reference(spec, args), spec.labels)
        difference = differences.first_difference(mine, theirs, spec.kind)
        if difference is not None:
            return diagnose.explain(spec, args, mine, theirs, difference)
    return None


def _not_done(spec, where):
    """FAIL, "not done yet": the function (or ``where``, a function it calls) raises NotImplementedError."""
    if where == spec.name:
        en = "not done yet: it still raises NotImplementedError (replace that line with your code)"
        zh = "尚未完成：函数仍在 raise NotImplementedError（把这一行换成你的代码）"
    else:
        en = "not done yet: it calls %s, which still raises NotImplementedError" % where
        zh = "尚未完成：它调用的 %s 仍在 raise NotImplementedError" % where
    return Result(spec.exercise, spec.name, "FAIL", en, zh,
                  {"status": NOT_DONE, "function": where, "mistake": None})


def _status_zh(outcome, timeout, memory_mb):
    """The Chinese of a sandbox Outcome that is not "ok" (an exception's own text stays as it is)."""
    if outcome.status == "timeout":
        return "超时：%g 秒内没有结束（死循环？）" % timeout
    if outcome.status == "memory":
        return "内存不够：超出了检查器自身之外的 %d MB 上限" % memory_mb
    if outcome.status == "crash":
        return "Python 进程崩溃：" + outcome.value
    return "运行出错：" + outcome.value


def _difference_zh(difference, theirs):
    """The Chinese of a Difference's message (the numbers and names stay as they are)."""
    label = difference.label
    if difference.largest is not None:
        return "%s 与参考答案不一致：最多相差 %.3g" % (label, difference.largest)
    ref = differences.find(theirs, label)
    if difference.shape is not None and ref is not None and ref.value is not None:
        return "%s 的形状是 %s，应为 %s" % (label, tuple(difference.shape), tuple(ref.value.shape))
    if difference.text.startswith("no "):
        return "结果中没有 %s" % label
    return "%s 的类型不对（见英文说明）" % label


def _fail(spec, text, hint, details, text_zh=None):
    """A FAIL Result; the Chinese message is the hint's, else ``text_zh`` (what differs, in Chinese)."""
    details = dict(details, mistake=hint[0] if hint else None)
    message = text + (" -- " + hint[1] if hint else "")
    message_zh = hint[2] if hint else (text_zh or "")
    return Result(spec.exercise, spec.name, "FAIL", message, message_zh, details)
