"""Grade a learner's own exercise code against the project's (``scripts/check_mine.py``), or a
whole class's (``scripts/grade_class.py``), every learner function contained.

    from tf_models.learner.checker import check_file
    for r in check_file("my_week3.ipynb"):
        print(r.status, r.exercise, r.name, r.message)

The trusted side (the grader's process):
source      reads a .py or .ipynb as Python does (coding line, byte-order mark, line endings)
loader      cuts it into top-level statements and keeps those the graded functions need
specs       each exercise function's seeded inputs and output names
diagnose    known mistakes (the course's errata and common slips), recognised by their numbers
solutions   which functions come from the project's own solutions (no PASS for those)
grade       the whole check of a file; report: its text and JSON
sandbox     runs each check through worker processes; reads their replies as plain data
submissions the files of a class: files, folders and zips, read safely
classroom   a class graded in parallel through one sandbox; gradebook: its files and summary

The contained side (imports NumPy alone, never the project's solutions):
worker      the worker process: contains itself, then forks one contained process per check
containment namespaces, the read-only view of the file system, limits, dropped privileges
contained   builds the learner's namespace and calls the function, inside the sandbox
gradients   gradient checks against the learner's own forward and cost
course_helpers  stand-ins for the exercises' helper modules (dnn_utils, ...)
differences the learner's outputs flattened into labelled arrays (and, on the trusted side, compared)
messages    plain data across the wall: JSON and raw arrays, never pickles

This package's import stays light (the worker imports its contained side through it): the names
below load the trusted side when first called.
"""


def check_file(path, *args, **kw):
    """[Result] for every exercise function of a learner's file (see grade.check_file)."""
    from tf_models.learner.checker import grade
    return grade.check_file(path, *args, **kw)


def check_source(text, name="learner.py", **kw):
    """[Result] for a learner's source text (see grade.check_source)."""
    from tf_models.learner.checker import grade
    return grade.check_source(text, name, **kw)
