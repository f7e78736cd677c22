"""Installs the ``tf_models`` package, so that ``import tf_models`` works from any directory.

``./env.sh`` runs ``pip install --no-deps -e .`` in each stack's environment: the requirement files
pin every dependency per stack, and an editable install keeps the working tree the code that runs.
A plain ``setup.py`` (no pyproject.toml) because Python 3.6 has only setuptools releases without
PEP 660 editable installs; pip falls back to ``setup.py develop`` there and uses PEP 660 where the
installed setuptools has it.
"""
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def version():
    """The ``__version__`` string of tf_models/__init__.py, read without importing the package."""
    with open(os.path.join(HERE, "tf_models", "__init__.py")) as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


setup(
    name="tf-models",
    version=version(),
    description="Chapter 1 of a deep-learning course in NumPy and as TensorFlow 1.x graphs, proven equal",
    packages=find_packages(include=["tf_models", "tf_models.*"]),
    python_requires=">=3.6",
    # TensorFlow is left out on purpose: each stack names its own (tensorflow 1.8.0 or 1.15.5,
    # tensorflow-cpu 2.x) in its requirements file, and all of them provide the module.
    install_requires=["numpy", "h5py", "scikit-learn", "matplotlib"],
)
