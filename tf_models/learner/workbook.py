"""Checks inside the workbook's notebooks (notebooks/workbook/): the checker's engine, where the learner works.

    from tf_models.learner import workbook
    check = workbook.Checker("shallow", lang="zh-CN")   # the notebook's exercise and language
    ...
    check("backward_propagation")   # one function: PASS, or FAIL naming the mistake
    check()                         # every graded function, as scripts/check_mine.py grades a file

What is checked is what the kernel has run: IPython's input history (every cell executed so far,
in order, as typed) is written as a notebook into a temporary folder and graded by
``checker.check_file``, the engine of check_mine.py. As there, of the cells' top-level code only
what the graded functions need runs (a later definition replaces an earlier one, as in the kernel),
and each function runs contained (the checker's sandbox: its own process, namespaces where the
kernel allows them, time and memory limits), so an endless loop or a crash ends that process,
never this kernel. The lines are check_mine's (PASS / FAIL, the same named mistakes
and errata), with the Chinese first in a zh-CN notebook.

``skip_if_unfinished`` lets the cells that use the learner's functions (training, plots) run
before those functions are written: a NotImplementedError becomes one line, so the notebook
still runs top to bottom. ``by_nudging`` checks the computation-graph warm-up of 1.2.3; it calls
the learner's function in this kernel (it is three multiplications), not in a child.
"""
import ast
import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import traceback
import warnings

from tf_models.learner import checker
from tf_models.learner.checker import grade, report, specs

TIMEOUT = 10.0    # seconds per function, as scripts/check_mine.py
MEMORY_MB = 1024  # memory a function may add, as scripts/check_mine.py
LANGUAGES = ("en", "zh-CN")
NUDGE = 1e-3      # the step of 1.2.3.1: a moves from 2 to 2.001

# (English, Chinese) of what the workbook says itself; the checker's lines come from report.py.
TEXTS = {
    "no_kernel": ("check() grades the cells this notebook has run, so it works inside Jupyter; "
                  "elsewhere grade a file: python scripts/check_mine.py FILE",
                  "check() 检查的是本笔记本已运行过的单元格，只能在 Jupyter 中使用；"
                  "其他场合请检查文件：python scripts/check_mine.py 文件名"),
    "unknown": ("error: %s is not a graded function of this workbook; they are: %s",
                "错误：%s 不是本练习要检查的函数；要检查的函数有：%s"),
    "not_defined": ("FAIL  %s.%s: not defined yet -- run the cell with def %s( first",
                    "FAIL  %s.%s: 还没有定义——请先运行 def %s( 所在的单元格"),
    "nothing": ("no graded function is defined yet: run the cells above first",
                "还没有定义任何要检查的函数：请先运行上面的单元格"),
    "cannot": ("error: cannot check the cells: %s", "错误：无法检查这些单元格：%s"),
    "skipped": ("skipped: %s is not done yet (it raises NotImplementedError); fill it in, then run "
                "this cell again", "已跳过：%s 尚未完成（仍在 raise NotImplementedError）；写好后再运行本单元格"),
    "graph_pass": ("PASS  computation_graph (warm-up): %s", "PASS  computation_graph（热身）：%s"),
    "graph_fail": ("FAIL  computation_graph (warm-up): %s", "FAIL  computation_graph（热身）：%s"),
    "graph_J": ("J = %s, expected 3(a + bc) = %s", "J = %s，应为 3(a + bc) = %s"),
    "graph_d": ("%s = %s, but nudging gives %.4g", "%s = %s，但微调输入得到 %.4g"),
    "graph_error": ("it raised %s", "运行出错：%s"),
    "graph_not_done": ("not done yet: it still raises NotImplementedError (replace that line with your code)",
                       "尚未完成：函数仍在 raise NotImplementedError（把这一行换成你的代码）"),
    "graph_result": ("it must return (J, {'dJ/da': ..., 'dJ/db': ..., 'dJ/dc': ...}); got %s",
                     "应返回 (J, {'dJ/da': ..., 'dJ/db': ..., 'dJ/dc': ...})；实际得到 %s"),
    "erratum2": ("9 = 3·3 is the value printed in 1.2.3.3, left over from the example with b = 3; "
                 "du/dc = b: erratum 2",
                 "9 = 3·3 是 1.2.3.3 印出的数值，沿用了 b = 3 的旧例子；du/dc = b：勘误 2"),
}


