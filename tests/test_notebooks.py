"""Every notebook in notebooks/ runs top to bottom, on whichever stack runs the tests.

The kernel is this interpreter (``sys.executable``, i.e. the stack's venv): a kernel spec written to
a temporary folder names it, so no Jupyter installed elsewhere on the machine is picked up. The
working directory is notebooks/, as when a learner opens a notebook in Jupyter. A failing cell
raises nbclient's CellExecutionError, which fails the test with the cell and its traceback.
"""
import glob
import json
import os
import shutil
import sys
import tempfile

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import ROOT

# Every notebook run top to bottom in a kernel: minutes on a loaded machine (conftest.TIME_LIMIT)
pytestmark = [pytest.mark.slow, pytest.mark.time_limit(900)]

NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
KERNEL = "tf-models-venv"
TIMEOUT = 300  # seconds per cell; the notebooks take well under a minute in all


def execute(nb, cwd, timeout=TIMEOUT):
    """Run every cell of ``nb`` (in place) in a fresh kernel of this interpreter, from ``cwd``."""
    spec_dir = tempfile.mkdtemp(prefix="kernels-")
    try:
        os.makedirs(os.path.join(spec_dir, KERNEL))
        with open(os.path.join(spec_dir, KERNEL, "kernel.json"), "w") as f:
            json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                       "display_name": "Python (tf_models venv)", "language": "python"}, f)
        km = KernelManager(kernel_name=KERNEL,
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[spec_dir]))
        client = NotebookClient(nb, km=km, timeout=timeout,
                                resources={"metadata": {"path": cwd}})
        try:
            client.execute()
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    finally:
        shutil.rmtree(spec_dir, ignore_errors=True)
    return nb


def test_there_are_notebooks_for_sections_1_2_to_1_4():
    names = [os.path.basename(p) for p in NOTEBOOKS]
    for section in ("1.2_", "1.3_", "1.4_"):
        assert any(n.startswith(section) for n in names), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path):
    nb = nbformat.read(path, as_version=4)
    execute(nb, os.path.dirname(path))
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_committed_notebook_has_its_outputs_and_no_errors(path):
    """Notebooks are committed executed, so that they read well without running them."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "run the notebook and save it with its outputs"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no plot in the notebook"


def test_a_failing_cell_fails_the_run(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x / 0")]
    with pytest.raises(CellExecutionError) as e:
        execute(nb, str(tmp_path), timeout=60)
    assert "ZeroDivisionError" in str(e.value)


def test_the_kernel_is_this_interpreter(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os, sys\nprint(sys.executable)\nprint(os.getcwd())")]
    execute(nb, str(tmp_path), timeout=60)
    printed = nb.cells[0].outputs[0]["text"].split()
    assert printed[0] == sys.executable
    assert os.path.realpath(printed[1]) == os.path.realpath(str(tmp_path))
