"""tf_models.graphs.tfcompat keeps TensorFlow 2's start-up notices out of stderr and nothing else.

Checked against the lines TensorFlow 2.21 really prints while it loads (copied below), against a
real import in a fresh interpreter of this stack, and against a line that must survive.
"""
import os
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

NOTICES = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n",
    "I0000 00:00:1795701813.800654    6872 port.cc:153] oneDNN custom operations are on. You may see "
    "slightly different numerical results due to floating-point round-off errors from different "
    "computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n",
]


def test_the_filter_matches_the_notices_and_not_other_lines():
    from tf_models.graphs.tfcompat import _START_UP_NOTICES
    assert all(_START_UP_NOTICES.match(line) for line in NOTICES)
    others = ["E0000 00:00:1795701813.800654    6872 port.cc:153] oneDNN failed to load\n",
              "WARNING: something else\n", "Traceback (most recent call last):\n"]
    assert not [line for line in others if _START_UP_NOTICES.match(line)]


def run_import(level):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=level, PYTHONPATH=ROOT)
    code = ("import sys; print('before', file=sys.stderr); from tf_models.graphs.tfcompat import tf; "
            "print('after', file=sys.stderr)")
    return subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, universal_newlines=True, timeout=300)


def test_importing_tensorflow_prints_no_start_up_notice_and_keeps_other_output():
    proc = run_import("2")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert "before" in lines and "after" in lines
    assert not [line for line in lines if "absl::InitializeLog" in line or "oneDNN custom" in line], lines
