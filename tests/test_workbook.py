"""The workbook (notebooks/workbook/): the project's own exercises, checked where the learner works.

- scripts/make_workbook.py: the student notebooks are the solved sources with their solution
  regions stripped, kept current (a stale one fails here), and a learner's work is never overwritten;
- the notebooks: one per section in both languages, graded functions by the exercises' names, each
  in its own cell with its check after it, the same cells and the same solutions in both languages;
- run top to bottom in a kernel of this interpreter: solved, every check says PASS; as handed out,
  every graded function is "not done yet" and the rest is skipped in one line each; filled with a
  correct solution written elsewhere (tests/learner_files/correct_*.py), every check says PASS, and
  with erratum 3 planted in backward_propagation a FAIL line names it;
- check_mine.py on the files; tf_models.learner.workbook's checks without a kernel (a hang, a crash,
  an unknown name); the exercise's published compute_cost test vectors;
- Chinese first class: the CJK share of the zh-CN notebooks' markdown and of README.zh-CN.md, the
  glossary's words, README.zh-CN.md a whole translation linked both ways.
"""
import ast
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time

import nbformat
import numpy as np
import pytest

from bad_inputs import course_h5
from conftest import ROOT, assert_one_error_line, load_script, needs_catvnoncat, run_script
from test_checker import FILES, PLANTED
from test_notebooks import execute
from tf_models.exercises import shallow
from tf_models.learner import workbook
from tf_models.learner.checker import check_file, report, specs
from tf_models.learner.checker.grade import Result

SLOW = pytest.mark.slow  # runs a kernel, a sandbox or a script: not in the fast run (-m "not slow")
WORKBOOK = os.path.join(ROOT, "notebooks", "workbook")
SECTIONS = {"1.2_logistic_regression.ipynb": "logistic", "1.3_one_hidden_layer.ipynb": "shallow",
            "1.4_deep_network.ipynb": "deep"}
LANGS = ("en", "zh-CN")
WARM_UPS = {"computation_graph"}  # functions of the workbook that the checker does not grade
NOT_DONE = {"en": "not done yet", "zh-CN": "尚未完成"}
SKIPPED = {"en": "skipped: ", "zh-CN": "已跳过："}
CAT_LINES = ('CAT_DIR = "../../../../shared/data/catvnoncat"', "CAT_ITERATIONS = 2500")
CASES = [(name, lang) for name in sorted(SECTIONS) for lang in LANGS]
IDS = ["%s-%s" % (name[:3], lang) for name, lang in CASES]

make_workbook = load_script("make_workbook")


# -- helpers ---------------------------------------------------------------------------------------

def notebook_path(name, lang, solved=False):
    return os.path.join(WORKBOOK, lang + ("-solved" if solved else ""), name)


def read(path):
    return nbformat.read(path, as_version=4)


def source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def cell_by_id(nb, cid):
    return next(c for c in nb.cells if c.get("id") == cid)


def solution_cells(nb):
    """The code cells of a solved notebook that hold a solution region."""
    return [c for c in nb.cells if c.cell_type == "code" and make_workbook.BEGIN in source(c)]


def defined(cell):
    """Names of the functions a cell defines at its top level."""
    return [n.name for n in ast.parse(source(cell)).body if isinstance(n, ast.FunctionDef)]


def graded_names(name):
    """{function: its cell's id} of the graded functions of a section (from the English source)."""
    nb = read(notebook_path(name, "en", solved=True))
    return {defined(c)[0]: c.get("id") for c in solution_cells(nb) if defined(c)[0] not in WARM_UPS}


def printed(cell):
    """All a cell printed (stream outputs), as one text."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def check_cells(nb):
    """{function: output text} of the cells that are exactly check("NAME")."""
    found = {}
    for c in nb.cells:
        m = re.match(r'^check\("(\w+)"\)\s*$', source(c)) if c.cell_type == "code" else None
        if m:
            found[m.group(1)] = printed(c)
    return found


def set_cat_cell(nb, cat_dir, iterations):
    """Point the 1.4 cat cell's CAT_DIR and CAT_ITERATIONS (the two lines at its top) elsewhere."""
    cell = cell_by_id(nb, "cats")
    text = source(cell)
    assert all(line in text for line in CAT_LINES), "the cat cell's first lines changed"
    cell.source = text.replace(CAT_LINES[0], "CAT_DIR = %r" % cat_dir).replace(
        CAT_LINES[1], "CAT_ITERATIONS = %d" % iterations)