class Checker(object):
    """The checks of one workbook notebook: its exercise ("logistic", "shallow" or "deep") and language.

    ``cells``: a function returning the source of the cells run so far, in order (default: the
    running IPython kernel's input history); ``out``: where the lines go (default: stdout).
    """

    def __init__(self, exercise, lang="en", cells=None, out=None, timeout=TIMEOUT, memory_mb=MEMORY_MB):
        if exercise not in specs.SPECS:
            raise ValueError("exercise must be one of %s; got %r" % (", ".join(sorted(specs.SPECS)), exercise))
        if lang not in LANGUAGES:
            raise ValueError("lang must be one of %s; got %r" % (", ".join(LANGUAGES), lang))
        self.exercise, self.lang = exercise, lang
        self.cells = cells or executed_cells
        self.out = out
        self.timeout, self.memory_mb = timeout, memory_mb
        self.results = []  # the Results of the last check, for whoever wants more than the lines

    def __call__(self, name=None):
        """Check the function ``name`` (None: every graded function defined) and print the lines."""
        graded = [s.name for s in specs.SPECS[self.exercise]]
        if name is not None and name not in graded:
            return self._say("unknown", repr(name), ", ".join(graded))
        sources = self.cells()
        if sources is None:
            return self._say("no_kernel")
        if name is not None and name not in defined_functions(sources):
            return self._say("not_defined", self.exercise, name, name)
        if name is None and not defined_functions(sources) & set(graded):
            return self._say("nothing")
        try:
            self.results = self._grade(sources, None if name is None else (name,))
        except (ValueError, OSError) as e:  # what the checker cannot read; a full or unwritable $TMPDIR
            return self._say("cannot", str(e).replace("\n", " "))
        encoding = getattr(self._stream(), "encoding", None) or "utf-8"
        lines = report.lines(self.results, encoding, lang=self.lang)
        self._print("\n".join(lines[:-1] if name is not None else lines))

    @contextlib.contextmanager
    def skip_if_unfinished(self):
        """Run the block; a NotImplementedError raised in it (a function not written yet) becomes
        one line saying which function, and the cell ends without an error."""
        try:
            yield
        except NotImplementedError:
            frames = traceback.extract_tb(sys.exc_info()[2])
            self._say("skipped", frames[-1][2] if frames else "a function")

    def by_nudging(self, computation_graph, a=7.0, b=4.0, c=2.0):
        """The warm-up of 1.2.3: the learner's J = 3(a + bc) and its derivatives by the chain rule,
        against 3(a + bc) and against nudging each input by NUDGE (centred differences of the
        learner's own J). Prints one PASS or FAIL line; a 9 for dJ/dc is named as erratum 2."""
        try:
            J, grads = _call_graph(computation_graph, a, b, c)
            nudged = _nudged(computation_graph, a, b, c)
        except NotImplementedError:
            return self._say("graph_fail", self._text("graph_not_done"))
        except _BadResult as e:
            return self._say("graph_fail", self._text("graph_result") % e.args[0])
        except Exception as e:  # the learner's code: anything may be raised
            return self._say("graph_fail", self._text("graph_error") % _exception_line(e))
        problems = []
        if not _close(J, 3 * (a + b * c), 1e-9):
            problems.append(self._text("graph_J") % (_number(J), _number(3 * (a + b * c))))
        for key in ("dJ/da", "dJ/db", "dJ/dc"):
            if not _close(grads[key], nudged[key], 1e-6):
                problems.append(self._text("graph_d") % (key, _number(grads[key]), nudged[key]))
                if key == "dJ/dc" and grads[key] == 9 and (a, b, c) == (7.0, 4.0, 2.0):
                    problems[-1] += " -- " + self._text("erratum2")
        if problems:
            return self._say("graph_fail", "; ".join(problems))
        self._say("graph_pass", ", ".join("%s = %s" % (k, _number(grads[k])) for k in sorted(grads)))

    # -- helpers -------------------------------------------------------------------------------

    def _grade(self, sources, names):
        """check_file on the sources written as a notebook in a temporary folder (removed after)."""
        folder = tempfile.mkdtemp(prefix="workbook-")
        path = os.path.join(folder, "cells_run_so_far.ipynb")
        try:
            with io.open(path, "w", encoding="utf-8") as f:
                f.write(_as_notebook(sources))
            with warnings.catch_warnings():
                # Python 3.12+ warns that a multi-threaded process (this kernel) forks; the child
                # only runs the learner's function and leaves by os._exit.
                warnings.filterwarnings("ignore", message=".*multi-threaded.*fork", category=DeprecationWarning)
                results = checker.check_file(path, timeout=self.timeout, memory_mb=self.memory_mb,
                                             exercise=self.exercise, names=names)
        except ValueError as e:  # its message names the temporary file: name what it holds instead
            raise ValueError(str(e).replace(path, "the cells run so far"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return [self._for_notebook(r) for r in results]

    def _for_notebook(self, r):
        """A Result as the notebook shows it: "(line 37, in propagate)" counts lines of the
        temporary file, not of a cell, so only the name stays; "not done yet" in one language."""
        r = r._replace(message=_LINE.sub("(in ", r.message), message_zh=_LINE.sub("(in ", r.message_zh))
        if r.details.get("status") == grade.NOT_DONE:
            r = r._replace(message=r.message_zh if self.lang == "zh-CN" else r.message, message_zh="")
        return r

    def _text(self, key):
        en, zh = TEXTS[key]
        return zh if self.lang == "zh-CN" else en

    def _say(self, key, *args):
        self._print(self._text(key) % args if args else self._text(key))

    def _stream(self):
        return self.out or sys.stdout

    def _print(self, text):
        stream = self._stream()
        stream.write(text + "\n")
        stream.flush()


_LINE = re.compile(r"\(line \d+, in ")


class _BadResult(Exception):
    """The warm-up function returned something other than (J, {"dJ/da", "dJ/db", "dJ/dc"})."""


def _call_graph(fn, a, b, c):
    """(J, grads) of the learner's computation_graph as floats; _BadResult describing what came back."""
    result = fn(a, b, c)
    try:
        J, grads = result
        return float(J), {k: float(grads[k]) for k in ("dJ/da", "dJ/db", "dJ/dc")}
    except (TypeError, ValueError, KeyError, IndexError):
        raise _BadResult(repr(result)[:80])


def _nudged(fn, a, b, c, h=NUDGE):
    """dJ/da, dJ/db, dJ/dc of the learner's own J by centred differences: (J(x + h) − J(x − h)) / 2h."""
    J = lambda a_, b_, c_: _call_graph(fn, a_, b_, c_)[0]  # noqa: E731
    return {"dJ/da": (J(a + h, b, c) - J(a - h, b, c)) / (2 * h),
            "dJ/db": (J(a, b + h, c) - J(a, b - h, c)) / (2 * h),
            "dJ/dc": (J(a, b, c + h) - J(a, b, c - h)) / (2 * h)}


def _close(x, expected, tolerance):
    """|x − expected| within ``tolerance`` relative to max(1, |expected|); False for NaN."""
    return abs(x - expected) <= tolerance * max(1.0, abs(expected))


def _number(x):
    return ("%d" % x) if float(x).is_integer() else ("%.6g" % x)


def _exception_line(e):
    text = str(e).strip().split("\n")[0]
    return "%s: %s" % (type(e).__name__, text) if text else type(e).__name__


def executed_cells():
    """The source of every cell the running IPython kernel has executed, in order, as typed
    (magics included: the checker drops them); None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "history_manager", None) is None:
        return None
    return [source for source in shell.history_manager.input_hist_raw if source.strip()]


def defined_functions(sources):
    """Names of the functions that cell sources define at their top level (``def NAME(``); a cell
    that does not parse defines nothing, as in the kernel. IPython's %magic and !shell lines are
    left out, as the checker leaves them out."""
    names = set()
    for source in sources:
        lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        names.update(node.name for node in tree.body if isinstance(node, ast.FunctionDef))
    return names


def _as_notebook(sources):
    """A minimal nbformat 4 notebook (JSON text) holding one code cell per source."""
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": source} for source in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4},
                      ensure_ascii=False)
