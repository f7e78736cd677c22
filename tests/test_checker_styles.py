"""The checker reads a learner's file as Python reads it: the correct solutions of
tests/learner_files/ (and the notebook, with its planted erratum 3), written or saved in ways that
learners write and save files, get exactly the verdicts of the originals.

Each variant is proved valid first, with this stack's interpreter in a subprocess: a .py file is
imported, a notebook's cells are run one by one by an IPython shell, beside stand-ins of the
exercises' helper modules (lr_utils, dnn_utils, planar_utils, as the learner has them), and every
function the original defines must be there. Then check_file grades it, and the verdicts (function,
status, message) must equal the original's.
"""
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, assert_one_error_line, run_script
from tf_models.learner.checker import check_file, loader

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

FILES = os.path.join(ROOT, "tests", "learner_files")
SCRIPT = os.path.join(ROOT, "scripts", "check_mine.py")
TIMEOUT = 5.0  # seconds per function: the functions take milliseconds; a loaded machine is slow
ORIGINALS = ["correct_logistic.py", "correct_shallow.py", "correct_deep.py", "erratum3_tanh.ipynb"]

# The exercises' helper modules as the learner has them beside the file (small data, so that the
# files' own top-level training runs in a moment when they are imported).
HELPERS = {
    "lr_utils.py": """
        import numpy as np

        def load_dataset():
            rng = np.random.RandomState(1)
            X_train, X_test = rng.randn(4, 12), rng.randn(4, 6)
            Y_train, Y_test = (X_train[:1] > 0) * 1, (X_test[:1] > 0) * 1
            return X_train, Y_train, X_test, Y_test, np.array([b"non-cat", b"cat"])
        """,
    "dnn_utils.py": """
        import numpy as np

        def sigmoid(Z):
            return 1 / (1 + np.exp(-Z)), Z

        def relu(Z):
            return np.maximum(0, Z), Z

        def relu_backward(dA, cache):
            dZ = np.array(dA, copy=True)
            dZ[cache <= 0] = 0
            return dZ

        def sigmoid_backward(dA, cache):
            s = 1 / (1 + np.exp(-cache))
            return dA * s * (1 - s)
        """,
    "planar_utils.py": """
        import numpy as np

        def load_planar_dataset():
            rng = np.random.RandomState(1)
            X = rng.randn(2, 20)
            return X, (X[:1] * X[1:] > 0) * 1

        def sigmoid(x):
            return 1 / (1 + np.exp(-x))
        """,
}


# ---- the styles: each changes how the file is written, never what its functions compute ----------
# A document is the list of a file's code cells (a .py file is one cell); a style maps it to another.

TOP_LEVEL_DEF = re.compile(r"^(@|def |class )", re.M)


def _before_first_def(cells, block):
    """``block`` before the first top-level definition: in the same cell for a .py file, as a new
    cell before the first cell that defines something in a notebook."""
    i = next(i for i, c in enumerate(cells) if TOP_LEVEL_DEF.search(c))
    if len(cells) > 1:
        return cells[:i] + [block] + cells[i:]
    at = TOP_LEVEL_DEF.search(cells[0]).start()
    return [cells[0][:at] + block + "\n\n" + cells[0][at:]]


def _at_top(cells, block):
    """``block`` first: after the module docstring of a .py file, as a new first cell of a notebook."""
    if len(cells) > 1:
        return [block] + cells
    text = cells[0]
    end = text.index('"""', 3) + 4 if text.startswith('"""') else 0
    while text.startswith("from __future__", end):  # they stay first
        end = text.index("\n", end) + 1
    return [text[:end] + block + "\n" + text[end:]]


def _at_end(cells, block):
    if len(cells) > 1:
        return cells + [block]
    return [cells[0].rstrip("\n") + "\n\n\n" + block]


def _each(cells, change):
    return [change(c) for c in cells]


