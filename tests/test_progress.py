"""What a training script shows while it trains, and the small things around its outputs.

The console (tf_models.run.progress.Console) against what a reader of a terminal and of a log file
should see: the course-style record lines in both, a live bar (rate, ETA, cost) only on a
terminal; --quiet; the finer cost record behind cost.png; the TensorBoard command printed for
the stack that ran; predict.py given a run directory; files that follow the user's umask.
"""
import io
import json
import os
import pty
import re
import select
import subprocess
import sys

import pytest

from conftest import ROOT, load_script
from tf_models import settings
from tf_models.run import progress
from tf_models.run import cli, params_io

LINE = re.compile(r"^iteration +(\d+) +cost \d+\.\d{6}$")


@pytest.mark.parametrize("print_every", [1, 3, 7, 10, 100, 250, 1000, 1024])
def test_records_divide_the_printed_interval_about_ten_per_line(print_every):
    r = settings.record_interval(print_every)
    assert print_every % r == 0, "a printed line must be a record"
    assert r <= max(1, print_every // 10)
    if print_every in (100, 250, 1000):  # the scripts' defaults: exactly ten records per line
        assert print_every // r == 10


def test_console_to_a_file_prints_the_lines_at_printed_records_only():
    out = io.StringIO()  # not a terminal
    console = progress.Console(total=30, start=10, print_every=10, stream=out)
    for i in range(10, 41, 2):
        console.record(i, 0.5)
    console.close()
    lines = out.getvalue().splitlines()
    assert [int(LINE.match(l).group(1)) for l in lines] == [10, 20, 30, 40]
    assert "\r" not in out.getvalue()


def test_quiet_console_prints_nothing():
    out = io.StringIO()
    console = progress.Console(total=10, print_every=1, quiet=True, stream=out)
    for i in range(11):
        console.record(i, 0.5)
    console.close()
    assert out.getvalue() == ""


def run_in_pty(args, timeout=240):
    """(exit status, everything written) of ``args`` with stdout and stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            proc.kill()
            raise AssertionError("no output for %d s" % timeout)
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_shows_a_bar_with_rate_and_eta_and_a_file_gets_the_lines_only(tmp_path):
    args = [sys.executable, os.path.join("scripts", "train_shallow.py"), "--backend", "numpy",
            "--iterations", "3000", "--print-every", "1000"]
    status, shown = run_in_pty(args + ["--run-dir", str(tmp_path / "tty")])
    assert status == 0, shown
    assert re.search(r"\d+/3000 \[\d\d:\d\d<\d\d:\d\d", shown), "no bar with elapsed<ETA:\n" + shown
    assert re.search(r"it/s", shown) and "cost=" in shown
    assert len(re.findall(r"iteration +\d+ +cost", shown)) == 4  # 0, 1000, 2000, 3000
    with open(str(tmp_path / "log.txt"), "w") as log:
        subprocess.check_call(args + ["--run-dir", str(tmp_path / "file")], stdout=log,
                              stderr=subprocess.STDOUT, cwd=ROOT)
    text = (tmp_path / "log.txt").read_text()
    assert "\r" not in text and "it/s" not in text and "\x1b[" not in text
    assert len(re.findall(r"^iteration +\d+ +cost", text, re.M)) == 4


def test_quiet_prints_only_the_summary(tmp_path, capsys):
    status = load_script("train_logistic").main(
        ["--backend", "numpy", "--iterations", "200", "--quiet", "--run-dir", str(tmp_path / "q")])
    out = capsys.readouterr().out
    assert status == 0
    assert "iteration" not in out and "logistic on" not in out
    assert "test accuracy" in out and "outputs in" in out


def test_metrics_hold_about_ten_records_per_printed_line(tmp_path, capsys):
    run_dir = str(tmp_path / "r")
    assert load_script("train_logistic").main(
        ["--backend", "tf", "--iterations", "500", "--print-every", "100", "--run-dir", run_dir]) == 0
    out = capsys.readouterr().out
    with open(os.path.join(run_dir, "metrics.json")) as f:
        costs = json.load(f)["costs"]
    assert [i for i, _ in costs] == list(range(0, 501, 10))
    printed = [int(m) for m in re.findall(r"^iteration +(\d+)", out, re.M)]
    assert printed == [0, 100, 200, 300, 400, 500]


def test_the_tensorboard_command_names_the_stack_and_quotes_the_path(monkeypatch, tmp_path):
    root = tmp_path / "project"
    (root / ".venv-modern").mkdir(parents=True)
    (root / "env.sh").write_text(u"#!/bin/sh\n")
    monkeypatch.setattr(sys, "prefix", str(root / ".venv-modern"))
    monkeypatch.chdir(str(root))
    assert cli.tensorboard_command("runs/my run") == \
        "STACK=modern ./env.sh tensorboard --logdir 'runs/my run' --host 127.0.0.1"
    monkeypatch.setattr(sys, "prefix", str(root / ".venv-pinned"))
    (root / ".venv-pinned").mkdir()
    monkeypatch.chdir(str(tmp_path))  # elsewhere: env.sh and the run by absolute path
    command = cli.tensorboard_command("runs/x")
    assert command == "%s tensorboard --logdir %s --host 127.0.0.1" % (
        root / "env.sh", tmp_path / "runs" / "x")


def test_predict_accepts_the_run_directory(tmp_path, capsys):
    run_dir = str(tmp_path / "run")
    assert load_script("train_logistic").main(
        ["--backend", "numpy", "--iterations", "50", "--run-dir", run_dir, "--quiet"]) == 0
    capsys.readouterr()
    assert load_script("predict").main(["--params", run_dir]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^accuracy +\d\.\d{4}", out, re.M)
    assert os.path.isfile(os.path.join(run_dir, "predictions-breast_cancer-numpy.csv"))


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_saved_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        path = str(tmp_path / "f.json")
        params_io.atomic_write(path, lambda tmp: open(tmp, "w").close())
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == mode