def small_cat_files(folder):
    """A train and a test file of the course's cat/non-cat layout, a few 64×64 pictures each."""
    os.makedirs(folder)
    course_h5(os.path.join(folder, "train_catvnoncat.h5"), "train", m=12, shape=(64, 64, 3))
    course_h5(os.path.join(folder, "test_catvnoncat.h5"), "test", m=6, shape=(64, 64, 3))
    return folder


def run_notebook(nb, name, lang, tmp_path):
    """Execute ``nb`` (in place) from its student folder, the 1.4 cat step on small files of the
    course's layout (English) or on a folder without them (Chinese)."""
    if "cats" in [c.get("id") for c in nb.cells]:
        cat_dir = small_cat_files(str(tmp_path / "cats")) if lang == "en" else str(tmp_path / "no-cats")
        set_cat_cell(nb, cat_dir, 3)
    return execute(nb, os.path.join(WORKBOOK, lang))


def summary(text, lang):
    """(passed, total) from the last check's summary line."""
    m = re.search(r"(\d+) of (\d+) functions pass" if lang == "en" else r"(\d+) 个函数中 (\d+) 个通过", text)
    assert m, text
    return (int(m.group(1)), int(m.group(2))) if lang == "en" else (int(m.group(2)), int(m.group(1)))


# -- scripts/make_workbook.py ----------------------------------------------------------------------

def run_maker(*args, **env):
    return run_script("make_workbook", *args, env=env)


def test_the_committed_student_notebooks_are_their_sources_stripped(capsys):
    status = make_workbook.main(["--check"])
    assert status == 0, "stale student notebooks; run scripts/make_workbook.py:\n" + capsys.readouterr().out


