"""Which stack and which Python ./env.sh takes, without building anything and without the network.

Each test lays out a fake clone (env.sh, tools/bootstrap.py, the requirement files, setup.py) and a
PATH of stub interpreters: shell scripts that answer bootstrap.py's probe with the version and
platform the test gives them (a Python 3.6 on macOS arm64, a Debian 3.11.2, ...) and hand every
other command to the Python running the tests.
"""
import importlib.util
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

BOOTSTRAP = os.path.join(ROOT, "tools", "bootstrap.py")
CLONE_FILES = ["env.sh", "setup.py", "requirements.txt", "requirements-test.txt",
               "requirements-jupyter.txt", "requirements-tf1.txt", "requirements-modern.txt"]


def load_bootstrap():
    spec = importlib.util.spec_from_file_location("env_bootstrap", BOOTSTRAP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_stub(path, version, platform="linux", machine="x86_64", venv=True, impl="cpython",
              make_venv=True):
    """An executable at ``path`` that answers the probe as the given interpreter would. Anything
    else runs the real Python, except ``-m venv`` when ``make_venv`` is False (it fails)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = ["#!/bin/sh",
             'case "$*" in',
             '  *tf-models-probe*) echo "tf-models-probe %s %s %s %s %d $0"; exit 0 ;;'
             % (impl, version, platform, machine, 1 if venv else 0)]
    if not make_venv:
        lines.append('  "-m venv "*) echo "venv: failed on purpose" >&2; exit 1 ;;')
    lines += ["esac", 'exec "%s" "$@"' % sys.executable, ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


@pytest.fixture
def clone(tmp_path):
    """A fake clone with an empty bin/ for stubs and an empty HOME (so no pyenv)."""
    root = tmp_path / "clone"
    (root / "tools").mkdir(parents=True)
    for name in CLONE_FILES:
        shutil.copy(os.path.join(ROOT, name), str(root / name))
    shutil.copy(BOOTSTRAP, str(root / "tools" / "bootstrap.py"))
    (tmp_path / "bin").mkdir()
    (tmp_path / "home").mkdir()
    return tmp_path


def environ(tmp, **extra):
    env = {"PATH": str(tmp / "bin"), "HOME": str(tmp / "home"), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def bootstrap(tmp, command="which", **extra):
    return subprocess.run([sys.executable, str(tmp / "clone" / "tools" / "bootstrap.py"), command,
                           "--root", str(tmp / "clone")], env=environ(tmp, **extra),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120)


def env_sh(tmp, *args, **extra):
    return subprocess.run(["/bin/bash", str(tmp / "clone" / "env.sh")] + list(args),
                          env=environ(tmp, **extra), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120)


def fields(proc):
    """--which's "key: value" lines as a dict."""
    assert proc.returncode == 0, proc.stderr
    return dict(line.split(": ", 1) for line in proc.stdout.splitlines())


def assert_refused(proc, *words):
    """Exit 2, one line on stderr starting with 'error:', containing each of ``words``."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert proc.stdout == ""


def test_pinned_where_python_36_runs_on_x86_64(clone):
    py36 = make_stub(clone / "bin" / "python3.6", "3.6.15")
    make_stub(clone / "bin" / "python3.13", "3.13.0")
    got = fields(bootstrap(clone))
    assert got["stack"] == "pinned (STACK unset)"
    assert got["python"] == py36 and got["version"] == "3.6.15"
    assert got["requirements"] == "requirements.txt"
    assert got["environment"].endswith(".venv-pinned (not built)")
    assert "why" not in got


def test_pinned_on_intel_mac(clone):
    make_stub(clone / "bin" / "python3.6", "3.6.8", "darwin", "x86_64")
    assert fields(bootstrap(clone))["stack"] == "pinned (STACK unset)"


def test_modern_takes_the_newest_python_of_its_range(clone):
    make_stub(clone / "bin" / "python3.11", "3.11.2")
    make_stub(clone / "bin" / "python3.12", "3.12.1")
    newest = make_stub(clone / "bin" / "python3.13", "3.13.0")
    make_stub(clone / "bin" / "python3", "3.14.0")  # beyond the range: TensorFlow has no wheels
    got = fields(bootstrap(clone))
    assert got["stack"] == "modern (STACK unset)"
    assert got["python"] == newest
    assert "Python 3.6" in got["why"]


def test_the_newest_patch_release_of_a_minor_wins(clone):
    make_stub(clone / "bin" / "python3.11", "3.11.2")
    pyenv = make_stub(clone / "home" / ".pyenv" / "versions" / "3.11.7" / "bin" / "python3.11", "3.11.7")
    assert fields(bootstrap(clone))["python"] == pyenv


def test_modern_starts_at_3_11_2(clone):
    old = make_stub(clone / "bin" / "python3.11", "3.11.1")
    assert_refused(bootstrap(clone), "no stack can be built here", "Python 3.6",
                   "CPython 3.11.2 to 3.13", "3.11.1 at %s" % old)
    make_stub(clone / "bin" / "python3.11", "3.11.2")
    assert fields(bootstrap(clone))["version"] == "3.11.2"


def test_one_line_when_modern_is_taken(clone):
    """ensure prints the one line (which stack, why, how to insist) before it builds."""
    make_stub(clone / "bin" / "python3.12", "3.12.1", make_venv=False)
    proc = bootstrap(clone, "ensure")
    note = proc.stderr.splitlines()[0]
    assert note.startswith("env.sh: using the modern stack")
    assert "CPython 3.12.1" in note and "Python 3.6" in note and "STACK=pinned" in note


def test_python_36_on_apple_silicon_gives_the_modern_stack(clone):
    make_stub(clone / "bin" / "python3.6", "3.6.15", "darwin", "arm64")
    make_stub(clone / "bin" / "python3.12", "3.12.4", "darwin", "arm64")
    got = fields(bootstrap(clone))
    assert got["stack"] == "modern (STACK unset)" and got["platform"] == "macOS arm64"
    assert "TensorFlow 1.8.0 has no wheels for macOS arm64" in got["why"]


def test_linux_aarch64_gives_the_modern_stack(clone):
    make_stub(clone / "bin" / "python3.6", "3.6.15", "linux", "aarch64")
    make_stub(clone / "bin" / "python3.11", "3.11.2", "linux", "aarch64")
    got = fields(bootstrap(clone))
    assert got["stack"] == "modern (STACK unset)" and got["platform"] == "Linux aarch64"


def test_intel_mac_without_python_36_can_build_nothing(clone):
    make_stub(clone / "bin" / "python3.12", "3.12.4", "darwin", "x86_64")
    assert_refused(bootstrap(clone), "no stack can be built here",
                   "TensorFlow 2.21 has no wheels for macOS x86-64")


def test_explicit_stack_that_cannot_be_built_is_refused(clone):
    make_stub(clone / "bin" / "python3.12", "3.12.4")
    assert_refused(bootstrap(clone, STACK="pinned"), "STACK=pinned needs Python 3.6",
                   "PYTHON36=", "STACK=modern")
    assert_refused(bootstrap(clone, "ensure", STACK="tf1"), "STACK=tf1 needs Python 3.7")
    make_stub(clone / "bin" / "python3.6", "3.6.15", "linux", "aarch64")
    assert_refused(bootstrap(clone, "ensure", STACK="pinned"), "STACK=pinned cannot be built here",
                   "Linux aarch64")
    assert not (clone / "clone" / ".venv-pinned").exists()
    assert_refused(bootstrap(clone, STACK="newest"), "STACK must be")


def test_explicit_stack_is_taken_without_a_note(clone):
    make_stub(clone / "bin" / "python3.6", "3.6.15")
    make_stub(clone / "bin" / "python3.13", "3.13.0")
    proc = bootstrap(clone, STACK="modern")
    assert fields(proc)["stack"] == "modern" and proc.stderr == ""


def test_override_variables(clone):
    make_stub(clone / "bin" / "python3.13", "3.13.0")
    debian = make_stub(clone / "elsewhere" / "python3.11", "3.11.2")
    assert fields(bootstrap(clone, STACK="modern", PYTHON_MODERN=debian))["python"] == debian
    assert fields(bootstrap(clone, STACK="modern", PYTHON311=debian))["python"] == debian
    old = make_stub(clone / "elsewhere" / "python3.10", "3.10.12")
    assert_refused(bootstrap(clone, STACK="modern", PYTHON_MODERN=old), "PYTHON_MODERN=", "3.10.12")
    assert_refused(bootstrap(clone, STACK="modern", PYTHON_MODERN=str(clone / "missing")),
                   "PYTHON_MODERN=", "not a Python 3")
    py36 = make_stub(clone / "elsewhere" / "python3.6", "3.6.9")
    got = fields(bootstrap(clone, PYTHON36=py36))
    assert got["stack"] == "pinned (STACK unset)" and got["python"] == py36


def test_pyenv_versions_are_found_and_its_shims_skipped(clone):
    pyenv = clone / "home" / ".pyenv"
    found = make_stub(pyenv / "versions" / "3.6.15" / "bin" / "python3.6", "3.6.15")
    # a shim answers for whatever version pyenv selects; this one would mislead
    make_stub(pyenv / "shims" / "python3.6", "3.6.0", "darwin", "arm64")
    env = {"PATH": "%s:%s" % (pyenv / "shims", clone / "bin")}
    got = fields(bootstrap(clone, **env))
    assert got["stack"] == "pinned (STACK unset)" and got["python"] == found
    other = clone / "elsewhere-pyenv"
    found = make_stub(other / "versions" / "3.13.0" / "bin" / "python3.13", "3.13.0")
    got = fields(bootstrap(clone, STACK="modern", PYENV_ROOT=str(other)))
    assert got["python"] == found


def test_a_python_that_cannot_make_a_venv_is_passed_over(clone):
    make_stub(clone / "bin" / "python3.13", "3.13.0", venv=False)
    assert_refused(bootstrap(clone, STACK="modern"), "apt install python3.13-venv")
    ok = make_stub(clone / "bin" / "python3.11", "3.11.2")
    assert fields(bootstrap(clone, STACK="modern"))["python"] == ok


def test_env_sh_needs_no_tool_beyond_bash_and_python(clone):
    """PATH holds stubs only: no sha256sum, no flock, no dirname, no coreutils at all."""
    make_stub(clone / "bin" / "python3", "3.13.0")
    proc = env_sh(clone, "--which")
    assert fields(proc)["stack"] == "modern (STACK unset)"
    proc = env_sh(clone, "--which", "extra")
    assert proc.returncode == 2 and proc.stderr.startswith("error: ")
    proc = env_sh(clone, "--frobnicate")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert env_sh(clone, "--help").returncode == 0
    (clone / "bin" / "python3").unlink()
    proc = env_sh(clone, "python", "-V")
    assert proc.returncode == 2 and proc.stderr.startswith("error: env.sh needs a Python 3")


def ready_venv(clone, stack, py_stub, version):
    """A fake finished environment of ``stack`` built with the stub, stamped as bootstrap would."""
    b = load_bootstrap()
    root = str(clone / "clone")
    venv = clone / "clone" / (".venv-" + stack)
    make_stub(venv / "bin" / "python", version)
    py = b.Python(py_stub, "cpython", tuple(int(n) for n in version.split(".")), "linux", "x86_64",
                  True, py_stub)
    (venv / b.STAMP).write_text(b.stamp(root, stack, py) + "\n")
    return venv


def test_ready_environment_is_used_and_changes_rebuild(clone):
    py = make_stub(clone / "bin" / "python3.12", "3.12.1")
    venv = ready_venv(clone, "modern", py, "3.12.1")
    proc = bootstrap(clone, "ensure")
    assert proc.returncode == 0 and proc.stdout == "modern %s\n" % venv
    assert len(proc.stderr.splitlines()) == 1  # the note only: nothing built
    assert fields(bootstrap(clone))["environment"] == "%s (ready)" % venv
    # through env.sh: the environment's exports, and the command runs from the root
    proc = env_sh(clone, "python", "-c", "import os; print(os.environ['VIRTUAL_ENV'], "
                  "os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['JUPYTER_CONFIG_DIR'], os.getcwd())")
    assert proc.returncode == 0, proc.stderr
    root = str(clone / "clone")
    assert proc.stdout.split() == [str(venv), "2", os.path.join(root, "jupyter_config"), root]
    proc = env_sh(clone)
    assert proc.returncode == 0 and proc.stderr.splitlines()[-1] == (
        "env.sh: the modern environment is ready in %s" % venv)
    # an included requirement file, setup.py or the interpreter changing makes it out of date
    with open(str(clone / "clone" / "setup.py"), "a") as f:
        f.write("# changed\n")
    assert fields(bootstrap(clone))["environment"] == "%s (out of date)" % venv
    venv = ready_venv(clone, "modern", py, "3.12.1")
    make_stub(clone / "bin" / "python3.13", "3.13.0")
    assert fields(bootstrap(clone))["environment"] == "%s (out of date)" % venv
    (venv / ".requirements.sha256").unlink()
    assert "(not built" in fields(bootstrap(clone))["environment"]


def test_stamp_covers_included_requirement_files(clone):
    b = load_bootstrap()
    files = [os.path.basename(p) for p in b.requirement_files(str(clone / "clone"), "requirements.txt")]
    assert files == ["requirements.txt", "requirements-test.txt", "requirements-jupyter.txt"]


def test_one_builder_at_a_time_and_a_failed_build_is_not_ready(clone):
    """A second builder waits for the lock; a build that fails says so in one line and leaves no
    stamp, so the next run starts again."""
    fcntl = pytest.importorskip("fcntl")
    make_stub(clone / "bin" / "python3.12", "3.12.1", make_venv=False)
    lock = open(str(clone / "clone" / ".venv-modern.lock"), "a")
    fcntl.flock(lock, fcntl.LOCK_EX)
    proc = subprocess.Popen([sys.executable, str(clone / "clone" / "tools" / "bootstrap.py"),
                             "ensure", "--root", str(clone / "clone")],
                            env=environ(clone, STACK="modern"), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    first = proc.stderr.readline()
    assert first.startswith("env.sh: waiting for another env.sh"), first
    assert proc.poll() is None
    lock.close()
    out, err = proc.communicate(timeout=120)
    lines = err.splitlines()
    assert proc.returncode == 2 and out == ""
    assert lines[-1].startswith("error: building the modern environment failed"), err
    assert not (clone / "clone" / ".venv-modern" / ".requirements.sha256").exists()


def test_env_sh_keeps_to_bash_3_2_and_posix_tools():
    """macOS has bash 3.2 and BSD tools: none of GNU's or bash 4's in env.sh."""
    with open(os.path.join(ROOT, "env.sh")) as f:
        code = "\n".join(line for line in f.read().splitlines() if not line.lstrip().startswith("#"))
    forbidden = [r"\bsha256sum\b", r"\bflock\b", r"\bmapfile\b", r"\breadarray\b", r"declare -[An]",
                 r"local -n", r"\$\{\w+(,,|\^\^)", r"\bsort -V", r"\breadlink -f", r"\|&", r"&>>",
                 r"\bcoproc\b", r"\bsed -i\b", r"\bdirname\b", r"\bcut\b"]
    for pattern in forbidden:
        assert not re.search(pattern, code), pattern


REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+(\s*;\s*\S.*)?$")


@pytest.mark.parametrize("entry", ["requirements.txt", "requirements-tf1.txt", "requirements-modern.txt"])
def test_every_requirement_is_pinned(entry):
    b = load_bootstrap()
    names = {}
    for path in b.requirement_files(ROOT, entry):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or re.match(r"-r\s", line):
                    continue
                assert REQUIREMENT.match(line), "%s: not pinned: %s" % (os.path.basename(path), line)
                name = re.sub(r"[-_.]+", "-", line.split("==")[0]).lower()
                marker = line.partition(";")[2].strip()
                assert (name, marker) not in names, "%s named twice" % name
                names[(name, marker)] = line


def test_tensorflow_markers_pick_one_build_per_platform():
    markers = pytest.importorskip("packaging.markers")
    with open(os.path.join(ROOT, "requirements-modern.txt")) as f:
        lines = [line.strip() for line in f
                 if re.match(r"tensorflow(-cpu)?==", line.strip())]
    platforms = {("linux", "Linux", "x86_64"): "tensorflow-cpu", ("win32", "Windows", "AMD64"): "tensorflow-cpu",
                 ("linux", "Linux", "aarch64"): "tensorflow", ("darwin", "Darwin", "arm64"): "tensorflow",
                 ("darwin", "Darwin", "x86_64"): "tensorflow"}
    for (sys_platform, system, machine), wanted in platforms.items():
        for version in ("3.11", "3.13"):
            env = {"sys_platform": sys_platform, "platform_system": system, "platform_machine": machine,
                   "python_version": version, "os_name": "nt" if system == "Windows" else "posix"}
            chosen = [line.split("==")[0] for line in lines
                      if markers.Marker(line.split(";", 1)[1]).evaluate(env)]
            assert chosen == [wanted], (sys_platform, machine, chosen)


def test_readme_table_is_the_platform_checks():
    """The README's table "Where each stack installs" lies between the tool's markers, with a row
    per stack and Python and a column per platform that the tool checks."""
    check = _platform_check()
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    assert readme.count(check.BEGIN) == 1 and readme.count(check.END) == 1
    table = readme[readme.index(check.BEGIN):readme.index(check.END)]
    heads = [heading for _, heading, _, _ in check.PLATFORMS]
    assert "| stack, Python | " + " | ".join(heads) + " |" in table
    for _, stack, version in check.ROWS:
        row = [line for line in table.splitlines() if line.startswith("| %s, Python %s |" % (stack, version))]
        assert len(row) == 1, (stack, version)
        cells = [c.strip() for c in row[0].strip("|").split("|")[1:]]
        assert len(cells) == len(heads)
        for cell in cells:
            assert (cell == check.PASSED or cell.startswith("wheels resolve")
                    or cell.startswith("no: ")), cell


def test_the_chinese_readme_holds_the_same_table_in_chinese():
    """README.zh-CN.md's table is what the tool writes from README.md's cells: read those cells
    back, render both tables again, and each README holds its own, character for character."""
    check = _platform_check()
    tables = {}
    for name, _ in check.READMES:
        with open(os.path.join(ROOT, name), encoding="utf-8") as f:
            readme = f.read()
        assert readme.count(check.BEGIN) == 1 and readme.count(check.END) == 1, name
        tables[name] = readme[readme.index(check.BEGIN):readme.index(check.END) + len(check.END)]
    english = tables["README.md"]
    cells = {}
    for key, stack, version in check.ROWS:
        row = [line for line in english.splitlines() if line.startswith("| %s, Python %s |" % (stack, version))][0]
        for (col, _, _, _), cell in zip(check.PLATFORMS, row.strip("|").split("|")[1:]):
            cells[(key, col)] = cell.strip()
    passes = check.previous_passes(english)
    ran_on = re.search(r"The suite passed here \(([^)]*)\)", english)
    host = [col for col, heading, _, _ in check.PLATFORMS if ran_on and heading == ran_on.group(1)]
    check.pip_version = lambda: re.search(r"Resolved by pip (\S+) ", english).group(1)
    for name, language in check.READMES:
        assert check.render(cells, passes, host[0] if host else None, language) == tables[name], name
    assert "在本机建立并通过全部测试" in tables["README.zh-CN.md"]  # translated, not copied


def _platform_check():
    spec = importlib.util.spec_from_file_location("platform_check", os.path.join(ROOT, "tools", "platform_check.py"))
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    return check


def test_platform_check_keeps_a_suite_pass_in_the_readme():
    """A pass recorded by --suite is read back from the table it wrote (and kept by later runs
    while the requirement files' digest is the same)."""
    check = _platform_check()
    cells = dict(((key, col), "wheels resolve") for key, _, _ in check.ROWS for col, _, _, _ in check.PLATFORMS)
    passes = {"pinned-3.6": "0123456789abcdef@3.6.15", "modern-3.11": "fedcba9876543210@3.11.2"}
    text = check.render(cells, passes, "linux-x86_64")
    assert check.previous_passes(text) == passes
    assert "pinned on CPython 3.6.15, modern on CPython 3.11.2" in text
