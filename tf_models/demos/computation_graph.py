"""The computation graph of 1.2.3: J(a, b, c) = 3(a + bc), forward and backward.

    forward (left to right)      u = bc          v = a + u          J = 3v
    backward (right to left)     dJ/dv = 3
                                 dJ/da = dJ/dv · dv/da = 3 · 1     dJ/du = dJ/dv · dv/du = 3 · 1
                                 dJ/db = dJ/du · du/db = 3 · c     dJ/dc = dJ/du · du/dc = 3 · b

At a = 7, b = 4, c = 2: u = 8, v = 15, J = 45, dJ/da = 3, dJ/db = 6, dJ/dc = 12.
ERRATA 2: the text (1.2.3.3) writes dJ/dc = 9 = 3·3, a leftover from the example with b = 3.
"""
from collections import OrderedDict

from tf_models.demos import common

TEXT_VALUES = {"dJ/dc": 9.0}  # what 1.2.3.3 prints (wrong), to be shown beside the right value
NAMES = ("u", "v", "J", "dJ/dv", "dJ/du", "dJ/da", "dJ/db", "dJ/dc")


def by_hand(a=7.0, b=4.0, c=2.0):
    """Forward values and derivatives by the chain rule, one local derivative at a time."""
    r = OrderedDict()
    # forward
    r["u"] = b * c
    r["v"] = a + r["u"]
    r["J"] = 3 * r["v"]
    # backward: each derivative is the one to its right times a local derivative
    r["dJ/dv"] = 3.0                     # J = 3v
    r["dJ/du"] = r["dJ/dv"] * 1.0        # v = a + u, dv/du = 1
    r["dJ/da"] = r["dJ/dv"] * 1.0        # dv/da = 1
    r["dJ/db"] = r["dJ/du"] * c          # u = bc, du/db = c
    r["dJ/dc"] = r["dJ/du"] * b          # du/dc = b   (ERRATA 2: not 3·3 = 9)
    return r


def by_nudging(a=7.0, b=4.0, c=2.0, h=0.001):
    """The text's way of reading a derivative (1.2.3.2): nudge one input by h, divide ΔJ by h.

    For example a: 7 → 7.001 moves J from 45 to 45.003, so dJ/da ≈ 3. Returns dJ/da, dJ/db, dJ/dc.
    """
    J = lambda a_, b_, c_: 3 * (a_ + b_ * c_)  # noqa: E731
    J0 = J(a, b, c)
    return OrderedDict([("dJ/da", (J(a + h, b, c) - J0) / h),
                        ("dJ/db", (J(a, b + h, c) - J0) / h),
                        ("dJ/dc", (J(a, b, c + h) - J0) / h)])


def by_tensorflow(a=7.0, b=4.0, c=2.0):
    """The same graph in TensorFlow; derivatives by ``tf.gradients`` (reverse-mode autodiff)."""
    from tf_models.graphs.tfcompat import tf
    graph = tf.Graph()
    with graph.as_default():
        a_ = tf.constant(a, tf.float64, name="a")
        b_ = tf.constant(b, tf.float64, name="b")
        c_ = tf.constant(c, tf.float64, name="c")
        u = tf.multiply(b_, c_, name="u")
        v = tf.add(a_, u, name="v")
        J = tf.multiply(tf.constant(3.0, tf.float64), v, name="J")
        grads = tf.gradients(J, [v, u, a_, b_, c_])
    with tf.Session(graph=graph) as sess:
        values = sess.run([u, v, J] + grads)
    return OrderedDict(zip(NAMES, [float(x) for x in values]))


def computation_graph(a=7.0, b=4.0, c=2.0):
    """All three: {"hand": ..., "tf": ..., "nudge": ..., each a dict by name; "inputs": {a, b, c};
    "text": the text's printed values, for the text's inputs (7, 4, 2) only}."""
    text = dict(TEXT_VALUES) if (a, b, c) == (7.0, 4.0, 2.0) else {}
    return {"hand": by_hand(a, b, c), "tf": by_tensorflow(a, b, c), "nudge": by_nudging(a, b, c),
            "inputs": OrderedDict([("a", a), ("b", b), ("c", c)]), "text": text}


def table(result):
    """The values as lines of text: name, by hand, by tf.gradients, by nudging, the text's value."""
    lines = ["%-6s %10s %14s %12s %10s" % ("", "by hand", "tf.gradients", "nudge 0.001", "the text")]
    for name in NAMES:
        nudge = result["nudge"].get(name)
        text = result["text"].get(name)
        lines.append("%-6s %10g %14g %12s %10s" % (
            name, result["hand"][name], result["tf"][name],
            "%.4f" % nudge if nudge is not None else "", "%g  (!)" % text if text is not None else ""))
    return lines


def plot_computation_graph(result, path=None):
    """The graph as boxes and arrows: forward values in black, derivatives dJ/d· in red."""
    from tf_models import plots
    plt = plots.plt
    hand = result["hand"]
    fig, ax = plt.subplots(figsize=(8, 4))
    boxes = {"a": (0.08, 0.8), "b": (0.08, 0.5), "c": (0.08, 0.2), "u": (0.38, 0.35),
             "v": (0.63, 0.6), "J": (0.88, 0.6)}
    labels = {"a": "a = %g", "b": "b = %g", "c": "c = %g", "u": "u = bc = %g",
              "v": "v = a + u = %g", "J": "J = 3v = %g"}
    inputs = dict(result["inputs"])
    inputs.update({k: hand[k] for k in ("u", "v", "J")})
    for name, (x, y) in boxes.items():
        ax.text(x, y, labels[name] % inputs[name], ha="center", va="center", fontsize=11,
                bbox=dict(boxstyle="round", fc="#eef4fb", ec="#1f77b4"))
        if name != "J":
            ax.text(x, y - 0.11, "dJ/d%s = %g" % (name, hand["dJ/d" + name]), ha="center",
                    color="#c0392b", fontsize=10)
    for src, dst in (("a", "v"), ("b", "u"), ("c", "u"), ("u", "v"), ("v", "J")):
        (x0, y0), (x1, y1) = boxes[src], boxes[dst]
        ax.annotate("", xy=(x1 - 0.09, y1), xytext=(x0 + 0.09, y0),
                    arrowprops=dict(arrowstyle="->", color="0.4"))
    if result["text"]:
        ax.text(0.5, 0.02, "the text (1.2.3.3) says dJ/dc = 9 = 3·3; the chain rule gives 3·b = %g "
                "(tf.gradients: %g)" % (hand["dJ/dc"], result["tf"]["dJ/dc"]),
                ha="center", fontsize=9, style="italic")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title("1.2.3 computation graph J = 3(a + bc): forward values, derivatives in red")
    return common.finish(fig, path)

