"""Known mistakes: recompute each wrong variant on the same inputs and see if the learner's numbers match.

A variant is a deliberately wrong formula (the course text's misprint, or a slip learners make);
when the learner's first differing output equals that variant's, the checker names the mistake in
plain words, and the erratum where the course text causes it. Messages are (English, Chinese).
"""
import numpy as np

from tf_models import activations
from tf_models.learner.checker import differences
from tf_models.exercises import deep, logistic

MESSAGES = {
    "erratum1": ("your cost uses +log(1 - a) for y = 0, as printed in 1.2.1.2; the loss for y = 0 is "
                 "-log(1 - a): erratum 1",
                 "你的代价函数在 y = 0 时用了 +log(1 - a)（1.2.1.2 的印刷错误）；应为 -log(1 - a)：勘误 1"),
    "erratum3": ("your dZ1 uses (1 - A1)^2, as printed in 1.3.5; tanh' is 1 - A1^2: erratum 3",
                 "你的 dZ1 用了 (1 - A1)^2（1.3.5 的印刷错误）；tanh 的导数是 1 - A1^2：勘误 3"),
    "erratum4": ("your dW multiplies dZ by A_prev without transposing it, as printed in 1.4.2.2; "
                 "dW = (1/m) dZ . A_prev^T: erratum 4",
                 "你的 dW 用 dZ 乘以未转置的 A_prev（1.4.2.2 的印刷错误）；应为 dW = (1/m) dZ . A_prev^T：勘误 4"),
    "uniform": ("your W are all positive: np.random.rand draws from [0, 1), as printed in 1.4.3.3; "
                "use np.random.randn(...) * 0.01: erratum 5",
                "你的 W 全为正数：np.random.rand 取自 [0, 1)（1.4.3.3 的印刷错误）；应用 np.random.randn(...) * 0.01：勘误 5"),
    "zeros": ("your W are all zero: every hidden unit then computes the same thing and stays the same "
              "(1.4.3.3); draw W with np.random.randn(...) * 0.01 and keep b = 0",
              "你的 W 全为零：所有隐藏单元将始终相同（1.4.3.3）；W 应用 np.random.randn(...) * 0.01，b 取 0"),
    "scale": ("your W have standard deviation {detail}; np.random.randn(...) * 0.01 gives about 0.01",
              "你的 W 标准差为 {detail}；np.random.randn(...) * 0.01 的标准差约为 0.01"),
    "missing_1/m": ("{label} is m times too large: the 1/m is missing",
                    "{label} 大了 m 倍：缺少 1/m"),
    "double_1/m": ("{label} is m times too small: the 1/m is applied twice",
                   "{label} 小了 m 倍：1/m 用了两次"),
    "db_all": ("{label} is one number summed over all entries of dZ; use np.sum(dZ, axis=1, keepdims=True) / m",
               "{label} 把 dZ 的所有元素加成了一个数；应为 np.sum(dZ, axis=1, keepdims=True) / m"),
    "db_keepdims": ("{label} has shape {shape}: np.sum(dZ, axis=1) without keepdims=True drops the "
                    "column; use np.sum(dZ, axis=1, keepdims=True)",
                    "{label} 的形状是 {shape}：np.sum(dZ, axis=1) 缺少 keepdims=True；应为 np.sum(dZ, axis=1, keepdims=True)"),
    "not_scalar": ("your cost is an array of shape {shape}, not a scalar; return np.squeeze(cost) or float(cost)",
                   "你的代价是形状为 {shape} 的数组，而不是标量；请返回 np.squeeze(cost) 或 float(cost)"),
    "not_summed": ("your cost has shape {shape}: the losses are not summed over the m examples",
                   "你的代价形状为 {shape}：没有对 m 个样本的损失求和"),
    "plus": ("your update adds the gradient (theta + alpha d_theta); gradient descent subtracts it: "
             "theta := theta - alpha d_theta",
             "你的更新加上了梯度 (theta + alpha d_theta)；梯度下降应减去它：theta := theta - alpha d_theta"),
    "relu_from_dA": ("your ReLU backward sets dZ to 0 where dA <= 0; it must use Z: dZ = 0 where Z <= 0 "
                     "(g'(Z) = 1 for Z > 0)",
                     "你的 ReLU 反向传播在 dA <= 0 处置零；应依据 Z：在 Z <= 0 处 dZ = 0"),
    "relu_times_A": ("your ReLU backward multiplies dA by A = relu(Z) itself; g'(Z) is 1 where Z > 0 and 0 elsewhere",
                     "你的 ReLU 反向传播把 dA 乘以 A = relu(Z) 本身；g'(Z) 在 Z > 0 时为 1，否则为 0"),
    "sigmoid_sign": ("your sigmoid computes 1 / (1 + e^z); it is 1 / (1 + e^-z)",
                     "你的 sigmoid 算成了 1 / (1 + e^z)；应为 1 / (1 + e^-z)"),
    "dAL_sign": ("your dAL has the wrong sign; dAL = -(Y/AL - (1 - Y)/(1 - AL))",
                 "你的 dAL 符号错了；应为 dAL = -(Y/AL - (1 - Y)/(1 - AL))"),
}


