"""A learner's file as Python reads it: the text of a .py file, the code cells of a .ipynb notebook.

A .py file is decoded as the interpreter decodes a module's source (PEP 263, PEP 3120): a UTF-8
byte-order mark, else the coding line among the first two lines (``# -*- coding: gbk -*-``), else
UTF-8; every line ending (CRLF, a lone CR) becomes "\\n". A notebook is JSON, UTF-8 by its format
(a byte-order mark, as Windows editors write it, is accepted too); its code cells are read in order,
with what IPython would not pass to Python (``%magic``, ``!shell``, ``name?``) left out.
"""
import codecs
import io
import json
import re
import tokenize
from collections import namedtuple

# One piece of Python: its first line in the learner's numbering and its text (lines end in "\n").
# A notebook's code cells are numbered as if they followed one another in one file.
Cell = namedtuple("Cell", "line text")

# Cell magics whose body IPython runs as ordinary code of the notebook (its names stay defined).
CODE_CELL_MAGICS = ("time", "capture")
# `files = !ls`, `t = %timeit -o f()`: never Python, IPython assigns a command's output.
_ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")
_HELP = re.compile(r"^\s*(\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")


def cells(path):
    """[Cell] of a .py file (one) or of a notebook's code cells; ValueError (one line) for a file
    that is not text in its declared encoding, or not a notebook."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except (IOError, OSError) as e:
        raise ValueError("cannot read %s: %s" % (path, e.strerror or e))
    if path.lower().endswith(".ipynb"):
        return _notebook_cells(data, path)
    return [Cell(1, _universal_newlines(python_text(data, path)))]


def python_text(data, path):
    """The bytes of a .py file decoded as Python decodes source (PEP 263)."""
    declared = _declared_encoding(data)
    bom = data.startswith(codecs.BOM_UTF8)
    if bom and declared and codecs.lookup(declared).name != "utf-8":
        raise ValueError("cannot read %s: it starts with a UTF-8 byte-order mark but its coding line "
                         "says %s (Python cannot import it either); keep one of them" % (path, declared))
    lines = iter(data.splitlines(True))  # as Python's tokenizer, a lone CR ends a line too
    try:
        encoding = tokenize.detect_encoding(lambda: next(lines, b""))[0]
    except SyntaxError as e:  # an unknown codec in the coding line
        raise ValueError("cannot read %s: %s (Python cannot import it either)" % (path, e))
    start = len(codecs.BOM_UTF8) if bom else 0
    try:
        return data[start:].decode("utf-8" if bom else encoding)
    except UnicodeDecodeError as e:
        at = start + e.start
        where = "line %d is not %%s text (byte 0x%02x)" % (_line_of(data, at), data[at])
        if declared:
            why = "as its coding line declares; save it as %s or correct the coding line" % declared
        elif bom:
            why = "as its byte-order mark declares; save it as UTF-8"
        else:
            why = ("Python's default for a file without a coding line; save it as UTF-8 or name its "
                   "encoding in a first line such as '# -*- coding: gbk -*-'")
        raise ValueError("cannot read %s: %s, %s" % (path, where % (declared or "UTF-8"), why))


def _declared_encoding(data):
    """The encoding a coding line names, as written ('gbk'), or None."""
    for line in data[len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0:].splitlines()[:2]:
        found = re.match(br"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", line)
        if found:
            name = found.group(1).decode("ascii")
            try:
                codecs.lookup(name)
            except LookupError:  # tokenize.detect_encoding says so
                return None
            return name
    return None


def _line_of(data, offset):
    """The number of the line that holds byte ``offset`` (a CRLF, a CR or an LF ends a line)."""
    return len(re.findall(br"\r\n|\r|\n", data[:offset])) + 1


def _universal_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _notebook_cells(data, path):
    """[Cell] of the notebook's code cells (nbformat 4, or 3's worksheets), IPython syntax removed."""
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ValueError("cannot read %s: a notebook is UTF-8 JSON, and byte 0x%02x at line %d is not "
                         "UTF-8" % (path, data[e.start], _line_of(data, e.start)))
    except ValueError:
        raise ValueError("%s is not a Jupyter notebook (no JSON with 'cells')" % path)
    raw = _raw_code_cells(notebook)
    if raw is None:
        raise ValueError("%s is not a Jupyter notebook (no JSON with 'cells')" % path)
    out, line = [], 1
    for source in raw:
        text = python_of_cell(_universal_newlines(source))
        out.append(Cell(line, text))
        line += text.count("\n") + 1
    return out


def _raw_code_cells(notebook):
    """The sources of the code cells, or None when this is no notebook."""
    if not isinstance(notebook, dict):
        return None
    if isinstance(notebook.get("cells"), list):
        cells, key = notebook["cells"], "source"
    elif isinstance(notebook.get("worksheets"), list):  # nbformat 3
        cells = [c for w in notebook["worksheets"] if isinstance(w, dict)
                 for c in w.get("cells", []) if isinstance(c, dict)]
        key = "input"
    else:
        return None
    out = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get(key, "")
            out.append("".join(map(str, source)) if isinstance(source, list) else str(source))
    return out


def python_of_cell(text):
    """A code cell's Python, as IPython would run it: a line magic, a shell command or a help
    request that starts a logical line becomes an empty line (``pass`` where it is indented, to
    keep its block), and a cell whose cell magic does not run its body as code becomes empty. The
    line count stays, so that line numbers stay the notebook's."""
    lines = text.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        if first[2:].split(" ")[0] not in CODE_CELL_MAGICS:
            return "\n" * (len(lines) - 1)
        lines[0] = ""
    lines = _without_leading_indent(lines)
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        ipython = (stripped.startswith(("%", "!")) or _ASSIGNED_MAGIC.match(line)
                   or _HELP.match(line))
        if ipython and _starts_logical_line(lines[:i]):
            indent = line[:len(line) - len(stripped)]
            lines[i] = indent + "pass" if indent else ""
    return "\n".join(lines)


def _without_leading_indent(lines):
    """IPython runs a cell whose first line is indented without that indentation."""
    first = next((l for l in lines if l.strip()), "")
    indent = first[:len(first) - len(first.lstrip())]
    if not indent:
        return lines
    return [l[len(indent):] if l.startswith(indent) else l for l in lines]


def _starts_logical_line(previous):
    """Whether a line after ``previous`` begins a statement (is not inside brackets, a string or a
    backslash continuation): the lines before it then tokenize to the end."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO("\n".join(previous) + "\n").readline):
            pass
    except tokenize.TokenError:
        return False
    except (SyntaxError, ValueError):  # lines tokenize cannot read: leave the decision to the parser
        return True
    return True
