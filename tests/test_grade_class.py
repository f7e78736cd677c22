"""scripts/grade_class.py: a class's files graded into gradebook.csv, feedback, summary.md and the
chart. A battery of hostile submissions (each a correct week-3 file whose ``predict`` first does
something a grader must not allow) is contained, and each row says what happened; a class of
correct files and files with one planted mistake each (tests/test_checker.py's PLANTED) gets its
mistakes marked on exactly the function that holds them."""
import csv
import hashlib
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile

import numpy as np
import pytest

from conftest import ROOT, assert_one_error_line
from test_checker import FILES, PLANTED, plant
from tf_models.learner.checker import diagnose, messages, submissions
from tf_models.learner.checker.containment import sandbox_uid as sandbox_uid_of

pytestmark = pytest.mark.slow  # every test starts sandboxed processes: not in the fast run

SCRIPT = os.path.join(ROOT, "scripts", "grade_class.py")
CORRECT = os.path.join(FILES, "correct_shallow.py")
PREDICT = "def predict(parameters, X):\n"
TIMEOUT = "5"  # seconds per function: the battery's endless loop costs this once


def grade_class(*args, **kw):
    """Run the script; ``tmp``: its TMPDIR (where its private folders go)."""
    env = dict(os.environ, TMPDIR=str(kw.pop("tmp")), **kw.pop("env", {}))
    kw.setdefault("cwd", ROOT)
    return subprocess.Popen([sys.executable, SCRIPT] + [str(a) for a in args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, **kw)


def finish(process, timeout=900):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


def gradebook(out):
    with open(os.path.join(str(out), "gradebook.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["submission"]: r for r in rows}


def snapshot(folder, skip=()):
    """{path: (size, modification time, SHA-256)} of everything under ``folder`` but ``skip``."""
    found = {}
    for here, dirs, files in os.walk(str(folder)):
        dirs[:] = [d for d in dirs if os.path.join(here, d) not in skip]
        for name in dirs + files:
            path = os.path.join(here, name)
            st = os.lstat(path)
            digest = None
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            found[path] = (st.st_size, st.st_mtime_ns, digest)
    return found


def processes_naming(text):
    """Process ids whose command line holds ``text`` (a run's private TMPDIR: its workers and all
    they forked), or whose user is ``text`` (an int: the sandbox's user id)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            if isinstance(text, int):
                if os.stat("/proc/" + pid).st_uid == text:
                    found.append(pid)
                continue
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if text.encode() in f.read():
                    found.append(pid)
        except (IOError, OSError, ValueError):
            pass
    return found


def hostile(body, imports="import os, sys, socket, signal, time, ctypes\n"):
    """correct_shallow.py whose predict first runs ``body`` (indented lines)."""
    with open(CORRECT) as f:
        text = f.read()
    assert text.count(PREDICT) == 1
    lines = "".join("    %s\n" % line for line in body.strip("\n").split("\n"))
    return imports + text.replace(PREDICT, PREDICT + lines)


class Listener(object):
    """A loopback TCP server that counts the connections it accepts."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port, self.accepted, self.running = self.socket.getsockname()[1], 0, True
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                self.socket.accept()[0].close()
                self.accepted += 1
            except socket.timeout:
                pass

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


# name -> (what predict does first, words its gradebook cell must hold)
BATTERY = {
    "delete_outside": ("os.remove(CANARY)", "FAIL: error: FileNotFoundError"),
    "write_outside": ("open(os.path.join(OUTSIDE, 'written.txt'), 'w').write('x')", "FAIL: error: FileNotFoundError"),
    "read_sibling": ("print(open(SIBLING).read())", "FAIL: error: FileNotFoundError"),
    "read_passwd": ("print(open('/etc/passwd').read())", "FAIL: error: FileNotFoundError"),
    "loopback": ("socket.create_connection(('127.0.0.1', PORT), timeout=10).sendall(b'x')",
                 "Network is unreachable"),
    "fork_bomb": ("for _ in range(64):  # bounded, whatever the limit\n"
                  "    if os.fork() == 0:\n        time.sleep(600)\n        os._exit(0)",
                  "FAIL: error: BlockingIOError: [Errno 11] Resource temporarily unavailable"),
    "output_flood": ("for _ in range(64):\n    sys.stdout.write('x' * 2 ** 20)\n    sys.stderr.write('y' * 2 ** 20)\n"
                     "    os.write(1, b'z' * 2 ** 20)", "PASS"),
    "reply_flood": ("for _ in range(40):\n    os.write(3, b'x' * 2 ** 20)", "FAIL: output: sent back more than 16 MB"),
    "partial_reply": ("os.write(3, b'TFMC' + (1000).to_bytes(8, 'big') + b'{\"status\": \"ok\"')\nos._exit(0)",
                      "FAIL: corrupt: sent back an unreadable result"),
    "forged_pickle": ("os.write(3, PICKLE)\nos._exit(0)", "FAIL: corrupt: sent back an unreadable result"),
    "forged_reply": ("os.write(3, FORGED)\nos._exit(0)", "FAIL: predictions (1, 7) differs by up to 0.5"),
    "endless_loop": ("while True:\n    pass", "FAIL: timeout: did not finish within 5 s"),
    "sigstop_parent": ("os.kill(os.getppid(), signal.SIGSTOP)\nos.kill(VICTIM, signal.SIGSTOP)",
                       "FAIL: error: ProcessLookupError"),
    "crash": ("ctypes.string_at(0)", "FAIL: crash: the Python process died (SIGSEGV)"),
    "memory_hog": ("import numpy\nnumpy.ones((100000, 100000))", "FAIL: memory: ran out of memory"),
    "uses_solutions": ("from tf_models.exercises import shallow as project\nreturn project.predict(parameters, X)",
                       "FAIL: uses tf_models (the project's solutions)"),
}


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    """The battery graded once: its folders, the script's output and what was outside before."""
    base = tmp_path_factory.mktemp("battery")
    folder, outside, tmp, out = (base / n for n in ("class", "outside", "tmp", "grades"))
    for f in (folder, outside, tmp):
        f.mkdir()
    (outside / "canary.txt").write_text("the teacher's file")
    with open(CORRECT) as f:
        (folder / "sibling.py").write_text("# SECRET of another student\n" + f.read())
    listener, victim = Listener(), subprocess.Popen(["sleep", "600"])
    marker = str(base / "unpickled")

    class Evil(object):
        def __reduce__(self):
            return (open, (marker, "w"))
    forged = messages.frame({"status": "ok", "blocked": [],
                             "calls": [[[["predictions", "ndarray", np.full((1, 7), 0.5)]], None]]})
    constants = ("CANARY = %r\nOUTSIDE = %r\nSIBLING = %r\nPORT = %d\nVICTIM = %d\nPICKLE = %r\nFORGED = %r\n"
                 % (str(outside / "canary.txt"), str(outside), str(folder / "sibling.py"), listener.port,
                    victim.pid, pickle.dumps(Evil()), forged))
    for name, (body, _) in BATTERY.items():
        (folder / (name + ".py")).write_text(hostile(body, "import os, sys, socket, signal, time, ctypes\n" + constants))
    (folder / "taken_from_solutions.py").write_text(
        "from tf_models.exercises.shallow import *  # the project's solutions, all of them\n")
    before = snapshot(base, skip=(str(out), str(tmp)))
    process = grade_class(folder, "--out", out, "--timeout", TIMEOUT, "--workers", "2", tmp=tmp)
    status, stdout, stderr = finish(process)
    sandbox_uid = sandbox_uid_of(process.pid % 100000)  # the grader's (None: not root)
    with open(str(victim.pid and "/proc/%d/stat" % victim.pid)) as f:
        victim_state = f.read().rsplit(")", 1)[1].split()[0]
    victim.kill()
    victim.wait()
    listener.close()
    yield dict(status=status, stdout=stdout, stderr=stderr, out=out, tmp=tmp, base=base, before=before,
               after=snapshot(base, skip=(str(out), str(tmp))), rows=gradebook(out), accepted=listener.accepted,
               victim_state=victim_state, marker=marker, uid=sandbox_uid)


def test_the_battery_is_graded_and_the_run_exits_0(battery):
    assert battery["status"] == 0, battery["stderr"]
    assert set(battery["rows"]) == {n + ".py" for n in BATTERY} | {"sibling.py", "taken_from_solutions.py"}
    assert all(r["shallow.predict"] == "PASS" for n, r in battery["rows"].items() if n == "sibling.py")


@pytest.mark.parametrize("name", sorted(BATTERY))
def test_each_hostile_submission_is_contained_and_its_row_says_what_happened(battery, name):
    row = battery["rows"][name + ".py"]
    assert BATTERY[name][1] in row["shallow.predict"], row["shallow.predict"]
    others = [c for c in row if c.startswith("shallow.") and c != "shallow.predict"]
    assert [row[c] for c in others] == ["PASS"] * len(others), row  # the rest of the file still graded
    assert (row["passed"], row["total"]) == (str(len(others) + (row["shallow.predict"] == "PASS")), "8")


def test_nothing_outside_the_results_changed(battery):
    assert battery["after"] == battery["before"]
    assert not os.path.exists(battery["marker"])  # the forged pickle was never unpickled
    assert battery["accepted"] == 0  # no connection reached the loopback listener
    assert battery["victim_state"] != "T"  # the process it tried to stop was not stopped
    assert os.listdir(str(battery["tmp"])) == []  # the grader's private folders are gone


def test_no_process_of_the_run_is_left(battery):
    assert processes_naming(str(battery["tmp"])) == []
    if os.geteuid() == 0:
        assert processes_naming(battery["uid"]) == []


def test_the_output_flood_never_reached_the_grader(battery):
    assert len(battery["stdout"]) < 10000 and len(battery["stderr"]) < 10000


def test_the_project_s_solutions_earn_no_pass_and_are_listed(battery):
    row = battery["rows"]["taken_from_solutions.py"]
    cells = [row[c] for c in row if c.startswith("shallow.")]
    assert cells == ["FAIL: taken from tf_models (the project's solutions)"] * 8 and row["passed"] == "0"
    with open(str(battery["out"] / "summary.md"), encoding="utf-8") as f:
        summary = f.read()
    assert "taken_from_solutions.py: shallow.nn_model (taken)" in summary
    assert "uses_solutions.py: shallow.predict (uses)" in summary
    assert "endless_loop.py: shallow.predict: did not finish within 5 s" in summary


def test_the_summary_says_how_every_function_was_contained(battery):
    with open(str(battery["out"] / "summary.md"), encoding="utf-8") as f:
        summary = f.read()
    assert "ran in a process of its own" in summary and "no network" in summary
    assert "Could not contain" not in summary


# ---- a class with planted mistakes ------------------------------------------------------------

@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    base = tmp_path_factory.mktemp("planted")
    folder, tmp, out = base / "class", base / "tmp", base / "grades"
    folder.mkdir()
    tmp.mkdir()
    for name in ("correct_logistic.py", "correct_shallow.py", "correct_deep.py"):
        with open(os.path.join(FILES, name)) as f:
            (folder / name).write_text(f.read())
    for mistake in PLANTED:
        plant(mistake, str(folder))
    status, stdout, stderr = finish(grade_class(folder, "--out", out, tmp=tmp))
    assert status == 0, stderr
    return dict(out=out, rows=gradebook(out), stdout=stdout)


def test_correct_files_pass_every_function(planted):
    for name in ("correct_logistic.py", "correct_shallow.py", "correct_deep.py"):
        row = planted["rows"][name]
        cells = {c: v for c, v in row.items() if "." in c and not c.endswith(".py") and v}
        assert set(cells.values()) == {"PASS"}, (name, cells)
        assert row["passed"] == row["total"] == str(len(cells))


@pytest.mark.parametrize("mistake", sorted(PLANTED))
def test_a_planted_mistake_is_marked_on_its_function_alone_and_named(planted, mistake):
    base, _, _, function, key, _ = PLANTED[mistake]
    row = planted["rows"][mistake + ".py"]
    failed = {c: v for c, v in row.items() if v.startswith("FAIL")}
    assert list(failed) == ["%s.%s" % (base, function)], failed
    assert failed["%s.%s" % (base, function)] == "FAIL: " + diagnose.SHORT[key][0]
    assert int(row["passed"]) == int(row["total"]) - 1


def test_the_feedback_is_check_mine_s_report_in_chinese_and_english(planted):
    with open(str(planted["out"] / "feedback" / "erratum3_tanh.py.md"), encoding="utf-8") as f:
        text = f.read()
    zh, en = text.split("## English")
    assert "## 中文" in zh and "勘误 3" in zh and "FAIL  shallow.backward_propagation：" in zh
    assert "FAIL  shallow.backward_propagation: grads['dW1'] (4, 3) differs by up to 0.701" in en
    assert "erratum 3" in en and "7 of 8 functions pass" in en and "7 个函数通过（共 8 个）" in zh


def test_the_summary_counts_each_named_mistake_and_erratum(planted):
    with open(str(planted["out"] / "summary.md"), encoding="utf-8") as f:
        summary = f.read()
    for _, _, _, _, key, _ in PLANTED.values():
        assert "| %s | " % diagnose.SHORT[key][0] in summary, key
    assert "| erratum 4: dW without A_prev^T | 1 | linear_backward |" in summary
    assert "erratum 1: 1, erratum 3: 1, erratum 4: 1, erratum 5: 1" in summary
    with open(str(planted["out"] / "mistakes.png"), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_line_per_graded_submission_when_not_on_a_terminal(planted):
    lines = planted["stdout"].splitlines()
    assert sum(l.startswith("graded ") and l.endswith(".py") for l in lines) == 3 + len(PLANTED)
    assert any(l.startswith("graded %d submissions in " % (3 + len(PLANTED))) for l in lines)


# ---- input, output folder, interruption ---------------------------------------------------------

@pytest.mark.parametrize("setup, args, words", [
    (None, ["missing.py"], "no such file or folder"),
    ("notes.txt", ["notes.txt"], "is not a .py, .ipynb or .zip file"),
    ("bad.zip", ["bad.zip"], "is not a zip file that can be read"),
    ("empty", ["empty"], "no .py or .ipynb file"),
    ("bomb.zip", ["bomb.zip"], "refused as a zip bomb"),
    ("correct_shallow.py", ["correct_shallow.py", "--timeout", "0"], "--timeout"),
    ("correct_shallow.py", ["correct_shallow.py", "--workers", "0"], "--workers"),
])
def test_bad_input_is_one_error_line_exit_2_and_writes_nothing(tmp_path, setup, args, words):
    if setup == "notes.txt":
        (tmp_path / setup).write_text("hello")
    elif setup == "bad.zip":
        (tmp_path / setup).write_bytes(b"PK\x03\x04 not really a zip")
    elif setup == "empty":
        (tmp_path / setup).mkdir()
    elif setup == "bomb.zip":
        with zipfile.ZipFile(str(tmp_path / setup), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("huge.py", b"#" * (64 * 2 ** 20))  # 64 MB of one byte: about 64 kB compressed
    elif setup:
        with open(CORRECT) as f:
            (tmp_path / setup).write_text(f.read())
    (tmp_path / "tmp").mkdir()
    status, _, err = finish(grade_class(*(args + ["--out", "grades"]), tmp=tmp_path / "tmp", cwd=str(tmp_path)))
    assert_one_error_line(status, err, words)
    assert not os.path.exists(str(tmp_path / "grades"))


def test_an_existing_folder_with_files_is_refused_and_left_as_it_was(tmp_path):
    out = tmp_path / "grades"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    (tmp_path / "tmp").mkdir()
    status, _, err = finish(grade_class(CORRECT, "--out", out, tmp=tmp_path / "tmp"))
    assert_one_error_line(status, err, "is not empty")
    assert os.listdir(str(out)) == ["notes.md"] and (out / "notes.md").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    status, _, err = finish(grade_class(CORRECT, "--out", tmp_path / "file", tmp=tmp_path / "tmp"))
    assert_one_error_line(status, err, "is not a folder")


def test_an_empty_folder_is_taken_and_a_second_run_into_it_is_refused(tmp_path):
    out = tmp_path / "grades"
    out.mkdir()
    (tmp_path / "tmp").mkdir()
    first = grade_class(CORRECT, "--out", out, tmp=tmp_path / "tmp")
    while not os.listdir(str(out)) and first.poll() is None:  # the first run claims it with a lock file
        time.sleep(0.01)
    status, _, err = finish(grade_class(CORRECT, "--out", out, tmp=tmp_path / "tmp"))
    assert_one_error_line(status, err, "is not empty")
    assert finish(first)[0] == 0
    assert sorted(os.listdir(str(out))) == ["feedback", "gradebook.csv", "mistakes.png", "summary.md"]


def test_zips_are_read_without_extracting_unsafe_names(tmp_path):
    with open(CORRECT) as f:
        correct = f.read()
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(str(archive), "w") as z:
        z.writestr("alice/week3.py", correct)
        z.writestr("../../escaped.py", correct)
        z.writestr("bob/.ipynb_checkpoints/week3-checkpoint.py", correct)
        z.writestr("inner.zip", b"PK")
        link = zipfile.ZipInfo("carol/link.py")
        link.external_attr = 0o120777 << 16
        z.writestr(link, "/etc/passwd")
    (tmp_path / "tmp").mkdir()
    status, out, err = finish(grade_class(archive, "--out", tmp_path / "grades", tmp=tmp_path / "tmp"))
    assert status == 0, err
    assert list(gradebook(tmp_path / "grades")) == ["alice/week3.py"]
    assert os.path.isfile(str(tmp_path / "grades" / "feedback" / "alice" / "week3.py.md"))
    with open(str(tmp_path / "grades" / "summary.md"), encoding="utf-8") as f:
        summary = f.read()
    assert "unsafe name" in summary and "is a link" in summary and "zip inside a zip" in summary
    assert not any("escaped" in name for _, _, files in os.walk(str(tmp_path)) for name in files)


def test_submissions_are_named_uniquely_and_safely(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "=cmd.py").write_text("x = 1\n")
    found, _ = submissions.collect([str(tmp_path / "a" / "=cmd.py"), str(tmp_path / "b" / "=cmd.py")])
    assert [s.name for s in found] == ["=cmd.py", "=cmd (2).py"]
    from tf_models.learner.checker import gradebook as book
    text = book.csv_text([book.Row(s.name, [], [], ["shallow"], None) for s in found], [])
    assert text.splitlines()[1:] == ["'=cmd.py,0,0", "'=cmd (2).py,0,0"]  # no formula for a spreadsheet


def test_ctrl_c_writes_the_submissions_graded_so_far_and_exits_130(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    with open(CORRECT) as f:
        correct = f.read()
    (folder / "a_quick.py").write_text(correct)
    for i in range(6):
        (folder / ("slow%d.py" % i)).write_text(hostile("while True:\n    pass"))
    (tmp_path / "tmp").mkdir()
    process = grade_class(folder, "--out", tmp_path / "grades", "--timeout", "60", "--workers", "1",
                          tmp=tmp_path / "tmp")
    assert process.stdout.readline().decode().strip() == "graded a_quick.py"  # waits for that line
    process.send_signal(signal.SIGINT)
    status, _, err = finish(process, timeout=120)
    assert status == 130, err
    assert "1 of 7 submissions graded" in err
    assert list(gradebook(tmp_path / "grades")) == ["a_quick.py"]
    assert processes_naming(str(tmp_path / "tmp")) == [] and os.listdir(str(tmp_path / "tmp")) == []


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/usr/bin/setpriv"),
                    reason="needs root and setpriv to make a machine that refuses namespaces")
def test_where_the_kernel_refuses_namespaces_the_run_says_what_it_could_not_contain(tmp_path):
    """Root without CAP_SYS_ADMIN, as in a container that may not make namespaces: the checks run
    as plain processes (still graded, still killed at their deadline, as an unprivileged user), and
    the summary and the last line say once what was not contained."""
    folder = tmp_path / "class"
    folder.mkdir()
    with open(CORRECT) as f:
        (folder / "correct.py").write_text(f.read())
    (folder / "endless.py").write_text(hostile("while True:\n    pass"))
    (tmp_path / "tmp").mkdir()
    process = subprocess.Popen(
        ["setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin", sys.executable, SCRIPT, str(folder),
         "--out", str(tmp_path / "grades"), "--timeout", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=dict(os.environ, TMPDIR=str(tmp_path / "tmp")))
    status, out, err = finish(process)
    assert status == 0, err
    assert "not contained on this machine: signals to other processes" in out.splitlines()[-1]
    rows = gradebook(tmp_path / "grades")
    assert rows["correct.py"]["passed"] == "8"
    assert rows["endless.py"]["shallow.predict"] == "FAIL: timeout: did not finish within 3 s (an endless loop?)"
    with open(str(tmp_path / "grades" / "summary.md"), encoding="utf-8") as f:
        summary = f.read()
    assert summary.count("Could not contain: ") == 1 and "the network (a function can open connections)" in summary
    assert "namespaces refused" in summary
    assert processes_naming(str(tmp_path / "tmp")) == []
    assert processes_naming(sandbox_uid_of(process.pid % 100000)) == []


def test_help_under_an_ascii_locale(tmp_path):
    (tmp_path / "tmp").mkdir()
    status, out, _ = finish(grade_class("--help", tmp=tmp_path / "tmp", env={"LC_ALL": "C", "LANG": "C"}))
    assert status == 0 and "--out DIR" in out and "SUBMISSION" in out


def test_json_of_check_mine_says_nothing_was_left_uncontained():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "check_mine.py"), CORRECT, "--json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert p.returncode == 0 and json.loads(p.stdout.decode())["uncontained"] == []
