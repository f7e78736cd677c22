"""Grade one learner file: every exercise function found by name, each in its own child process.

For each function: the reference (``tf_models.exercises``) and the learner's run on the same seeded
inputs; the first output that differs is reported with the known mistake it matches (diagnose.py)
or, for backward functions, the gradient whose formula fails a check against finite differences
of the learner's own forward and cost (gradients.py).
"""
import copy
from collections import namedtuple

import numpy as np

from tf_models.learner.checker import (course_helpers, differences, diagnose, gradients, loader,
                                      sandbox, specs)

Result = namedtuple("Result", "exercise name status message message_zh details")
GRADCHECK_LIMIT = 1e-5  # relative error; a right formula gives about 1e-9 with ε = 1e-6
TRAINED_COST_SLACK = (1.25, 0.01)  # a training run from other draws passes with J ≤ 1.25 J_ref + 0.01


def check_file(path, timeout=5.0, memory_mb=1024, exercise=None):
    """[Result] for every exercise function defined in the file; ValueError for a file that cannot
    be read, or holds no function named like an exercise's."""
    learner = loader.load(path)
    exercises = [exercise] if exercise else specs.exercises_of(learner.functions)
    found = [s for ex in exercises for s in specs.SPECS[ex] if s.name in learner.functions]
    if not found:
        names = sorted({s.name for ex in specs.SPECS.values() for s in ex})
        raise ValueError("%s defines no function named like the exercises' (%s, ...)"
                         % (path, ", ".join(names[:6])))
    learner = loader.needed(learner, [s.name for s in found])  # what the graded functions need
    return [check_function(learner, spec, timeout, memory_mb) for spec in found]


def check_function(learner, spec, timeout=5.0, memory_mb=1024):
    """The Result of one learner function against its Spec."""
    calls = spec.calls(np.random.RandomState(0), False)
    outcome = sandbox.run(learner, lambda ns: _learner_task(spec, ns, calls), timeout, memory_mb)
    if outcome.status != "ok":
        hint = _square_hint(learner, spec, timeout, memory_mb) if outcome.status == "error" else None
        return _fail(spec, outcome.value, hint, {"status": outcome.status})
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
    if hint is None and isinstance(grads_error, dict):
        worst = max(grads_error, key=grads_error.get) if grads_error else None
        if worst is not None and grads_error[worst] > GRADCHECK_LIMIT:
            hint = ("gradcheck", "%s fails a gradient check against your own forward and cost "
                    "(relative error %.2g): its formula is wrong" % (worst, grads_error[worst]),
                    "%s 未通过梯度检验（相对误差 %.2g，对照你自己的前向传播与代价函数）：公式有误"
                    % (worst, grads_error[worst]))
    return _fail(spec, difference.text, hint, details)


def _compare_init(spec, mine, theirs):
    """Exact when the learner's draw is the exercise's; otherwise every shape and b must be right
    and W must look like the exercise's draw (another seed or draw order is no mistake)."""
    difference = differences.first_difference(mine, theirs, "init")
    if difference is None:
        return None
    problem = (differences.first_difference(mine, theirs, "init", values=False)
               or differences.first_difference(mine, [t for t in theirs if "W" not in t.label], "init"))
    if problem is not None:
        return _fail(spec, problem.text, None, {"output": problem.label})
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
    """In the child: the learner's outputs (flattened) and gradient check for each call."""
    course_helpers.install()  # an import of dnn_utils inside a function finds the stand-in
    if spec.name not in ns:
        raise NameError("name %r is not defined: the top-level statement that defines it did not run "
                        "or failed" % spec.name)
    out = []
    for args in calls:
        if spec.seed is not None:
            np.random.seed(spec.seed)
        result = ns[spec.name](*copy.deepcopy(args))
        grads_error = None
        if spec.kind == "backward":
            try:
                grads_error = gradients.check(spec, ns, copy.deepcopy(args), result)
            except Exception as e:  # the learner's forward or cost fails: say so, keep the outputs
                grads_error = "gradient check not possible: %s: %s" % (type(e).__name__, e)
        out.append((differences.flatten(result, spec.labels), grads_error))
    return out


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


def _fail(spec, text, hint, details):
    details = dict(details, mistake=hint[0] if hint else None)
    message = text + (" -- " + hint[1] if hint else "")
    message_zh = hint[2] if hint else ""
    return Result(spec.exercise, spec.name, "FAIL", message, message_zh, details)