# Each mistake's short name (the gradebook's cells and the class summary): (English, Chinese).
SHORT = {
    "erratum1": ("erratum 1: +log(1 - a) in the cost", "勘误 1：代价中的 +log(1 - a)"),
    "erratum3": ("erratum 3: tanh' as (1 - A1)^2", "勘误 3：tanh' 写成 (1 - A1)^2"),
    "erratum4": ("erratum 4: dW without A_prev^T", "勘误 4：dW 中 A_prev 未转置"),
    "uniform": ("erratum 5: np.random.rand for W", "勘误 5：W 用了 np.random.rand"),
    "zeros": ("W initialized to zeros", "W 初始化为零"),
    "scale": ("W at the wrong scale", "W 的尺度不对"),
    "missing_1/m": ("1/m missing", "缺少 1/m"),
    "double_1/m": ("1/m applied twice", "1/m 用了两次"),
    "db_all": ("db summed over all of dZ", "db 对 dZ 全部求和"),
    "db_keepdims": ("db without keepdims=True", "db 缺少 keepdims=True"),
    "not_scalar": ("cost not a scalar", "代价不是标量"),
    "not_summed": ("cost not summed over examples", "代价未对样本求和"),
    "plus": ("update adds the gradient", "更新时加上了梯度"),
    "relu_from_dA": ("ReLU backward masked by dA", "ReLU 反向传播按 dA 置零"),
    "relu_times_A": ("ReLU backward times A", "ReLU 反向传播乘以 A"),
    "sigmoid_sign": ("sigmoid of -z", "sigmoid 符号错误"),
    "dAL_sign": ("dAL with the wrong sign", "dAL 符号错误"),
    "gradcheck": ("fails the gradient check", "未通过梯度检验"),
}
ERRATA = {"erratum1": 1, "erratum3": 3, "erratum4": 4, "uniform": 5}  # mistake -> erratum of the text

def _text_cost(A, Y):
    """Erratum 1's cost: (1/m) Σ [−y log a + (1 − y) log(1 − a)]."""
    A, Y = np.asarray(A, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    return np.sum(-Y * np.log(A) + (1 - Y) * np.log(1 - A)) / A.shape[1]


def _shallow_backward(parameters, cache, X, Y, g_prime, transpose=True):
    m = X.shape[1]
    T = (lambda a: a.T) if transpose else (lambda a: a)
    dZ2 = cache["A2"] - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) * g_prime(cache["A1"])
    return {"dW1": np.dot(dZ1, T(X)) / m, "dW2": np.dot(dZ2, T(cache["A1"])) / m}


def _relu_variant(rule):
    def backward(dA, cache, activation="relu"):
        Z = cache[1] if isinstance(cache, tuple) else cache
        dZ = rule(dA, Z)
        if isinstance(cache, tuple):
            return deep.linear_backward(dZ, cache[0])
        return dZ
    return backward


def _plus(parameters, grads, learning_rate=1.2):
    return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}


def _optimize_plus(w, b, X, Y, num_iterations, learning_rate):
    for _ in range(num_iterations):
        grads, _ = logistic.propagate(w, b, X, Y)
        w, b = w + learning_rate * grads["dw"], b + learning_rate * grads["db"]
    return {"w": w, "b": b}, None, None


_RELU_FROM_DA = _relu_variant(lambda dA, Z: np.where(dA > 0, dA, 0.0))
_RELU_TIMES_A = _relu_variant(lambda dA, Z: dA * activations.relu(Z))