def notes_between(cells):
    """Multi-line strings between statements: after the imports, and before each definition (on
    Python 3.6 the lineno of a multi-line string is its last line)."""
    note = '"""\nNotes of the exercise:\n    the formulas are those of the course.\n"""\n'
    cells = _each(cells, lambda c: re.sub(r"^((?:import|from) .*\n)(?!import|from)", r"\1" + note,
                                          c, count=1, flags=re.M))
    return _each(cells, lambda c: re.sub(r"(^|\n\n)(def |class )", lambda m: m.group(1) + note + m.group(2), c))


def try_imports(cells):
    """Each top-level import in ``try: ... except ImportError: ...``; the helper modules' with a
    fallback that does nothing, as when the learner's notebook tolerates a missing helper file."""
    def wrap(match):
        statement = match.group(0).split("  #")[0]
        helper = re.match(r"from (lr_utils|dnn_utils|planar_utils)", statement)
        fallback = "    pass" if helper else '    raise SystemExit("please install: %s")' % statement
        return "try:\n    %s\nexcept ImportError:\n%s" % (statement, fallback)
    return _each(cells, lambda c: re.sub(r"^(import|from (?!__future__)).*$", wrap, c, flags=re.M))


def imports_in_if(cells):
    """Each top-level import inside an ``if`` on the Python version."""
    cells = _each(cells, lambda c: re.sub(r"^((import|from (?!__future__)).*)$", r"if sys.version_info >= (3, 0):\n    \1",
                                          c, flags=re.M))
    return _at_top(cells, "import sys")


def aliases(cells):
    """Module-level aliases and computed values, used by the functions."""
    block = textwrap.dedent("""\
        _exp = np.exp
        _dot = np.dot
        _sum = np.sum
        _log = np.log
        EPS = np.finfo(float).eps
        KEEP = dict(axis=1, keepdims=True)""")

    def use(text):
        for name in ("exp", "dot", "sum", "log"):
            text = text.replace("np.%s(" % name, "_%s(" % name)
        text = text.replace("axis=1, keepdims=True", "**KEEP")
        return re.sub(r"m = (\w+)\.shape\[1\]", r"m = max(\1.shape[1], EPS)", text)
    return _before_first_def(_each(cells, use), block)


def helper_class(cells):
    """A helper class whose static method the functions call."""
    block = textwrap.dedent('''\
        class Ops(object):
            """Array helpers."""

            @staticmethod
            def zeros(shape):
                return np.zeros(shape)''')
    return _before_first_def(_each(cells, lambda c: c.replace("np.zeros(", "Ops.zeros(")), block)


def decorated(cells):
    """Every function decorated by a helper decorator (functools.wraps)."""
    block = textwrap.dedent('''\
        import functools


        def traced(function):
            """Leaves the function as it is, as a learner's logging decorator would."""
            @functools.wraps(function)
            def wrapper(*args, **kwargs):
                return function(*args, **kwargs)
            return wrapper''')
    cells = _each(cells, lambda c: re.sub(r"^def ", "@traced\ndef ", c, flags=re.M))
    return _before_first_def(cells, block)


def main_block(cells):
    """An ``if __name__ == "__main__":`` block that tries the functions out."""
    return _at_end(cells, textwrap.dedent("""\
        if __name__ == "__main__":
            X_try = np.random.RandomState(0).randn(3, 5)
            print("shapes:", X_try.shape, [f.__name__ for f in (%s,)])
            results = {"done": True}""") % "np.dot, np.exp")


def prints(cells):
    """A print at the top, and one after the functions."""
    return _at_end(_at_top(cells, 'print("week exercise: loading")'), 'print("all functions defined")')


def top_level_work(cells):
    """Work at the top level: a data file read where it exists, a plot, a small training run whose
    result is bound to a name no function reads."""
    return _at_end(cells, textwrap.dedent("""\
        import os
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        if os.path.exists("my_own_data.npz"):
            my_data = np.load("my_own_data.npz")
        figure = plt.figure()
        plt.plot([0, 1], [1, 0])
        plt.close(figure)
        rng_demo = np.random.RandomState(2)
        X_demo = rng_demo.randn(2, 9)
        trained = [np.tanh(X_demo).sum() for _ in range(3)]
        np.random.seed(1)
        del rng_demo"""))


