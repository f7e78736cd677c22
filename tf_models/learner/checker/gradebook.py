"""A class's grades, written into one folder (scripts/grade_class.py):

    gradebook.csv        one row per submission: ``submission`` (its name), one column per graded
                         function as the checker names it (``shallow.backward_propagation``), then
                         ``passed`` and ``total``. A cell is ``PASS``, ``FAIL: <the mistake's short
                         name, or the first difference, or how the check ended>``, ``missing``, or
                         empty for a function of another exercise than the submission's
    feedback/<name>.md   what check_mine.py would tell that student, in Chinese and in English
    summary.md           how many submissions made each named mistake (and so fell into each
                         erratum of the course text), which functions failed most, which
                         submissions broke or used the project's solutions, and, once, what the
                         sandbox could not contain
    mistakes.png         the mistakes and the failing functions as bar charts

Every file is written under a temporary name and linked into place, never over an existing file.
"""
import csv
import io
import os
from collections import Counter, OrderedDict, namedtuple

from tf_models.learner.checker import diagnose, report, specs

# submission: its name; results: [grade.Result]; missing: the functions of its exercise the file
# lacks ("shallow.predict"); exercises: the exercises it is graded for; problem: why it could not be
# graded at all (then every column is a FAIL saying so)
Row = namedtuple("Row", "submission results missing exercises problem")
BROKE = ("timeout", "memory", "cpu", "stopped", "output", "corrupt", "crash")
CELL_CAP = 160
FILES = ("gradebook.csv", "summary.md", "mistakes.png")


def columns(rows):
    """The graded functions, in the course's order: each function that at least one submission
    defines (or takes from the project). A function nobody wrote, such as a helper the exercise
    provides (``relu_backward`` from dnn_utils), is no column, and so counts in no total."""
    had = {"%s.%s" % (r.exercise, r.name) for row in rows for r in row.results}
    return ["%s.%s" % (ex, s.name) for ex in specs.SPECS for s in specs.SPECS[ex]
            if "%s.%s" % (ex, s.name) in had]


def cells(row, names):
    """{column: cell} of one row, plus ``passed`` and ``total``."""
    by_name = {"%s.%s" % (r.exercise, r.name): r for r in row.results}
    out = OrderedDict()
    for name in names:
        if row.problem is not None:
            out[name] = "FAIL: " + _cap(row.problem)
        elif name in by_name:
            r = by_name[name]
            out[name] = "PASS" if r.status == "PASS" else "FAIL: " + short(r)
        elif name in row.missing:
            out[name] = "missing"
        else:
            out[name] = ""
    out["passed"] = sum(out[n] == "PASS" for n in names)
    out["total"] = sum(out[n] != "" for n in names)
    return out


def short(result):
    """What a FAIL cell says: the mistake's short name, else how the check ended, else the first
    difference."""
    d = result.details
    if d.get("status") == "solutions":
        return "%s tf_models (the project's solutions)" % ("taken from" if d.get("solutions") == "taken" else "uses")
    if d.get("mistake") in diagnose.SHORT:
        text = diagnose.SHORT[d["mistake"]][0]
        if d["mistake"] == "gradcheck":
            text += ": " + result.message.split(" -- ")[-1].split(" ")[0]
        return text
    if d.get("status") in BROKE:
        return "%s: %s" % (d["status"], _cap(result.message))
    if d.get("status") == "error":
        return "error: " + _cap(result.message)
    return _cap(result.message.split(" -- ")[0])


def _cap(text):
    text = " ".join(str(text).split())
    return text if len(text) <= CELL_CAP else text[:CELL_CAP - 3] + "..."


def csv_text(rows, names):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["submission"] + names + ["passed", "total"])
    for row in rows:
        values = cells(row, names)
        writer.writerow([_safe(row.submission)] + [values[n] for n in names] + [values["passed"], values["total"]])
    return out.getvalue()


def _safe(text):
    """A cell a spreadsheet will not run as a formula (=, +, -, @ at the start get a quote)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def feedback(row, encoding="utf-8"):
    """The Markdown feedback of one submission: Chinese first, then English."""
    out = ["# %s" % _md(row.submission), ""]
    for language, title in (("zh", "## 中文"), ("en", "## English")):
        out += [title, ""]
        if row.problem is not None:
            out.append(("这个文件无法评分：%s" if language == "zh" else "This file could not be graded: %s")
                       % row.problem)
        elif not row.results:
            out.append("文件中没有与练习同名的函数。" if language == "zh" else
                       "The file defines no function named like the exercises'.")
        else:
            out += ["```"] + report.lines(row.results, encoding, language, row.missing) + ["```"]
        out.append("")
    return "\n".join(out)


# ---- the class summary ------------------------------------------------------------------------

Counts = namedtuple("Counts", "functions mistakes broke solutions")


def counts(rows, names):
    """Per function [PASS, FAIL, missing]; per mistake the submissions (and functions) that made
    it; the submissions whose checks broke; those that used the project's solutions."""
    functions = OrderedDict((n, [0, 0, 0]) for n in names)
    mistakes, broke, used = OrderedDict(), [], []
    for row in rows:
        values = cells(row, names)
        for n in names:
            cell = values[n]
            if cell:
                functions[n][0 if cell == "PASS" else 2 if cell == "missing" else 1] += 1
        for r in row.results:
            key, status = r.details.get("mistake"), r.details.get("status")
            if key:
                mistakes.setdefault(key, OrderedDict()).setdefault(row.submission, []).append(r.name)
            if status in BROKE:
                broke.append((row.submission, "%s.%s" % (r.exercise, r.name), status, r.message))
            if status == "solutions":
                used.append((row.submission, "%s.%s" % (r.exercise, r.name), r.details.get("solutions")))
    return Counts(functions, mistakes, broke, used)


