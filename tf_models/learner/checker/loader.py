"""Read a learner's .py file or .ipynb notebook: keep imports and top-level definitions only.

Nothing of the learner's code runs here. The parser keeps, in file order, the import statements,
the top-level ``def``s and ``class``es, and assignments of plain constants (``EPS = 1e-8``); every
other statement (loading data, training, plotting, the exercises' test calls) is dropped, so a
cell that reads a file the checker does not have cannot stop it. Notebook cells are parsed one by
one, IPython's ``%magic`` and ``!shell`` lines removed; a cell that still does not parse is skipped.
"""
import ast
import io
import json
import os
from collections import namedtuple

# What the checker runs: the kept source, the names of the functions defined, what was skipped.
Learner = namedtuple("Learner", "path chunks functions skipped")
# One kept statement: kind "import" (run in a try: a course helper module may be absent) or "def".
Chunk = namedtuple("Chunk", "kind source line name")


def load(path):
    """The Learner of a .py or .ipynb file; ValueError (one line) when it cannot be read or parsed."""
    if not os.path.isfile(path):
        raise ValueError("no such file: %s (give a learner's .py file or .ipynb notebook)" % path)
    try:
        with io.open(path, encoding="utf-8") as f:
            text = f.read()
    except (IOError, OSError, UnicodeDecodeError) as e:
        raise ValueError("cannot read %s as UTF-8 text: %s" % (path, e))
    if path.lower().endswith(".ipynb"):
        cells, skipped = _notebook_cells(text, path), []
    else:
        cells, skipped = [(1, text)], []
    chunks = []
    for first_line, source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError as e:
            if len(cells) == 1:
                raise ValueError("cannot parse %s: %s (line %s)" % (path, e.msg, e.lineno))
            skipped.append("cell at line %d does not parse (%s)" % (first_line, e.msg))
            continue
        chunks.extend(_kept(tree, source, first_line))
    functions = [c.name for c in chunks if c.name]
    return Learner(path, chunks, functions, skipped)


def _notebook_cells(text, path):
    """[(line number in the notebook's cell sequence, source)] of its code cells, magics removed."""
    try:
        cells = json.loads(text)["cells"]
    except (ValueError, KeyError, TypeError):
        raise ValueError("%s is not a Jupyter notebook (no JSON with 'cells')" % path)
    out, line = [], 1
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = ["" if l.lstrip().startswith(("%", "!")) else l for l in source.split("\n")]
        out.append((line, "\n".join(lines)))
        line += len(lines)
    return out


def _kept(tree, source, first_line):
    """The kept statements; each runs from its first line (decorators included) to the line before
    the next top-level statement, which also works on Python 3.6, whose ast has no end_lineno."""
    lines = source.split("\n")
    starts = [_start(node) for node in tree.body] + [len(lines) + 1]
    kept = []
    for i, node in enumerate(tree.body):
        kind = _kind(node)
        if kind is not None:
            text = "\n".join(lines[starts[i] - 1:starts[i + 1] - 1]).rstrip()
            name = node.name if isinstance(node, ast.FunctionDef) else None
            kept.append(Chunk(kind, text, first_line + starts[i] - 1, name))
    return kept


def _start(node):
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def _kind(node):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return "def"
    if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
        try:
            ast.literal_eval(node.value)
            return "def"
        except ValueError:
            return None
    return None
