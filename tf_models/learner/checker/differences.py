"""Outputs as labelled arrays, and where a learner's first differ from the reference's.

``flatten`` turns a result (tuples, dicts, lists of costs, numbers) into [(label, type, array)],
e.g. propagate's ({"dw", "db"}, cost) into grads['dw'], grads['db'], cost. ``first_difference``
walks the reference's labels in order and returns the first that the learner's output lacks, has
in another shape or with other numbers (beyond the tolerance), with a message in plain words, in
English and in Chinese. ``flatten`` also runs inside the sandbox (contained.py): this module
imports NumPy alone.
"""
from collections import namedtuple

import numpy as np

Item = namedtuple("Item", "label type value")  # value: float64 array, or None if not numeric
Difference = namedtuple("Difference", "label shape largest text text_zh")

TOLERANCE = {"plain": 1e-7, "backward": 1e-7, "init": 1e-7, "train": 1e-5}


def flatten(result, labels):
    """[Item] of a function's result; ``labels`` names the parts of a tuple ("" drops one)."""
    if isinstance(labels, tuple):
        if not isinstance(result, (tuple, list)) or len(result) != len(labels):
            return [Item("(result)", type(result).__name__, None)]
        parts = zip(labels, result)
    else:
        parts = [(labels, result)]
    items = []
    for label, value in parts:
        if label:
            items.extend(_leaves(label, value))
    return items


def _leaves(label, value):
    if isinstance(value, dict):
        return [leaf for key in value for leaf in _leaves("%s[%r]" % (label, key), value[key])]
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    return [Item(label, type(value).__name__, array)]


def first_difference(mine, theirs, kind, values=True):
    """The first Difference between learner items ``mine`` and reference items ``theirs``, or None
    (``values=False``: labels, types and shapes only)."""
    by_label = {item.label: item for item in mine}
    for ref in theirs:
        item = by_label.get(ref.label)
        if item is None:
            found = ", ".join(i.label for i in mine) or "nothing"
            return Difference(ref.label, None, None, "no %s in the result (found: %s)" % (ref.label, found),
                              "结果中没有 %s（找到的是：%s）" % (ref.label, found if mine else "无"))
        problem = _type_problem(item, ref)
        if problem:
            return Difference(ref.label, None, None, problem[0], problem[1])
        if item.value.shape != ref.value.shape:
            shapes = (ref.label, _shape(item.value), _shape(ref.value))
            return Difference(ref.label, item.value.shape, None, "%s has shape %s, expected %s" % shapes,
                              "%s 的形状是 %s，应为 %s" % shapes)
        largest = _largest(item.value, ref.value) if values else 0.0
        if largest > TOLERANCE[kind] * _scale(ref.value):
            numbers = (ref.label, _shape(ref.value), largest)
            return Difference(ref.label, ref.value.shape, largest, "%s %s differs by up to %.3g" % numbers,
                              "%s %s 与参考值最多相差 %.3g" % numbers)
    return None


def same(item, ref, kind="plain"):
    """Whether a learner item equals a (reference or variant) item: shape and numbers."""
    return (item is not None and ref is not None and item.value is not None and ref.value is not None
            and item.value.shape == ref.value.shape
            and _largest(item.value, ref.value) <= TOLERANCE[kind] * _scale(ref.value))


def find(items, label):
    """The item of that label, or None."""
    return next((i for i in items if i.label == label), None)


def _type_problem(item, ref):
    """(English, Chinese) when the learner's item is not numbers or not of the wanted type."""
    if item.value is None:
        return ("%s is a %s, not numbers" % (ref.label, item.type),
                "%s 是 %s，不是数值" % (ref.label, item.type))
    if ref.label == "b" and ref.type == "float" and item.type != "float":  # initialize_with_zeros
        return ("b is a %s; the exercise wants a Python float (b = 0.0)" % item.type,
                "b 是 %s；练习要求 Python 浮点数（b = 0.0）" % item.type)
    return None


def _largest(a, b):
    """Largest |a − b|; inf where one is NaN or infinite and the other is not."""
    finite_a, finite_b = np.isfinite(a), np.isfinite(b)
    if np.any(finite_a != finite_b) or np.any(a[~finite_a] != b[~finite_b]):
        return float("inf")
    d = np.abs(np.where(finite_a, a, 0) - np.where(finite_b, b, 0))
    return float(np.max(d)) if d.size else 0.0


def _scale(value):
    """The size a tolerance is relative to: the largest |entry|, at least 1."""
    finite = np.abs(value[np.isfinite(value)])
    return max(1.0, float(np.max(finite))) if finite.size else 1.0


def _shape(a):
    return str(tuple(a.shape))


def init_statistics(items, theirs):
    """For an initializer whose draws differ from the exercise's: a problem with W's statistics
    (all zero, all positive, a wrong scale), or None when they look like randn · 0.01 (or the deep
    application's randn / sqrt(n[l−1]))."""
    for ref in theirs:
        item = find(items, ref.label)
        if item is None or item.value is None or item.value.shape != ref.value.shape:
            return None  # first_difference reports these
        if "W" not in ref.label:
            continue
        W = item.value
        n_prev = W.shape[1]
        if not np.any(W):
            return "zeros"
        if np.all(W >= 0):
            return "uniform"
        std = float(np.std(W))
        if not (0.005 < std < 0.02 or 0.5 / np.sqrt(n_prev) < std < 2 / np.sqrt(n_prev)):
            return "scale %.3g" % std
    return None