def one_liners(cells):
    """Statements joined by semicolons and a backslash continuation at the top level."""
    return _before_first_def(cells, 'import math; ROOT_TWO = math.sqrt(2); HALF = \\\n    0.5')


def chinese(cells):
    """Chinese comments, docstrings and strings (the learner's own notes)."""
    cells = _each(cells, lambda c: re.sub(r"^(def .*:)$", r'\1\n    """按课程的公式计算（自己写的版本）。"""', c, flags=re.M))
    cells = _each(cells, lambda c: c.replace("Cost after iteration", "第几次迭代后的代价 Cost after iteration"))
    return _at_top(cells, '# 作业：自己写的版本，注释是中文\nTITLE = "神经网络与深度学习 第一课"')


def french(cells):
    """Accented comments, docstrings and strings (Latin-1 text)."""
    cells = _each(cells, lambda c: re.sub(r"^(def .*:)$", r'\1\n    """Calcule selon le cours (résumé, coût, dérivée)."""', c, flags=re.M))
    return _at_top(cells, '# Exercice : régression, coût, dérivées\nTITRE = "Réseaux de neurones : à la main"')


def futures(cells):
    """Python 2 habits: __future__ imports (which every later statement of the file obeys)."""
    return _at_top(cells, "from __future__ import absolute_import, division, print_function")


def annotations(cells):
    """Return annotations, evaluated when each function is defined."""
    cells = _each(cells, lambda c: re.sub(r"^(def \w+\(.*\)):$", r"\1 -> Any:", c, flags=re.M))
    return _before_first_def(cells, "from typing import Any")


def global_state(cells):
    """Each function counts its calls in a module-level variable (``global``)."""
    cells = _each(cells, lambda c: re.sub(r"^(def .*:)$", r"\1\n    global CALLS\n    CALLS += 1", c,
                                          flags=re.M))
    return _before_first_def(cells, "CALLS = 0")


def accented_names(cells):
    """A non-ASCII local name (``écart`` for cost: é is in GBK and in Latin-1)."""
    return _each(cells, lambda c: re.sub(r"\bcost\b", "écart", c))


def path_setup(cells):
    """The folder of the helper modules put on sys.path first, as learners do."""
    return _at_top(cells, "import os\nimport sys\nsys.path.insert(0, os.getcwd())")


def page_breaks(cells):
    """Form feeds (an editor's page breaks) between the functions."""
    return _each(cells, lambda c: re.sub(r"\n\n(def |@)", r"\n\f\n\1", c))


