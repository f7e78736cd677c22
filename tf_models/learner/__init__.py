"""Tools a learner uses beside the course, built on its models.

    checker/           grades a learner's own exercise code (``scripts/check_mine.py``)
    workbook           the checker inside the workbook's notebooks (``notebooks/workbook/``)
    playground         an interactive shallow network in a notebook (1.3)
    compare_backends   NumPy against TensorFlow, step by step (``scripts/compare_backends.py``)
"""