# (exercise, function) -> [(mistake, variant(*args) -> result in the function's own layout)]
VARIANTS = {
    ("logistic", "sigmoid"): [("sigmoid_sign", lambda z: 1 / (1 + np.exp(np.asarray(z, dtype=float))))],
    ("logistic", "propagate"): [("erratum1", lambda w, b, X, Y: (
        None, _text_cost(logistic.sigmoid(np.dot(w.T, X) + b), Y)))],
    ("logistic", "optimize"): [("plus", _optimize_plus)],
    ("shallow", "compute_cost"): [("erratum1", lambda A2, Y: _text_cost(A2, Y))],
    ("deep", "compute_cost"): [("erratum1", lambda AL, Y: _text_cost(AL, Y))],
    ("shallow", "backward_propagation"): [
        ("erratum3", lambda p, c, X, Y: _shallow_backward(p, c, X, Y, lambda A1: (1 - A1) ** 2)),
        ("erratum4", lambda p, c, X, Y: _shallow_backward(p, c, X, Y, lambda A1: 1 - A1 ** 2, False))],
    ("deep", "linear_backward"): [("erratum4", lambda dZ, cache: (
        None, np.dot(dZ, cache[0]) / dZ.shape[1], None))],
    ("deep", "relu_backward"): [("relu_from_dA", _RELU_FROM_DA), ("relu_times_A", _RELU_TIMES_A)],
    ("deep", "linear_activation_backward"): [("relu_from_dA", _RELU_FROM_DA),
                                             ("relu_times_A", _RELU_TIMES_A)],
    ("deep", "L_model_backward"): [("dAL_sign", lambda AL, Y, caches: _dAL_sign(AL, Y, caches))],
    ("shallow", "update_parameters"): [("plus", _plus)],
    ("deep", "update_parameters"): [("plus", _plus)],
}


def _dAL_sign(AL, Y, caches):
    """dAL negated: every gradient of the chain is negated with it."""
    return {k: -v for k, v in deep.L_model_backward(AL, Y, caches).items()}


def explain(spec, args, mine, theirs, difference, square=False):
    """(key, English, Chinese) naming the learner's mistake, or None when none is recognised."""
    for key, variant in VARIANTS.get((spec.exercise, spec.name), []):
        if spec.name == "linear_activation_backward" and args[-1] != "relu" and key.startswith("relu"):
            continue
        try:
            with np.errstate(all="ignore"):
                wrong = differences.flatten(variant(*args), spec.labels)
        except Exception:  # a variant that does not apply to these inputs
            continue
        if differences.same(differences.find(mine, difference.label), differences.find(wrong, difference.label),
                        "train" if spec.kind == "train" else "plain"):
            return _message(key)
    return _generic(args, differences.find(mine, difference.label), differences.find(theirs, difference.label))


def _generic(args, item, ref):
    """Shape and scale slips that any function can make: 1/m, db's axis, a cost that is not a scalar."""
    if item is None or ref is None or item.value is None:
        return None
    label, a, b = ref.label, item.value, ref.value
    if label.endswith("cost") and b.shape == () and a.shape != ():
        key = "not_scalar" if a.size == 1 else "not_summed"
        return _message(key, shape=tuple(a.shape)) if a.size != 1 or np.allclose(a, b) else None
    if "db" in label and b.ndim == 2 and b.shape[1] == 1:
        if a.shape == () and np.allclose(a, np.sum(b)):
            return _message("db_all", label=label)
        if a.shape == (b.shape[0],) and np.allclose(a, b[:, 0]):
            return _message("db_keepdims", label=label, shape=tuple(a.shape))
    m = _m(args)
    if a.shape == b.shape and m > 1 and np.any(b):
        if np.allclose(a, b * m):
            return _message("missing_1/m", label=label)
        if np.allclose(a, b / m):
            return _message("double_1/m", label=label)
    return None


def _m(args):
    """m, the number of examples: the widest second dimension among the 2-D array arguments."""
    widths = [a.shape[1] for a in args if isinstance(a, np.ndarray) and a.ndim == 2]
    return max(widths) if widths else 0


def _message(key, **detail):
    en, zh = MESSAGES[key]
    return key, en.format(**detail), zh.format(**detail)


def explain_init(problem):
    """The message for ``differences.init_statistics``'s finding ("zeros", "uniform", "scale 0.1")."""
    key, _, detail = problem.partition(" ")
    return _message(key, detail=detail)