def test_stripping_leaves_the_prompt_and_raise_at_the_marker_indentation():
    text = ("def f(x):\n    # hint\n    ### BEGIN SOLUTION\n    y = x + 1\n        # deeper\n"
            "    ### END SOLUTION\n    return y\n### BEGIN SOLUTION\nz = 2\n### END SOLUTION\n")
    assert make_workbook.strip_source(text, "zh-CN", "t") == (
        "def f(x):\n    # hint\n    # 在这里写你的代码\n    raise NotImplementedError\n    return y\n"
        "# 在这里写你的代码\nraise NotImplementedError\n")
    for bad, words in (("### BEGIN SOLUTION\nx = 1\n", "without ### END"),
                       ("x = 1\n### END SOLUTION\n", "without ### BEGIN"),
                       ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n", "inside another")):
        with pytest.raises(make_workbook.SourceError, match=words):
            make_workbook.strip_source(bad, "en", "t")


def copy_workbook(tmp_path):
    folder = str(tmp_path / "workbook")
    shutil.copytree(WORKBOOK, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return folder


def edit_json(path, change):
    with io.open(path, encoding="utf-8") as f:
        nb = json.load(f)
    change(nb)
    with io.open(path, "w", encoding="utf-8") as f:
        f.write(make_workbook.notebook_text(nb))


def test_a_changed_source_makes_its_student_stale_and_a_run_rewrites_it(tmp_path):
    folder = copy_workbook(tmp_path)
    source_path = os.path.join(folder, "en-solved", "1.3_one_hidden_layer.ipynb")
    edit_json(source_path, lambda nb: nb["cells"][0]["source"].append("\nA sentence added to the source."))
    p = run_maker("--check", "--workbook", folder)
    out = p.out
    assert p.status == 1 and out.count("stale:") == 1 and "en/1.3_one_hidden_layer.ipynb" in out, out
    p = run_maker("--workbook", folder)
    assert p.status == 0, p.err
    with io.open(os.path.join(folder, "en", "1.3_one_hidden_layer.ipynb"), encoding="utf-8") as f:
        assert "A sentence added to the source." in f.read()
    assert run_maker("--check", "--workbook", folder).status == 0


def test_a_learner_work_is_never_overwritten_without_force(tmp_path):
    folder = copy_workbook(tmp_path)
    student = os.path.join(folder, "en", "1.3_one_hidden_layer.ipynb")

    def fill(nb):
        cell = next(c for c in nb["cells"] if c.get("id") == "layer-sizes")
        cell["source"] = [l.replace("raise NotImplementedError", "n_x, n_h, n_y = 2, 4, 1")
                          for l in cell["source"]]
    edit_json(student, fill)
    edit_json(os.path.join(folder, "en-solved", "1.3_one_hidden_layer.ipynb"),
              lambda nb: nb["cells"][0]["source"].append("\nChanged."))
    with open(student, "rb") as f:
        learners = f.read()
    err = assert_one_error_line(*run_maker("--workbook", folder)[::2])
    assert "holds a learner's work" in err and "layer-sizes" in err and "--force" in err
    with open(student, "rb") as f:
        assert f.read() == learners
    assert run_maker("--workbook", folder, "--force").status == 0
    assert run_maker("--check", "--workbook", folder).status == 0


@pytest.mark.parametrize("content, words", [
    ('{"cells": [{"cell_type": "code", "source": "### BEGIN SOLUTION\\nx = 1\\n"}]}', "without ### END"),
    ("not json", "not a readable notebook"),
    ('{"cells": [{"cell_type": "markdown", "source": "### BEGIN SOLUTION"}]}', "code cells only"),
    (None, "no source notebooks"),
])
def test_a_bad_source_is_one_error_line(tmp_path, content, words):
    folder = tmp_path / "workbook"
    (folder / "en-solved").mkdir(parents=True)
    if content is not None:
        (folder / "en-solved" / "1.9_x.ipynb").write_text(content)
    assert_one_error_line(*run_maker("--workbook", str(folder))[::2], words)
    assert not (folder / "en").exists()


def test_help_under_an_ascii_locale():
    p = run_maker("--help", LC_ALL="C", LANG="C")
    assert p.status == 0 and "--check" in p.out and "exit status" in p.out


# -- the notebooks' structure ----------------------------------------------------------------------

def test_one_notebook_per_section_in_both_languages_solved_and_for_students():
    for lang in LANGS:
        for folder in (lang, lang + "-solved"):
            assert sorted(os.listdir(os.path.join(WORKBOOK, folder))) == sorted(SECTIONS), folder


@pytest.mark.parametrize("name, lang", CASES, ids=IDS)
def test_graded_functions_carry_the_exercise_names_each_in_its_cell_with_its_check(name, lang):
    solved, student = read(notebook_path(name, lang, True)), read(notebook_path(name, lang))
    spec_names = {s.name for s in specs.SPECS[SECTIONS[name]]}
    graded = []
    for c in solution_cells(solved):
        names = defined(c)
        assert len(names) == 1 and source(c).startswith("def %s(" % names[0]), source(c)[:80]
        assert names[0] in spec_names | WARM_UPS, names[0]
        graded.append(names[0])
        after = solved.cells[solved.cells.index(c) + 1]
        assert "check" in source(after) and names[0] in source(after), "no check after %s" % names[0]
        mine = cell_by_id(student, c.get("id"))
        assert "raise NotImplementedError" in source(mine) and make_workbook.BEGIN not in source(mine)
        assert "raise NotImplementedError" not in source(c)
    assert len(graded) == len(set(graded)) >= 6
    assert graded_names(name).keys() <= spec_names


class _Neutral(ast.NodeTransformer):
    """An AST with what differs between the two languages blanked: docstrings and the strings
    given to print (``strings=True``: every string constant)."""

    def __init__(self, strings):
        self.strings = strings

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        if node.body and isinstance(node.body[0], ast.Expr) and _is_str(node.body[0].value):
            node.body = node.body[1:]
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            node.args = []
        return node

    def visit_Str(self, node):  # Python 3.6 and 3.7
        return ast.copy_location(ast.Str(s=""), node) if self.strings else node

    def visit_Constant(self, node):  # Python 3.8+
        if self.strings and isinstance(node.value, str):
            return ast.copy_location(ast.Constant(value=""), node)
        return node


def _is_str(node):
    return isinstance(node, ast.Str) if sys.version_info < (3, 8) else (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


def neutral(text, strings):
    lines = ["" if l.startswith("%") else l for l in text.split("\n")]  # magics
    return ast.dump(_Neutral(strings).visit(ast.parse("\n".join(lines))))


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_both_languages_have_the_same_cells_and_the_same_code(name):
    en, zh = read(notebook_path(name, "en", True)), read(notebook_path(name, "zh-CN", True))
    assert [(c.cell_type, c.get("id")) for c in en.cells] == [(c.cell_type, c.get("id")) for c in zh.cells]
    for a, b in zip(en.cells, zh.cells):
        if a.cell_type == "code":
            strict = make_workbook.BEGIN in source(a)  # a solution: only its docstring and prints differ
            assert neutral(source(a), not strict) == neutral(source(b), not strict), a.get("id")


# -- tf_models.learner.workbook without a kernel -----------------------------------------------------

SHALLOW_CELLS = [
    "import numpy as np\n%matplotlib inline",
    "def layer_sizes(X, Y):\n    return X.shape[0], 4, Y.shape[0]",
    'check("layer_sizes")',
    "def compute_cost(A2, Y):\n    # YOUR CODE HERE\n    raise NotImplementedError",
    "def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):\n"
    "    n_x, _, n_y = layer_sizes(X, Y)\n    return initialize_parameters(n_x, n_h, n_y)",
    "def initialize_parameters(n_x, n_h, n_y):\n    raise NotImplementedError",
]


def checker(cells, lang="en", **kw):
    out = io.StringIO()
    return workbook.Checker("shallow", lang, cells=lambda: list(cells), out=out, **kw), out


def with_backward(planted):
    with open(os.path.join(FILES, "correct_shallow.py")) as f:
        text = f.read()
    start = text.index("def backward_propagation")
    cell = text[start:text.index("\n\n\n", start)]
    if planted:
        line, wrong = PLANTED["erratum3_tanh"][1:3]
        cell = cell.replace(line, wrong)
    return SHALLOW_CELLS + [cell]


@SLOW
@pytest.mark.parametrize("lang", LANGS)
def test_a_check_passes_names_the_mistake_or_says_not_done_in_one_line(lang):
    check, out = checker(with_backward(planted=True), lang)
    check("layer_sizes")
    assert out.getvalue() == "PASS  shallow.layer_sizes\n"
    for name in ("compute_cost", "initialize_parameters"):
        out.truncate(0), out.seek(0)
        check(name)
        lines = out.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith("FAIL  shallow.%s: %s" % (name, NOT_DONE[lang])), lines
    out.truncate(0), out.seek(0)
    check("nn_model")
    assert "initialize_parameters" in out.getvalue() and NOT_DONE[lang] in out.getvalue()
    out.truncate(0), out.seek(0)
    check("backward_propagation")
    first, second = out.getvalue().splitlines()
    assert first.startswith("FAIL  shallow.backward_propagation: ")
    assert ("erratum 3" in first) if lang == "en" else ("勘误 3" in first and "erratum 3" in second)


def test_check_of_the_whole_notebook_grades_the_latest_definitions():
    check, out = checker(with_backward(planted=True) + [with_backward(planted=False)[-1]])
    check()
    text = out.getvalue()
    assert "PASS  shallow.backward_propagation" in text and text.count("backward_propagation") == 1
    assert text.strip().endswith("2 of 5 functions pass"), text
    assert {r.name for r in check.results} == {"layer_sizes", "compute_cost", "nn_model",
                                               "initialize_parameters", "backward_propagation"}


@pytest.mark.parametrize("cells, name, words", [
    (None, "layer_sizes", "check_mine.py"),
    (SHALLOW_CELLS, "predict", "not defined yet -- run the cell with def predict( first"),
    (SHALLOW_CELLS, "propogate", "error: 'propogate' is not a graded function"),
    (["import numpy as np"], None, "no graded function is defined yet"),
])
def test_a_check_that_cannot_run_says_why_in_one_line(cells, name, words):
    out = io.StringIO()
    workbook.Checker("shallow", cells=lambda: None if cells is None else list(cells), out=out)(name)
    assert words in out.getvalue() and len(out.getvalue().splitlines()) == 1, out.getvalue()


def test_a_cell_that_does_not_parse_defines_nothing_and_a_full_tmpdir_is_one_line(tmp_path, monkeypatch):
    out = io.StringIO()
    cells = ["def layer_sizes(X, Y):\n    return X.shape[0], 4, Y.shape[0]\n  )"]
    workbook.Checker("shallow", cells=lambda: cells, out=out)("layer_sizes")
    assert out.getvalue().startswith("FAIL  shallow.layer_sizes: not defined yet"), out.getvalue()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    out = io.StringIO()
    workbook.Checker("shallow", cells=lambda: SHALLOW_CELLS, out=out)("layer_sizes")
    assert out.getvalue().startswith("error: cannot check the cells: ") and len(out.getvalue().splitlines()) == 1


def test_outside_a_kernel_the_history_is_none():
    assert workbook.executed_cells() is None


@SLOW
def test_a_hang_or_a_crash_ends_the_child_only():
    cells = ["import os", "def predict(parameters, X):\n    while True:\n        pass",
             "def layer_sizes(X, Y):\n    os._exit(3)"]
    check, out = checker(cells, timeout=1.0)
    start = time.time()
    check()
    assert time.time() - start < 30
    text = out.getvalue()
    assert "FAIL  shallow.predict: did not finish within 1 s" in text
    # the sandbox's words (grade-class) for a process that left without a reply
    assert "FAIL  shallow.layer_sizes: the process ended (exit status 3) without a result" in text


def test_line_numbers_of_the_temporary_file_are_not_shown():
    check, out = checker(["import numpy as np", "def layer_sizes(X, Y):\n    return X.shape[7]"])
    check("layer_sizes")
    assert "IndexError" in out.getvalue() and "(in layer_sizes)" in out.getvalue()
    assert "line " not in out.getvalue()


def test_skip_if_unfinished_is_one_line_and_lets_other_errors_through():
    check, out = checker([], "zh-CN")

    def layer_sizes(X, Y):
        raise NotImplementedError

    with check.skip_if_unfinished():
        layer_sizes(1, 2)
        raise AssertionError("not reached")
    assert out.getvalue() == "已跳过：layer_sizes 尚未完成（仍在 raise NotImplementedError）；写好后再运行本单元格\n"
    with pytest.raises(ZeroDivisionError):
        with check.skip_if_unfinished():
            print(1 / 0)


def graph(dc=None, J=None, raises=None, result=None):
    def computation_graph(a, b, c):
        if raises:
            raise raises
        if result is not None:
            return result
        return (3 * (a + b * c) if J is None else J), {"dJ/da": 3.0, "dJ/db": 3.0 * c,
                                                      "dJ/dc": 3.0 * b if dc is None else dc}
    return computation_graph


@pytest.mark.parametrize("fn, words", [
    (graph(), "PASS  computation_graph (warm-up): dJ/da = 3, dJ/db = 6, dJ/dc = 12"),
    (graph(dc=9.0), "dJ/dc = 9, but nudging gives 12 -- 9 = 3·3"),
    (graph(dc=float("nan")), "dJ/dc = nan"),
    (graph(J=44.0), "J = 44, expected 3(a + bc) = 45"),
    (graph(raises=NotImplementedError), "not done yet"),
    (graph(raises=KeyError("u")), "it raised KeyError"),
    (graph(result=45), "it must return (J, {"),
])
def test_the_warm_up_is_checked_by_nudging(fn, words):
    check, out = checker([])
    check.by_nudging(fn)
    assert words in out.getvalue() and len(out.getvalue().splitlines()) == 1, out.getvalue()
    assert out.getvalue().startswith("PASS" if words.startswith("PASS") else "FAIL")
    if "9 = 3·3" in words:
        assert "erratum 2" in out.getvalue()


# -- the checker's engine on unfinished code -------------------------------------------------------

def test_not_done_names_the_unfinished_function_it_calls(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("\n\n".join(SHALLOW_CELLS[1:2] + SHALLOW_CELLS[3:]))
    found = {r.name: r for r in check_file(str(path), timeout=5.0)}
    assert found["compute_cost"].details["status"] == "not_done"
    assert found["compute_cost"].message.startswith("not done yet") and found["compute_cost"].message_zh
    assert found["nn_model"].message == ("not done yet: it calls initialize_parameters, which still "
                                         "raises NotImplementedError")
    assert found["layer_sizes"].status == "PASS"


def test_every_fail_says_it_in_chinese_too(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("def layer_sizes(X, Y):\n    return X.shape[0], 5, Y.shape[0]\n\n"
                    "def predict(parameters, X):\n    return X\n")
    found = {r.name: r for r in check_file(str(path), timeout=5.0)}
    assert "与参考值最多相差 1" in found["layer_sizes"].message_zh  # grade-class's Chinese of a difference
    assert found["predict"].message_zh == "predictions 的形状是 (3, 7)，应为 (1, 7)"


def test_report_lines_put_the_chinese_first_in_a_chinese_notebook():
    results = [Result("shallow", "layer_sizes", "PASS", "", "", {}),
               Result("shallow", "predict", "FAIL", "english", "中文", {})]
    assert report.lines(results, "utf-8", "zh-CN") == [
        "PASS  shallow.layer_sizes", "FAIL  shallow.predict: 中文\n      english",
        "2 个函数中 1 个通过（1 of 2 functions pass）"]
    assert report.lines(results, "utf-8")[1] == "FAIL  shallow.predict: english\n      中文"
    assert report.lines(results, "ascii", "zh-CN")[1:] == ["FAIL  shallow.predict: english",
                                                        "1 of 2 functions pass"]


# -- check_mine.py on the workbook -----------------------------------------------------------------

@SLOW
@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_check_mine_says_not_done_on_a_student_notebook_and_passes_the_solved_one(name):
    p = run_script("check_mine", notebook_path(name, "en"))
    out = p.out
    assert p.status == 1 and p.err == "", p.err
    for function in graded_names(name):
        line = next(l for l in out.splitlines() if l.startswith("FAIL  %s.%s:" % (SECTIONS[name], function)))
        assert "not done yet" in line
    p = run_script("check_mine", notebook_path(name, "zh-CN", solved=True))
    assert p.status == 0 and "FAIL" not in p.out, p.out


# -- the notebooks, run top to bottom ----------------------------------------------------------------

@SLOW
@pytest.mark.parametrize("name, lang", CASES, ids=IDS)
def test_a_solved_notebook_runs_and_every_check_says_pass(name, lang, tmp_path):
    nb = run_notebook(read(notebook_path(name, lang, True)), name, lang, tmp_path)
    checks = check_cells(nb)
    assert set(checks) == set(graded_names(name))
    for function, text in checks.items():
        assert text == "PASS  %s.%s\n" % (SECTIONS[name], function), text
    everything = printed(cell_by_id(nb, "check-all"))
    passed, total = summary(everything, lang)
    assert passed == total >= len(checks) and "FAIL" not in everything
    texts = [printed(c) for c in nb.cells if c.cell_type == "code"]
    assert not [t for t in texts if SKIPPED[lang] in t and "catvnoncat" not in t]
    if name.startswith("1.2"):
        assert printed(cell_by_id(nb, "computation-graph-check")).startswith("PASS  computation_graph")
    if name.startswith("1.4"):
        cats = printed(cell_by_id(nb, "cats"))
        assert ("X_train (12288, 12)" in cats and "accuracy" in cats) if lang == "en" else \
            cats.startswith("已跳过：") and len(cats.splitlines()) == 1


@SLOW
@pytest.mark.parametrize("name, lang", CASES, ids=IDS)
def test_a_student_notebook_runs_top_to_bottom_saying_what_is_not_done(name, lang, tmp_path):
    nb = run_notebook(read(notebook_path(name, lang)), name, lang, tmp_path)
    for function, text in check_cells(nb).items():
        assert len(text.splitlines()) == 1 and text.startswith(
            "FAIL  %s.%s: %s" % (SECTIONS[name], function, NOT_DONE[lang])), text
    for c in nb.cells:
        if c.cell_type == "code" and "skip_if_unfinished" in source(c):
            skipped = [l for l in printed(c).splitlines() if l.startswith(SKIPPED[lang])]
            assert len(skipped) == 1, printed(c)
    everything = printed(cell_by_id(nb, "check-all"))
    assert summary(everything, lang)[0] == len([l for l in everything.splitlines() if l.startswith("PASS")])
    assert all(NOT_DONE[lang] in l for l in everything.splitlines() if l.startswith("FAIL"))


def correct_solution(exercise):
    """{function: source} of the learner file tests/learner_files/correct_<exercise>.py, and the
    imports it holds that this interpreter has (numpy, copy; not the exercise's helper modules)."""
    path = os.path.join(FILES, "correct_%s.py" % exercise)
    with open(path) as f:
        text = f.read()
    tree, lines = ast.parse(text), text.split("\n")
    starts = [n.lineno for n in tree.body] + [len(lines) + 1]
    functions, imports = {}, []
    for node, start, end in zip(tree.body, starts, starts[1:]):
        chunk = "\n".join(lines[start - 1:end - 1]).rstrip()
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = chunk
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            if module.split(".")[0] in ("numpy", "copy", "math"):
                imports.append(chunk)
    return functions, imports


# The warm-up of 1.2, written here for these tests.
COMPUTATION_GRAPH = '''def computation_graph(a, b, c):
    J = 3 * (a + b * c)
    return J, {"dJ/da": 3.0, "dJ/db": 3.0 * c, "dJ/dc": 3.0 * b}'''


def filled(name, lang):
    """The student notebook with each graded cell replaced by the correct solution written
    elsewhere: the function, the helpers of that file it calls, and the file's imports."""
    nb = read(notebook_path(name, lang))
    functions, imports = correct_solution(SECTIONS[name])
    functions["computation_graph"] = COMPUTATION_GRAPH
    for function, cid in dict(graded_names(name), computation_graph="computation-graph").items():
        if cid not in [c.get("id") for c in nb.cells]:
            continue
        called = {n.id for n in ast.walk(ast.parse(functions[function])) if isinstance(n, ast.Name)}
        helpers = [functions[h] for h in sorted(called & set(functions) - set(graded_names(name)) - {function})]
        cell_by_id(nb, cid).source = "\n\n\n".join(imports + helpers + [functions[function]])
    return nb


@SLOW
@pytest.mark.parametrize("name, lang", CASES, ids=IDS)
def test_a_notebook_filled_with_a_correct_solution_written_elsewhere_passes(name, lang, tmp_path):
    nb = run_notebook(filled(name, lang), name, lang, tmp_path)
    for function, text in check_cells(nb).items():
        assert text == "PASS  %s.%s\n" % (SECTIONS[name], function), text
    passed, total = summary(printed(cell_by_id(nb, "check-all")), lang)
    assert passed == total >= len(graded_names(name))


@SLOW
@pytest.mark.parametrize("lang", LANGS)
def test_erratum_3_planted_in_the_filled_notebook_is_named(lang):
    nb = filled("1.3_one_hidden_layer.ipynb", lang)
    line, wrong = PLANTED["erratum3_tanh"][1:3]
    cell = cell_by_id(nb, "backward-propagation")
    assert source(cell).count(line) == 1
    cell.source = source(cell).replace(line, wrong)
    nb.cells = nb.cells[:nb.cells.index(cell) + 2]  # up to its check: the rest is not needed here
    execute(nb, os.path.join(WORKBOOK, lang))
    lines = check_cells(nb)["backward_propagation"].splitlines()
    assert lines[0].startswith("FAIL  shallow.backward_propagation: ")
    assert "erratum 3" in lines[0] if lang == "en" else ("勘误 3" in lines[0] and "erratum 3" in lines[1])
    assert check_cells(nb)["forward_propagation"] == "PASS  shallow.forward_propagation\n"


# -- data: the cat files when present, the published compute_cost vectors ----------------------------

@SLOW
@needs_catvnoncat()
def test_the_cat_step_runs_on_the_course_files_from_its_default_folder():
    nb = read(notebook_path("1.4_deep_network.ipynb", "en", solved=True))
    set_cat_cell(nb, CAT_LINES[0].split('"')[1], 20)  # the notebook's own default folder
    keep = {"setup", "cats"} | {c.get("id") for c in solution_cells(nb)} | {"activations-given",
                                                                           "initialize-app-given"}
    nb.cells = [c for c in nb.cells if c.get("id") in keep]
    execute(nb, os.path.join(WORKBOOK, "en"))
    text = printed(cell_by_id(nb, "cats"))
    assert "X_train (12288, 209), X_test (12288, 50)" in text and "test  accuracy" in text, text


@SLOW
def test_cat_files_that_are_not_in_the_course_layout_are_one_skip_line(tmp_path):
    folder = tmp_path / "cats"
    folder.mkdir()
    for split in ("train", "test"):
        (folder / ("%s_catvnoncat.h5" % split)).write_text("not HDF5")
    nb = read(notebook_path("1.4_deep_network.ipynb", "en", solved=True))
    set_cat_cell(nb, str(folder), 3)
    nb.cells = [c for c in nb.cells if c.get("id") in ("setup", "cats")]
    execute(nb, os.path.join(WORKBOOK, "en"))
    text = printed(cell_by_id(nb, "cats"))
    assert text.startswith("skipped: ") and "not a readable HDF5 file" in text and len(text.splitlines()) == 1


def test_the_published_compute_cost_vectors_are_accepted_and_other_shapes_refused():
    """The exercise's 2021 tests: Y = (randn(1, m) > 0) after seed(1), A2 (1, m) and A2 of shape (m,)."""
    A2 = np.array([[0.5002307, 0.49985831, 0.50023963, 0.25, 0.7]])
    Y = np.random.RandomState(1).randn(1, 5) > 0
    def cross_entropy(a, y):  # the course's formula, written out element by element
        a, y = list(np.ravel(a)), list(np.ravel(y).astype(float))
        return -sum(yi * math.log(ai) + (1 - yi) * math.log(1 - ai) for ai, yi in zip(a, y)) / len(a)

    for a, y in ((A2, Y), (A2.ravel(), Y), (A2.ravel(), Y.ravel()), (A2, Y.astype(int))):
        cost = shallow.compute_cost(a, y)
        assert isinstance(cost, float) and abs(cost - cross_entropy(A2, Y)) < 1e-15
    Y3 = np.random.RandomState(1).randn(1, 3) > 0
    assert abs(shallow.compute_cost(A2[:, :3], Y3) - cross_entropy(A2[:, :3], Y3)) < 1e-15
    for a, y in ((A2.T, Y), (A2, np.vstack([Y, Y])), (A2[0, 0], Y[0, 0]), (A2[:, :0], Y[:, :0]),
                 (A2.reshape(1, 1, 5), Y)):
        with pytest.raises(ValueError, match="A2 and Y must have one shape") as e:
            shallow.compute_cost(a, y)
        assert len(str(e.value).splitlines()) == 1


# -- Chinese, first class --------------------------------------------------------------------------

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
README, README_ZH, GLOSSARY = (os.path.join(ROOT, f) for f in ("README.md", "README.zh-CN.md",
                                                               os.path.join("docs", "glossary.md")))


def without_code(markdown):
    """Markdown without its code: fenced blocks and inline spans (commands, paths, identifiers,
    the same in every language). Prose, tables, formulas and link texts stay."""
    return re.sub(r"`[^`\n]*`", " ", re.sub(r"```.*?```", " ", markdown, flags=re.S))


def cjk_share(markdown):
    """CJK characters / (CJK characters + Latin letters) outside code; 0 for text without letters."""
    text = without_code(markdown)
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk / float(cjk + latin) if cjk + latin else 0.0


def read_text(path):
    with io.open(path, encoding="utf-8") as f:
        return f.read()


def markdown_of(path):
    return "\n\n".join(source(c) for c in read(path).cells if c.cell_type == "markdown")


def test_the_cjk_share_counts_letters_outside_code():
    assert cjk_share("中文 ab") == 0.5
    assert cjk_share("中文 `abcdef` ab\n```\nprint(1)\n```\n") == 0.5
    assert cjk_share("only English, `代码`") == 0.0 and cjk_share("") == 0.0


@pytest.mark.parametrize("path", [notebook_path(n, "zh-CN") for n in sorted(SECTIONS)] + [README_ZH],
                         ids=[n[:3] for n in sorted(SECTIONS)] + ["README.zh-CN.md"])
def test_chinese_is_at_least_half_of_the_letters(path):
    text = markdown_of(path) if path.endswith(".ipynb") else read_text(path)
    assert cjk_share(text) >= 0.5, "%s: CJK share %.3f" % (path, cjk_share(text))


def test_the_readmes_link_to_each_other_at_the_top():
    assert "(README.zh-CN.md)" in read_text(README).split("\n")[0]
    assert "(README.md)" in read_text(README_ZH).split("\n")[0]


def blocks_and_headings(text):
    """(fenced code blocks, heading levels, table rows) of a Markdown text."""
    blocks = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
    headings = [len(m) for m in re.findall(r"^(#+) ", without_code(text), flags=re.M)]
    rows = len(re.findall(r"^\|", text, flags=re.M))
    return blocks, headings, rows


def test_the_chinese_readme_is_the_whole_english_one():
    """Same headings, code blocks, commands and table rows as README.md, in the same order, and the
    same two Quick start commands."""
    en_blocks, en_headings, en_rows = blocks_and_headings(read_text(README))
    zh_blocks, zh_headings, zh_rows = blocks_and_headings(read_text(README_ZH))
    assert zh_headings == en_headings and zh_rows == en_rows and len(zh_blocks) == len(en_blocks)
    for en, zh in zip(en_blocks, zh_blocks):
        commands = [l for l in en.splitlines() if l.startswith(("./env.sh", "PASS", "FAIL", "from "))]
        assert commands == [l for l in zh.splitlines() if l.startswith(("./env.sh", "PASS", "FAIL", "from "))]
    quick_start = zh_blocks[0].split()
    assert zh_blocks[0] == en_blocks[0] and len(zh_blocks[0].strip().splitlines()) == 2, quick_start


def glossary_rows():
    """[(the Chinese term, [words not to use])] of docs/glossary.md's tables."""
    rows = []
    for line in read_text(GLOSSARY).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and CJK.search(cells[0]) and not set(cells[0]) <= set("-"):
            rows.append((cells[0], [w.strip() for w in re.split(r"[,，、]", cells[4]) if w.strip()]))
    return rows


def chinese_texts():
    """{name: text} of what the project writes in Chinese: the zh-CN workbook (markdown and code),
    and README.zh-CN.md without the course's own section titles it quotes (README.md quotes them too)."""
    texts = {}
    for name in SECTIONS:
        for solved in (False, True):
            path = notebook_path(name, "zh-CN", solved)
            texts[path] = "\n".join(source(c) for c in read(path).cells)
    quoted = set(CJK_RUN.findall(read_text(README)))
    texts[README_ZH] = CJK_RUN.sub(lambda m: " " if m.group(0) in quoted else m.group(0), read_text(README_ZH))
    return texts


CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def test_the_chinese_texts_keep_to_the_glossary():
    rows = glossary_rows()
    avoided = [w for _, words in rows for w in words]
    assert len(rows) >= 40 and {"成本函数", "学习率", "正向传播"} <= set(avoided)
    for path, text in chinese_texts().items():
        found = [w for w in avoided if w in text]
        assert not found, "%s uses %s; docs/glossary.md names the word to use" % (path, found)
    workbook_text = "".join(t for p, t in chinese_texts().items() if p.endswith(".ipynb"))
    for term in ("代价函数", "学习速率", "前向传播", "反向传播", "梯度下降", "激活函数", "隐藏层", "勘误"):
        assert term in [t for t, _ in rows] and term in workbook_text, term
