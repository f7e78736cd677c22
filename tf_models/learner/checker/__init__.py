"""Grade a learner's own exercise code against the project's (``scripts/check_mine.py``).

    from tf_models.learner.checker import check_file
    for r in check_file("my_week3.ipynb"):
        print(r.status, r.exercise, r.name, r.message)

source      reads a .py or .ipynb as Python does (coding line, byte-order mark, line endings)
loader      cuts it into top-level statements and keeps those the graded functions need
sandbox     runs learner code in a child process with a time and a memory limit
specs       each exercise function's seeded inputs and output names
differences labelled outputs and the first that differs
diagnose    known mistakes (the course's errata and common slips), recognised by their numbers
gradients   gradient checks of backward functions against the learner's own forward and cost
grade       the whole check of a file; report: text and JSON
"""
from tf_models.learner.checker.grade import Result, check_file  # noqa: F401
