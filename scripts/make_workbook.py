"""Make the workbook's student notebooks from their solved sources (one source per notebook).

    python scripts/make_workbook.py            # write notebooks/workbook/<lang>/<name>.ipynb
    python scripts/make_workbook.py --check    # exit 1 when a committed student notebook is stale

Each solved source notebooks/workbook/<lang>-solved/<name>.ipynb (lang: en, zh-CN) gives the
student notebook notebooks/workbook/<lang>/<name>.ipynb, one folder over at the same depth (so
the relative links and paths in a notebook mean the same in both). In every code cell, the lines from
"### BEGIN SOLUTION" to "### END SOLUTION" become a prompt and "raise NotImplementedError" at the
marker's indentation, as nbgrader does; outputs and execution counts are cleared; everything else
is kept as it is. A student notebook that holds a learner's work (outputs, or a graded cell filled
in) is never overwritten without --force.
Exit status: 0 written (with --check: up to date); 1 with --check: a student notebook is stale or
missing; 2 bad input (a source that is not a notebook, unbalanced markers, work in the way) or a
failed write;
130 Ctrl-C; 143 SIGTERM.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402

from tf_models.run import cli, console, params_io  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKBOOK = os.path.join(ROOT, "notebooks", "workbook")
LANGUAGES = ("en", "zh-CN")
SOLVED = "-solved"  # notebooks/workbook/en-solved/ holds the sources of notebooks/workbook/en/
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PROMPT = {"en": "# YOUR CODE HERE", "zh-CN": "# 在这里写你的代码"}
STUDENT = "raise NotImplementedError"


class SourceError(ValueError):
    """A source notebook the script cannot turn into a student notebook (one line: which and why)."""


def build_parser():
    p = cli.ArgumentParser(description=__doc__.splitlines()[0],
                           epilog="exit status: 0 written (or, with --check, up to date); 1 with "
                                  "--check: stale or missing; 2 bad input; 130 Ctrl-C; 143 SIGTERM")
    p.add_argument("--check", action="store_true",
                   help="write nothing; list the student notebooks that differ from their sources")
    p.add_argument("--force", action="store_true",
                   help="overwrite student notebooks even where they hold a learner's work")
    p.add_argument("--workbook", default=WORKBOOK, metavar="DIR",
                   help="the workbook folder: sources in DIR/<lang>-solved/, students in DIR/<lang>/")
    return p


def strip_source(source, lang, where):
    """The student version of one code cell's source: each solution region replaced by the prompt
    and ``raise NotImplementedError``; SourceError on unbalanced or nested markers."""
    out, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if inside:
                raise SourceError("%s, line %d: %s inside another solution region" % (where, number, BEGIN))
            inside = True
            indent = line[:len(line) - len(line.lstrip())]
            out.extend([indent + PROMPT[lang], indent + STUDENT])
        elif marker.startswith(END):
            if not inside:
                raise SourceError("%s, line %d: %s without %s" % (where, number, END, BEGIN))
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SourceError("%s: %s without %s" % (where, BEGIN, END))
    return "\n".join(out)


def student_notebook(source_nb, lang, where):
    """The student notebook (a dict) of a solved source notebook (a dict)."""
    cells = []
    for index, cell in enumerate(_cells(source_nb, where)):
        cell = dict(cell)
        text = _text(cell.get("source", ""))
        label = "%s, cell %d" % (where, index + 1)
        if cell.get("cell_type") == "code":
            cell["source"] = _lines(strip_source(text, lang, label))
            cell["outputs"], cell["execution_count"] = [], None
        elif BEGIN in text or END in text:
            raise SourceError("%s: solution markers work in code cells only" % label)
        cells.append(cell)
    return dict(source_nb, cells=cells)


def notebook_text(nb):
    """A notebook as Jupyter writes it (JSON, one-space indent, sorted keys, UTF-8 text, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def pairs(workbook):
    """[(lang, source path, student path)] for every source notebook, in a stable order."""
    found = []
    for lang in LANGUAGES:
        folder = os.path.join(workbook, lang + SOLVED)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith(".ipynb"):
                    found.append((lang, os.path.join(folder, name), os.path.join(workbook, lang, name)))
    if not found:
        raise SourceError("no source notebooks in %s (expected en%s/*.ipynb, zh-CN%s/*.ipynb)"
                          % (workbook, SOLVED, SOLVED))
    return found


def generate(workbook):
    """[(student path, its text, the solution cells' ids)] for every source; SourceError on a bad one."""
    out = []
    for lang, source_path, student_path in pairs(workbook):
        source_nb = _read(source_path)
        where = os.path.relpath(source_path, workbook)
        solved = {c.get("id") for c in _cells(source_nb, where) if BEGIN in _text(c.get("source", ""))}
        out.append((student_path, notebook_text(student_notebook(source_nb, lang, where)), solved))
    return out


def holds_work(path, solution_ids):
    """Why the student notebook at ``path`` looks worked on (outputs, a filled-in graded cell), or None."""
    try:
        with io.open(path, encoding="utf-8") as f:
            cells = json.load(f).get("cells", [])
    except (IOError, OSError, ValueError, AttributeError):
        return "it is not a notebook this script wrote"
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            return "it has outputs"
        if cell.get("id") in solution_ids and STUDENT not in _text(cell.get("source", "")):
            return "its cell %s is filled in" % cell.get("id")
    return None


def main(argv=None):
    return cli.run(_make, argv)


def _make(argv):
    args = build_parser().parse_args(argv)
    workbook = os.path.abspath(args.workbook)
    generated = generate(workbook)
    stale = [(path, text, ids) for path, text, ids in generated if _current(path) != text]
    if args.check:
        for path, _, _ in stale:
            console.say("stale: %s (run scripts/make_workbook.py)" % _shown(path))
        if not stale:
            console.say("%d student notebooks are up to date" % len(generated))
        return 1 if stale else 0
    if not args.force:
        for path, _, ids in stale:
            why = os.path.exists(path) and holds_work(path, ids)
            if why:
                raise SourceError("%s holds a learner's work (%s): move it away, or pass --force to "
                                  "overwrite it" % (_shown(path), why))
    for path, text, _ in stale:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            params_io.atomic_write(path, lambda tmp, text=text: _write(tmp, text))
        except OSError as e:  # atomic: the previous file, if any, is whole
            raise SourceError("cannot write %s (%s); %s is unchanged"
                              % (path, e.strerror or e, os.path.basename(path)))
        console.say("wrote %s" % _shown(path))
    console.say("%d student notebooks, %d written" % (len(generated), len(stale)))
    return 0


def _shown(path):
    """A path as the user reads it: relative to the repository when inside it."""
    relative = os.path.relpath(path, ROOT)
    return path if relative.startswith(os.pardir) else relative


def _read(path):
    try:
        with io.open(path, encoding="utf-8") as f:
            return json.load(f)
    except (IOError, OSError, UnicodeDecodeError, ValueError) as e:
        raise SourceError("%s: not a readable notebook (%s)" % (path, cli.one_line(str(e))))


def _cells(nb, where):
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise SourceError("%s: not a Jupyter notebook (no list of cells)" % where)
    return cells


def _current(path):
    try:
        with io.open(path, encoding="utf-8") as f:
            return f.read()
    except (IOError, OSError, UnicodeDecodeError):
        return None


def _write(path, text):
    with io.open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _text(source):
    return "".join(source) if isinstance(source, list) else str(source)


def _lines(text):
    """A cell's source as Jupyter stores it: a list of lines, each but the last ending in a newline."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


if __name__ == "__main__":
    program.exit(main)