def tabs(cells):
    """Tabs for indentation."""
    return _each(cells, lambda c: re.sub(r"^((?:    )+)", lambda m: "\t" * (len(m.group(1)) // 4), c, flags=re.M))


def time_magic(cells):
    """A notebook cell run under IPython's %%time (its definitions stay): notebooks only."""
    i = next(i for i, c in enumerate(cells) if TOP_LEVEL_DEF.search(c))
    return cells[:i] + ["%%time\n" + cells[i]] + cells[i + 1:]


# In the order they are composed; chinese/french come with the encodings that carry them.
STYLES = [notes_between, try_imports, imports_in_if, aliases, helper_class, decorated, one_liners,
          annotations, global_state, accented_names, page_breaks, main_block, prints, top_level_work,
          path_setup, futures, tabs]
NOTEBOOK_ONLY = [time_magic]
# The battery tries these on every original; each other style on one (and all in compositions).
EVERY_ORIGINAL = [notes_between, try_imports, aliases, helper_class, decorated, main_block, prints,
                  top_level_work, tabs]


# ---- how a file is saved ----------------------------------------------------------------------------
# encoding: (the text style it carries, the coding line, the codec, a byte-order mark)
SAVINGS = {
    "utf-8": (None, None, "utf-8", False),
    "utf-8 Chinese": (chinese, None, "utf-8", False),
    "BOM": (chinese, None, "utf-8", True),
    "gbk coding line": (chinese, "# -*- coding: gbk -*-", "gbk", False),
    "gbk after a shebang": (chinese, "#!/usr/bin/env python\n# coding=gbk", "gbk", False),
    "latin-1 coding line": (french, "# -*- coding: latin-1 -*-", "latin-1", False),
}
NEWLINES = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}
NOTEBOOK_SAVINGS = ["utf-8", "utf-8 Chinese", "BOM"]  # a notebook is UTF-8 JSON
LF_OR_CRLF = ["LF", "CRLF"]  # IPython does not end a line at a lone CR (nor, below, does 3.6)


def read_original(name):
    """The code cells of an original (one for a .py file) and, for a notebook, its JSON."""
    with open(os.path.join(FILES, name), "rb") as f:
        data = f.read()
    if not name.endswith(".ipynb"):
        return [data.decode("utf-8")], None
    notebook = json.loads(data.decode("utf-8"))
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"], notebook


def write_variant(name, styles, saving, newline, folder, tag):
    """The original ``name`` with ``styles`` applied, saved with ``saving`` and ``newline``;
    returns the variant's path."""
    cells, notebook = read_original(name)
    language, coding_line, codec, bom = SAVINGS[saving]
    # The learner's text before the tabs, which then indent it too.
    for style in [s for s in styles if s is not tabs] + [language] + [s for s in styles if s is tabs]:
        cells = style(cells) if style else cells
    cells = [c.replace("\n", NEWLINES[newline]) for c in cells]
    stem, extension = os.path.splitext(name)
    path = os.path.join(folder, "%s_%s%s" % (stem, tag, extension))
    if notebook is None:
        text = cells[0]
        if coding_line:
            text = coding_line.replace("\n", NEWLINES[newline]) + NEWLINES[newline] + text
        data = text.encode(codec)
    else:
        markdown = [c for c in notebook["cells"] if c["cell_type"] != "code"]
        code = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                 "source": c if i % 2 else c.splitlines(True)} for i, c in enumerate(cells)]
        data = json.dumps(dict(notebook, cells=markdown + code), ensure_ascii=False,
                          indent=1).encode("utf-8")
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


