"""Installs the ``tf_models`` package (``pip install -e .``; env.sh does it for each stack).

The dependencies are pinned per stack in requirements*.txt, so none are declared here.
"""
from setuptools import find_packages, setup

setup(name="tf_models", version="0.1.0", packages=find_packages(include=["tf_models*"]),
      python_requires=">=3.6")