def summary(rows, names, sandbox_note, notes, seconds, workers):
    """summary.md's text."""
    c = counts(rows, names)
    graded = sum(r.problem is None for r in rows)
    out = ["# Class summary", "",
           "%s, %d graded in %.1f s (%s in parallel)." % (_count(len(rows), "submission"), graded, seconds,
                                                           _count(workers, "worker")),
           "", "## Containment", "", sandbox_note, "", "## Mistakes named by the checker", ""]
    if c.mistakes:
        out += ["| mistake | submissions | functions |", "|---|---|---|"]
        for key, who in sorted(c.mistakes.items(), key=lambda kv: -len(kv[1])):
            functions = sorted({f for fs in who.values() for f in fs})
            out.append("| %s | %d | %s |" % (diagnose.SHORT.get(key, (key,))[0], len(who), ", ".join(functions)))
        errata = Counter()
        for key, who in c.mistakes.items():
            if key in diagnose.ERRATA:
                errata[diagnose.ERRATA[key]] += len(who)
        if errata:
            out += ["", "Errata of the course text the class fell into (submissions): "
                    + ", ".join("erratum %d: %d" % (e, n) for e, n in sorted(errata.items())) + "."]
    else:
        out.append("No submission made a mistake the checker knows by name.")
    out += ["", "## Functions, most failed first", "", "| function | PASS | FAIL | missing |", "|---|---|---|---|"]
    for name, (p, f, m) in sorted(c.functions.items(), key=lambda kv: (-kv[1][1], -kv[1][2])):
        out.append("| %s | %d | %d | %d |" % (name, p, f, m))
    out += ["", "![the class's mistakes and failing functions](mistakes.png)", ""]
    out += _listing("## Checks that broke (each was killed; the other functions still ran)",
                    ["%s: %s: %s" % (s, f, _cap(m)) for s, f, _, m in c.broke])
    out += _listing("## The project's own solutions (no PASS)",
                    ["%s: %s (%s)" % (s, f, how) for s, f, how in c.solutions])
    out += _listing("## Not graded", ["%s: %s" % (r.submission, r.problem) for r in rows if r.problem]
                    + list(notes))
    return "\n".join(out)


def _count(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def _listing(title, lines):
    return [title, ""] + ["- " + _md(l) for l in lines] + [""] if lines else []


def _md(text):
    """Text from a submission as Markdown that shows, never formats, it (an underscore inside a
    word formats nothing, and file names are full of them)."""
    return "".join("\\" + ch if ch in "\\`*[]<>|" else ch for ch in text)


def chart(rows, names, path):
    """mistakes.png: submissions per named mistake (the course text's errata in vermillion), FAILs
    per function; the largest bar on top."""
    from tf_models import plots  # matplotlib with the Agg backend outside a notebook
    c = counts(rows, names)
    mistakes = sorted((len(who), diagnose.SHORT.get(k, (k,))[0], k in diagnose.ERRATA)
                      for k, who in c.mistakes.items())
    failed = sorted((f, n, False) for n, (_, f, _) in c.functions.items() if f)
    fig, axes = plots.plt.subplots(1, 2, figsize=(13, max(3, 0.38 * max(len(mistakes), len(failed), 1) + 1.5)))
    for ax, data, title in ((axes[0], mistakes, "submissions per named mistake (errata of the text in red)"),
                            (axes[1], failed, "FAILs per function")):
        if data:
            ax.barh(range(len(data)), [n for n, _, _ in data],
                    color=[plots.CLASS_COLOURS[0] if erratum else plots.CLASS_COLOURS[1] for _, _, erratum in data])
            ax.set_yticks(range(len(data)))
            ax.set_yticklabels([label for _, label, _ in data], fontsize=8)
            ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=80)
    plots.plt.close(fig)


def write(folder, rows, names, sandbox_note, notes, seconds, workers, encoding="utf-8"):
    """Write the gradebook, the feedback files, the summary and the chart into ``folder`` (which
    must not hold them already). Returns the paths written."""
    from tf_models.run.params_io import atomic_write
    written = []

    def put(path, text):
        _parent(path)
        atomic_write(path, lambda tmp: _write_text(tmp, text), exclusive=True)
        written.append(path)

    put(os.path.join(folder, "gradebook.csv"), csv_text(rows, names))
    for row in rows:
        put(os.path.join(folder, "feedback", *row.submission.split("/")) + ".md", feedback(row, encoding))
    put(os.path.join(folder, "summary.md"), summary(rows, names, sandbox_note, notes, seconds, workers))
    path = os.path.join(folder, "mistakes.png")
    atomic_write(path, lambda tmp: chart(rows, names, tmp), exclusive=True)
    written.append(path)
    return written


def _parent(path):
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        os.makedirs(folder)


def _write_text(path, text):
    with io.open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