# ---- proof that a variant is valid Python, and its verdicts --------------------------------------
PROVE = r"""
import importlib.util, json, sys
result, shell = {}, None
for path, names in json.loads(sys.argv[1]):
    try:
        if path.endswith(".ipynb"):
            if shell is None:
                from IPython.core.interactiveshell import InteractiveShell

                class Shell(InteractiveShell):
                    def enable_gui(self, gui=None):  # %matplotlib inline: no GUI to start here
                        pass

                shell = Shell.instance()
            shell.reset(new_session=True)
            with open(path, encoding="utf-8-sig") as f:
                cells = [c for c in json.load(f)["cells"] if c["cell_type"] == "code"]
            for cell in cells:
                source = "".join(cell["source"])
                outcome = shell.run_cell(source, silent=True)
                if not outcome.success:
                    raise RuntimeError("cell %r: %r" % (source[:40], outcome.error_in_exec
                                                         or outcome.error_before_exec))
            found = shell.user_ns
        else:
            spec = importlib.util.spec_from_file_location("variant%d" % len(result), path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            found = vars(module)
        missing = [n for n in names if not callable(found.get(n))]
        result[path] = "missing %s" % missing if missing else "ok"
    except BaseException as e:
        result[path] = "%s: %s" % (type(e).__name__, e)
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def helpers(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("helpers"))
    for name, text in HELPERS.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(textwrap.dedent(text))
    return folder


class Proof(object):
    """Each variant of ``paths`` imported (a notebook run cell by cell) by this stack's interpreter
    with the functions of its original defined, in one subprocess that runs while the checks go
    on; ``of(path)`` waits for it and says "ok" or why not."""

    def __init__(self, paths, helpers):
        jobs = [(p, functions_of(original_of(p))) for p in paths]
        env = dict(os.environ, PYTHONPATH=helpers, MPLBACKEND="Agg")
        self._process = subprocess.Popen([sys.executable, "-c", PROVE, json.dumps(jobs)],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         cwd=os.path.dirname(paths[0]), env=env)
        self._result = None

    def of(self, path):
        if self._result is None:
            out, err = self._process.communicate(timeout=900)
            assert self._process.returncode == 0, err.decode("utf-8", "replace")[-2000:]
            self._result = json.loads(out.decode("utf-8").strip().splitlines()[-1])
        return self._result[path]

    def close(self):
        """Ends the subprocess if no test asked for its answer (they were deselected)."""
        if self._result is None:
            self._process.kill()
            self._process.communicate()


def original_of(path):
    base = os.path.basename(path)
    return next(o for o in ORIGINALS if base.startswith(os.path.splitext(o)[0] + "_")
                or base == o)


_FUNCTIONS, _VERDICTS = {}, {}


def functions_of(name):
    if name not in _FUNCTIONS:
        _FUNCTIONS[name] = [n for n, _, _, _ in verdicts(os.path.join(FILES, name))]
    return _FUNCTIONS[name]


def verdicts(path):
    """[(function, status, mistake, message)] of the checker on ``path``."""
    if path not in _VERDICTS:
        _VERDICTS[path] = [(r.name, r.status, r.details.get("mistake"), r.message)
                           for r in check_file(path, timeout=TIMEOUT)]
    return _VERDICTS[path]


def assert_same_verdicts(path):
    original = os.path.join(FILES, original_of(path))
    mine, theirs = verdicts(path), verdicts(original)
    assert mine == theirs, "%s\n  variant:  %s\n  original: %s" % (
        os.path.basename(path), [v[:3] for v in mine], [v[:3] for v in theirs])


# ---- the battery: each style on each original --------------------------------------------------
def battery():
    """(original, styles, saving, newline) of every variant: each style alone (EVERY_ORIGINAL's on
    every original), each saving and each line ending on every original where it applies."""
    out = []
    others = [s for s in STYLES if s not in EVERY_ORIGINAL]
    for i, style in enumerate(others + NOTEBOOK_ONLY):
        out.append((ORIGINALS[-1] if style in NOTEBOOK_ONLY else ORIGINALS[i % len(ORIGINALS)],
                    [style], "utf-8", "LF"))
    for name in ORIGINALS:
        notebook = name.endswith(".ipynb")
        for style in EVERY_ORIGINAL:
            out.append((name, [style], "utf-8", "LF"))
        for saving in (NOTEBOOK_SAVINGS if notebook else SAVINGS):
            if saving != "utf-8":
                out.append((name, [], saving, "LF"))
        for newline in (LF_OR_CRLF if notebook else NEWLINES):
            if newline != "LF":
                out.append((name, [], "utf-8", newline))
    return out


def variant_id(variant):
    name, styles, saving, newline = variant
    return "%s:%s" % (name.split(".")[0].replace("correct_", ""),
                      "+".join([s.__name__ for s in styles] + [saving, newline]))


BATTERY = sorted(battery(), key=lambda v: v[0].endswith(".ipynb"))  # the notebooks' proofs take longest


@pytest.fixture(scope="module")
def battery_files(tmp_path_factory, helpers):
    """Every variant of the battery written, and the proofs of their validity under way: the
    notebooks' (slow: each trains its network, as its last cell says) apart, as they are checked last."""
    folder = str(tmp_path_factory.mktemp("variants"))
    paths = {variant_id(v): write_variant(v[0], v[1], v[2], v[3], folder, "v%d" % i)
             for i, v in enumerate(BATTERY)}
    notebooks = sorted(p for p in paths.values() if p.endswith(".ipynb"))
    scripts = sorted(p for p in paths.values() if not p.endswith(".ipynb"))
    proofs = dict.fromkeys(notebooks, Proof(notebooks, helpers))
    proofs.update(dict.fromkeys(scripts, Proof(scripts, helpers)))
    yield paths, proofs
    for proof in set(proofs.values()):
        proof.close()


@pytest.mark.parametrize("variant", BATTERY, ids=variant_id)
def test_a_style_variant_gets_the_verdicts_of_its_original(variant, battery_files):
    paths, proofs = battery_files
    path = paths[variant_id(variant)]
    proof = proofs[path].of(path)
    assert proof == "ok", "the variant itself is not valid here: %s" % proof
    assert_same_verdicts(path)


def test_the_encoded_variants_are_not_utf8_and_the_notes_are_where_3_6_misplaces_them(tmp_path):
    """The battery tests what it claims: GBK and Latin-1 files are not UTF-8, a BOM is there, and
    a multi-line string stands between statements."""
    for saving in ("gbk coding line", "latin-1 coding line"):
        with open(write_variant("correct_shallow.py", [], saving, "LF", str(tmp_path), "x"), "rb") as f:
            with pytest.raises(UnicodeDecodeError):
                f.read().decode("utf-8")
    with open(write_variant("correct_deep.py", [], "BOM", "CRLF", str(tmp_path), "b"), "rb") as f:
        data = f.read()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    with open(write_variant("correct_deep.py", [notes_between], "utf-8", "LF", str(tmp_path), "n")) as f:
        assert 'dnn_utils import sigmoid, sigmoid_backward, relu, relu_backward\n"""\nNotes' in f.read()


# ---- the property: harmless changes composed --------------------------------------------------
@st.composite
def compositions(draw):
    name = draw(st.sampled_from(ORIGINALS))
    notebook = name.endswith(".ipynb")
    styles = [s for s in STYLES + (NOTEBOOK_ONLY if notebook else []) if draw(st.booleans())]
    saving = draw(st.sampled_from(NOTEBOOK_SAVINGS if notebook else sorted(SAVINGS)))
    # Lone CRs only in UTF-8: Python 3.6's own tokenize.detect_encoding (which linecache, and so
    # every warning and traceback, uses) cannot find a coding line in a file of CR line endings.
    newlines = LF_OR_CRLF if notebook or SAVINGS[saving][2] != "utf-8" else sorted(NEWLINES)
    newline = draw(st.sampled_from(newlines))
    if newline == "CRLF":  # IPython 7 takes `%%time\r` for the name of the cell magic
        styles = [s for s in styles if s is not time_magic]
    return name, styles, saving, newline


@settings(max_examples=int(os.environ.get("STYLE_EXAMPLES", 6)), deadline=None, suppress_health_check=list(HealthCheck))
@given(variant=compositions())
def test_composed_harmless_changes_keep_the_verdicts(variant, helpers, tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("composed"))
    path = write_variant(variant[0], variant[1], variant[2], variant[3], folder, "c")
    proof = Proof([path], helpers).of(path)
    assert proof == "ok", "%s is not valid here: %s" % (variant_id(variant), proof)
    assert_same_verdicts(path)


# ---- what never runs, what fails alone ---------------------------------------------------------
def _shallow_with(tmp_path, before="", after=""):
    with open(os.path.join(FILES, "correct_shallow.py")) as f:
        text = f.read()
    path = str(tmp_path / "mine.py")
    with open(path, "w") as f:
        f.write(text.replace("import numpy as np\n", "import numpy as np\n" + before, 1) + after)
    return path


def test_top_level_work_no_function_needs_never_runs(tmp_path):
    """Data loading that fails, an endless training run and a print flood at the top level bind
    names no graded function reads: they do not run, and every function passes in its time."""
    path = _shallow_with(tmp_path, after=textwrap.dedent("""
        X, Y = np.load("the_course_data_that_is_not_here.npz")
        parameters = nn_model(np.random.randn(2, 400), np.ones((1, 400)), 4, num_iterations=10 ** 9)
        while True:
            print("training...")
        """))
    found = {r.name: r for r in check_file(path, timeout=TIMEOUT)}
    assert len(found) == 8 and all(r.status == "PASS" for r in found.values()), found


def test_a_failing_top_level_statement_leaves_only_its_names_undefined(tmp_path):
    """An alias whose module the checker lacks fails alone: the function that uses it names the
    missing name; the others pass."""
    path = _shallow_with(tmp_path, before="from my_fast_math import fast_tanh\n")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("A1 = np.tanh(Z1)", "A1 = fast_tanh(Z1)"))
    found = {r.name: r for r in check_file(path, timeout=TIMEOUT)}
    assert found["forward_propagation"].status == "FAIL"
    assert "fast_tanh" in found["forward_propagation"].message
    assert found["layer_sizes"].status == "PASS" and found["backward_propagation"].status == "PASS"


def test_statements_are_cut_by_their_tokens(tmp_path):
    """Each kept chunk is one whole top-level statement: decorators with their def, a try with its
    handlers, a multi-line string never split; and what no graded function needs is left out."""
    path = str(tmp_path / "cut.py")
    with open(path, "w") as f:
        f.write(textwrap.dedent('''\
            """The module's docstring,
            on two lines."""
            import numpy as np; import os
            """A note
            between statements."""
            try:
                from dnn_utils import relu
            except ImportError:
                pass
            else:
                pass
            finally:
                SCALE = \\
                    2.0
            print("not needed")


            def twice(f):
                return f


            @twice
            @twice
            def sigmoid(z):
                """Its docstring,
                on two lines."""
                return 1 / (1 + np.exp(-z)) * SCALE / 2.0 if relu else None
            unused = sigmoid(np.zeros(3))
            '''))
    learner = loader.load(path)
    kept = [(c.kind, c.line, c.source.splitlines()[0]) for c in learner.chunks]
    assert kept == [("import", 3, "import numpy as np; import os"),
                    ("import", 7, "from dnn_utils import relu"),  # the helper import, on its own
                    ("import", 6, "try:"),
                    ("def", 18, "def twice(f):"),
                    ("def", 22, "@twice")], kept
    for chunk in learner.chunks:
        compile("\n" * (chunk.line - 1) + chunk.source, path, "exec")
    assert learner.functions == ["twice", "sigmoid"]


# ---- the script: encodings in, verdicts out; an undecodable file refused in one line ----------
def check_mine(path):
    return run_script("check_mine", path, "--timeout", TIMEOUT)


@pytest.mark.parametrize("saving", ["gbk coding line", "BOM"])
def test_script_prints_verdicts_for_gbk_and_bom_files(saving, tmp_path):
    path = write_variant("correct_shallow.py", [], saving, "CRLF", str(tmp_path), "s")
    _, out, err = check_mine(path)
    lines = out.splitlines()
    assert "PASS  shallow.backward_propagation" in lines and lines[-1] == "8 of 8 functions pass", err


@pytest.mark.parametrize("content, words", [
    (b"# -*- coding: gbk -*-\nimport numpy as np\n# \xff\xff\ndef sigmoid(z):\n    return z\n",
     "line 3 is not gbk text (byte 0xff), as its coding line declares"),
    (b"import numpy as np\n# r\xe9sum\xe9\ndef sigmoid(z):\n    return z\n",
     "line 2 is not UTF-8 text (byte 0xe9), Python's default"),
    (b"# -*- coding: klingon -*-\ndef sigmoid(z):\n    return z\n", "unknown encoding"),
    (b"\xef\xbb\xbf# -*- coding: gbk -*-\ndef sigmoid(z):\n    return z\n", "byte-order mark but its coding line says gbk"),
])
def test_script_refuses_a_file_that_is_not_text_in_its_encoding_in_one_line(content, words, tmp_path):
    path = str(tmp_path / "mine.py")
    with open(path, "wb") as f:
        f.write(content)
    assert_one_error_line(*check_mine(path)[::2], words)


def test_a_notebook_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    with open(os.path.join(FILES, "erratum3_tanh.ipynb"), encoding="utf-8") as f:
        text = f.read()
    path = str(tmp_path / "mine.ipynb")
    with open(path, "wb") as f:
        f.write(text.replace("# the course's data file", "# le fichier de donn\u00e9es").encode("latin-1"))
    assert_one_error_line(*check_mine(path)[::2], "is not UTF-8")
