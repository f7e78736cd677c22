"""The sandbox every learner function runs in (tf_models.learner.checker: sandbox, worker,
containment, contained, messages): what a contained check sees and can do, how it ends, and what
the grader accepts back from it. A probe is a learner function ``f()`` that looks at its world and
raises what it saw, so that the check's error message (the one line the grader keeps) reports it.
"""
import errno
import json
import os
import pickle
import resource
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np
import pytest

from conftest import ROOT, wait_for
from tf_models.learner.checker import containment, messages, sandbox
from tf_models.learner.checker.sandbox import Sandbox

pytestmark = pytest.mark.slow  # every test starts sandboxed processes: not in the fast run

GENEROUS = 30.0  # seconds for a check that is not about its deadline (a loaded machine is slow)


@pytest.fixture(scope="module")
def box():
    with Sandbox(workers=1) as s:
        assert s.mode == "namespaces", s.reason  # these machines allow user namespaces
        yield s


@pytest.fixture(scope="module")
def plain_box():
    with Sandbox(workers=1, mode="processes") as s:
        yield s


def run(s, source, timeout=GENEROUS, memory_mb=512):
    """The Outcome of the learner function f() defined in ``source`` (a module's text)."""
    job = {"chunks": [{"kind": "def", "source": textwrap.dedent(source), "line": 1}], "path": "probe.py",
           "function": "f", "calls": [()], "labels": "x", "seed": None, "gradient": False}
    with s.lane() as lane:
        return lane.run(job, {"probe.py": b"# the submission's own copy\n"}, sandbox.limits(timeout, memory_mb))


PREFIXES = tuple(sorted({sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}))


def _step_below(folder, path):
    """The name of the first folder under ``folder`` on the way to ``path``."""
    return os.path.relpath(path, folder).split(os.sep)[0]


def _folders_above(paths):
    """The folders strictly above ``paths`` that the view builds on the way to them (below /,
    outside the system directories it binds whole)."""
    found = set()
    for path in paths:
        folder = os.path.dirname(path)
        while folder != "/" and not any(containment._inside(folder, s) for s in containment.SYSTEM_PATHS):
            found.add(folder)
            folder = os.path.dirname(folder)
    return sorted(found)


def seen(s, expression, helpers=""):
    """What ``expression`` evaluates to inside a check (through the error message); ``helpers``:
    module-level code it may use."""
    outcome = run(s, "import os, sys, resource\n%s\ndef f():\n    raise RuntimeError(repr(%s))\n"
                  % (textwrap.dedent(helpers), expression))
    assert outcome.status == "error" and outcome.value.startswith("RuntimeError: "), outcome
    return outcome.value[len("RuntimeError: "):].rsplit(" (line", 1)[0]


def processes_of(s):
    """Process ids whose command line names this sandbox's scratch folder: its workers and every
    process forked from them."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if s.scratch.encode() in f.read():
                    found.append(int(pid))
        except (IOError, OSError, ValueError):
            pass
    return found


# ---- what a check sees -----------------------------------------------------------------------

def test_a_check_starts_in_a_private_empty_folder_with_a_clean_environment(box):
    assert seen(box, "(os.getcwd(), os.listdir('.'))") == repr(("/tmp/work", []))
    env = eval(seen(box, "dict(os.environ)"))
    assert env["HOME"] == env["TMPDIR"] == "/tmp/work"
    assert set(env) - {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"} == {
        "PATH", "HOME", "TMPDIR", "MPLCONFIGDIR", "LANG", "MPLBACKEND", "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
    assert seen(box, "open('/tmp/submission/probe.py').read()") == repr("# the submission's own copy\n")


def test_a_check_holds_no_descriptor_but_its_reply_pipe(box):
    open_fds = eval(seen(box, "[fd for fd in range(1024) if _is_open(fd)]", """
        def _is_open(fd):
            try:
                os.fstat(fd)
                return True
            except OSError:
                return False"""))
    assert open_fds == [0, 1, 2, 3]
    assert seen(box, "os.readlink('/proc/self/fd/0') if os.path.exists('/proc') else 'no /proc'") == "'no /proc'"


def test_the_file_system_is_a_read_only_view_without_homes_other_files_or_the_project(box):
    root = eval(seen(box, "sorted(os.listdir('/'))"))
    # The system directories, /dev, /tmp, and the first folder on the way to each Python prefix,
    # wherever the project and its environment were cloned (CI's clone lives elsewhere than ours).
    allowed = {_step_below("/", p) for p in containment.SYSTEM_PATHS + PREFIXES} | {"dev", "tmp"}
    if sys.prefix.startswith("/tmp/"):  # the environment's second binding (containment.UNDER_TMP), empty
        allowed.add(containment.UNDER_TMP.lstrip("/"))
        assert eval(seen(box, "[os.listdir(os.path.join(%r, n)) for n in os.listdir(%r)]"
                         % (containment.UNDER_TMP, containment.UNDER_TMP))) == [[]]
    assert set(root) <= allowed, root
    assert eval(seen(box, "sorted(os.listdir('/etc'))")) == sorted(
        n for n in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d") if os.path.exists("/etc/" + n))
    for path in (os.path.join(ROOT, "tf_models"), os.path.join(ROOT, "README.md"), os.path.expanduser("~/.bashrc"),
                 "/etc/passwd", box.scratch):
        assert seen(box, "os.path.exists(%r)" % path) == "False", path
    for folder in _folders_above(PREFIXES):  # e.g. the project, when the environment lives in it
        shown = eval(seen(box, "sorted(os.listdir(%r))" % folder))
        ways = {_step_below(folder, p) for p in PREFIXES if containment._inside(p, folder)}
        if folder == "/tmp":  # the check's own private /tmp, with the way back to a clone there
            ways |= {"work", "submission"}
        assert set(shown) <= ways, (folder, shown)
    assert seen(box, "os.path.isdir(%r)" % sys.prefix) == "True"  # the Python installation stays
    for path in (os.path.join(sys.prefix, "x"), "/x", "/tmp/submission/x", "/usr/x"):
        message = seen(box, "_try_write(%r)" % path, """
            def _try_write(path):
                try:
                    open(path, 'w').write('x')
                    return 'written'
                except OSError as e:
                    return e.strerror""")
        assert message in ("'Read-only file system'", "'No such file or directory'"), (path, message)
    assert not os.path.exists(os.path.join(sys.prefix, "x"))


def test_a_check_imports_what_the_environment_holds_but_not_the_project(box):
    assert seen(box, "float(__import__('scipy.special').special.expit(0.0))") == "0.5"  # not imported before
    entries = eval(seen(box, "sys.path"))
    assert ROOT not in entries and entries[0] == "/tmp/submission"
    assert all(not p.startswith(ROOT + os.sep) or p.startswith(sys.prefix + os.sep) for p in entries), entries


def test_a_check_has_no_network(box):
    message = run(box, """
        import socket
        def f():
            socket.create_connection(("127.0.0.1", 9), timeout=5)
        """).value
    assert "Network is unreachable" in message, message


def test_a_check_has_no_privilege_left(box):
    # As root: a user id of its own; as a user (or a container's root): root of its own user namespace.
    assert int(seen(box, "os.getuid()")) == (0 if box.sandbox_uid is None else box.sandbox_uid)
    for attempt in ("os.setuid(0)", "os.chroot('/tmp')", "os.mknod('/tmp/work/x', 0o600 | 0o020000, os.makedev(1, 3))"):
        outcome = run(box, "import os\ndef f():\n    %s\n" % attempt)
        assert outcome.status == "error" and "PermissionError" in outcome.value, (attempt, outcome)


def test_the_limits_are_set(box):
    limits = eval(seen(box, "[resource.getrlimit(getattr(resource, n))[0] for n in "
                            "('RLIMIT_CPU', 'RLIMIT_NPROC', 'RLIMIT_FSIZE', 'RLIMIT_NOFILE', 'RLIMIT_CORE')]"))
    expected = sandbox.limits(GENEROUS, 512)
    assert limits == [expected["cpu"], expected["processes"], expected["file_size"], expected["open_files"], 0]
    big = run(box, "def f():\n    open('big', 'wb').write(b'x' * (20 * 2 ** 20))\n")
    assert "File too large" in big.value or "No space left" in big.value, big
    memory = run(box, "import numpy as np\ndef f():\n    return np.ones((100000, 100000))\n")
    assert memory.status == "memory", memory


def test_the_project_is_neither_importable_nor_in_memory(box):
    assert seen(box, "sorted(m for m in sys.modules if m.startswith('tf_models'))") == "[]"
    outcome = run(box, "def f():\n    import tf_models.exercises.shallow\n")
    assert outcome.status == "error" and "ImportError" in outcome.value and "project's own solutions" in outcome.value
    assert outcome.blocked == ["tf_models"]  # the package itself is refused first


# ---- how a check ends --------------------------------------------------------------------------

def test_a_bounded_fork_bomb_meets_the_process_limit_and_dies_with_its_check(box):
    before = sorted(processes_of(box))
    outcome = run(box, """
        import os, time
        def f():
            for _ in range(64):  # bounded even without the limit
                if os.fork() == 0:
                    time.sleep(600)
                    os._exit(0)
        """)
    assert outcome.status == "error" and "Resource temporarily unavailable" in outcome.value, outcome
    wait_for(lambda: sorted(processes_of(box)) == before, "the fork bomb's processes to be gone", GENEROUS)


@pytest.mark.parametrize("mode", ["namespaces", "processes"])
def test_a_check_past_its_deadline_is_killed_with_every_process_it_started(mode, box, plain_box):
    s = box if mode == "namespaces" else plain_box
    before = sorted(processes_of(s))
    started = time.monotonic()
    outcome = run(s, """
        import os, signal, time
        def f():
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for _ in range(3):
                if os.fork() == 0:
                    os.setsid()  # leaves the check's process group
                    if os.fork() == 0:
                        while True:
                            pass
                    os._exit(0)
            while True:
                pass
        """, timeout=2.0)
    assert outcome.status == "timeout", outcome
    assert time.monotonic() - started < 2.0 + sandbox.GRACE + 10, "the deadline was not kept"
    wait_for(lambda: sorted(processes_of(s)) == before, "every process of the check to be gone", GENEROUS)


def test_a_check_cannot_stop_the_grader(box):
    victim = subprocess.Popen(["sleep", "600"])
    try:
        outcome = run(box, """
            import os, signal
            def f():
                said = []
                for target in (%d, os.getppid(), -os.getpgrp(), -1):
                    try:
                        os.kill(target, signal.SIGSTOP)
                        said.append("sent")
                    except OSError as e:
                        said.append(type(e).__name__)
                raise RuntimeError(said)
            """ % victim.pid)
        # The victim and every process outside are out of reach; what it reaches is its own
        # PID namespace, whose init (the check itself) ignores SIGSTOP.
        assert outcome.status == "error" and outcome.value.startswith("RuntimeError: ['ProcessLookupError'"), outcome
        with open("/proc/%d/stat" % victim.pid) as f:
            assert f.read().rsplit(")", 1)[1].split()[0] != "T"
        assert run(box, "def f():\n    return 1.0\n").status == "ok"  # the worker still answers
    finally:
        victim.kill()
        victim.wait()


def test_a_stopped_check_is_killed_at_once_without_namespaces(plain_box):
    started = time.monotonic()
    outcome = run(plain_box, "import os, signal\ndef f():\n    os.kill(os.getpid(), signal.SIGSTOP)\n")
    assert outcome.status == "stopped", outcome
    assert time.monotonic() - started < GENEROUS / 2


def test_a_crash_is_reported_and_the_worker_goes_on(box):
    outcome = run(box, "import ctypes\ndef f():\n    ctypes.string_at(0)\n")
    assert outcome.status == "crash" and "SIGSEGV" in outcome.value, outcome
    outcome = run(box, "import os\ndef f():\n    os._exit(7)\n")
    assert outcome.status == "crash" and "exit status 7" in outcome.value, outcome
    assert run(box, "def f():\n    return 2.0\n").status == "ok"


# ---- what the grader accepts back ----------------------------------------------------------------

def test_a_forged_pickle_is_never_unpickled(box, tmp_path):
    marker = str(tmp_path / "unpickled")

    class Evil(object):
        def __reduce__(self):
            return (open, (marker, "w"))
    payload = pickle.dumps(Evil())
    outcome = run(box, "import os\ndef f():\n    os.write(3, %r)\n    os._exit(0)\n" % payload)
    assert outcome.status == "corrupt", outcome
    framed = run(box, "import os\ndef f():\n    os.write(3, b'TFMC' + (%d).to_bytes(8, 'big') + %r)\n    os._exit(0)\n"
                 % (len(payload), payload))
    assert framed.status == "corrupt", framed
    assert not os.path.exists(marker)


@pytest.mark.parametrize("write, status", [
    ("b'TFMC' + (1000).to_bytes(8, 'big') + b'{\"status\"'", "corrupt"),          # partial
    ("b'TFMC' + (2).to_bytes(8, 'big') + b'{}' + b'trailing'", "corrupt"),        # more than one message
    ("b'TFMC' + (2).to_bytes(8, 'big') + b'[]'", "corrupt"),                      # not a reply
    ("b'x' * (1 << 20)", "output"),                                               # flood (written 20 times)
])
def test_partial_forged_and_flooding_replies_are_refused(box, write, status):
    outcome = run(box, "import os\ndef f():\n    for _ in range(20 if %r == 'output' else 1):\n"
                       "        os.write(3, %s)\n    os._exit(0)\n" % (status, write))
    assert outcome.status == status, outcome


def test_a_partial_reply_then_a_hang_ends_at_the_deadline(box):
    outcome = run(box, "import os\ndef f():\n    os.write(3, b'TFMC' + (99).to_bytes(8, 'big'))\n    while True:\n"
                       "        pass\n", timeout=2.0)
    assert outcome.status == "timeout", outcome


def test_a_forged_reply_is_read_as_numbers_only(box):
    """A well-formed reply the learner's code wrote itself gives only numbers, which the grader
    compares: a forgery gains nothing it could not compute."""
    reply = messages.frame({"status": "ok", "calls": [[[["x", "ndarray", np.full((2, 2), 7.0)]], None]],
                            "blocked": []})
    outcome = run(box, "import os\ndef f():\n    os.write(3, %r)\n    os._exit(0)\n" % reply)
    assert outcome.status == "ok"
    (items, check), = outcome.value
    assert items[0].label == "x" and np.array_equal(items[0].value, np.full((2, 2), 7.0)) and check is None


def test_messages_refuse_what_is_not_plain_data():
    value = {"a": (np.arange(6, dtype=np.int32).reshape(2, 3), np.float64(2.5), None, [True, "x"]), 1: np.zeros((0, 3))}
    back = messages.unframe(messages.frame(value))
    assert back[1].shape == (0, 3) and back["a"][1] == 2.5 and isinstance(back["a"], tuple)
    np.testing.assert_array_equal(back["a"][0], value["a"][0])
    with pytest.raises(TypeError):
        messages.frame(np.array([object()]))
    body = lambda obj: json.dumps(obj).encode()  # noqa: E731
    for bad in ([{"array": ["|O", [1], "AAAAAAAAAAA="]}], [{"array": ["<f8", [2], "AAAAAAAAAAA="]}],
                [{"array": ["<f8", [-1], ""]}], {"eval": "1"}, [{"scalar": ["<f8", "!!"]}]):
        with pytest.raises(messages.BadMessage):
            messages.unframe(struct.pack(">4sQ", b"TFMC", len(body(bad))) + body(bad))
    deep = b"[" * 100000 + b"]" * 100000
    with pytest.raises(messages.BadMessage):
        messages.unframe(struct.pack(">4sQ", b"TFMC", len(deep)) + deep)


@pytest.mark.skipif(sys.prefix == sys.base_prefix or not os.path.exists("/usr/bin/unshare"),
                    reason="needs the suite to run from a virtual environment, and unshare")
def test_a_clone_under_tmp_is_contained_the_same_way():
    """The project and its environment seen at a path under /tmp (bound there in a private mount
    namespace, as a clone made there would lie), where each check's private /tmp would cover them:
    the sandbox still contains (containment.UNDER_TMP), the environment shows, the project does not."""
    base = tempfile.mkdtemp(prefix="tf_models-clone-")
    clone, env = base + "/main", base + "/env"
    inside = sys.prefix.startswith(ROOT + os.sep)  # the environment lives in the project
    python = os.path.join(clone if inside else env, os.path.relpath(sys.executable, ROOT if inside else sys.prefix))
    probe = textwrap.dedent("""
        import json, sys
        from tf_models.learner.checker import sandbox
        body = ("import os, sys\\ndef f():\\n    raise RuntimeError(repr((os.listdir('/'), sorted(os.listdir('/tmp')),"
                " 'bin' in os.listdir(sys.prefix), os.path.exists(%r),"
                " [os.listdir('/.under-tmp/' + n) for n in os.listdir('/.under-tmp')])))\\n")
        job = {"chunks": [{"kind": "def", "source": body, "line": 1}], "path": "p.py", "function": "f",
               "calls": [()], "labels": "x", "seed": None, "gradient": False}
        with sandbox.Sandbox(workers=1) as s:
            with s.lane() as lane:
                value = lane.run(job, {}, sandbox.limits(30, 512)).value
            print(json.dumps({"mode": s.mode, "reason": s.reason, "value": value, "prefix": sys.prefix}))
        """ % os.path.join(clone, "tf_models"))
    command = ("mkdir -p {clone} {env} && mount --bind {root} {clone} && mount --bind {prefix} {env} && "
               "cd {clone} && PYTHONPATH={clone} exec {python} -c {probe}").format(
        clone=clone, env=env, root=ROOT, prefix=sys.prefix, python=python, probe=shlex.quote(probe))
    try:
        p = subprocess.run(["unshare", "-m" if os.geteuid() == 0 else "-rm", "--propagation", "private", "sh", "-c", command],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    finally:
        shutil.rmtree(base)
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout.decode().strip().splitlines()[-1])
    assert out["mode"] == "namespaces", out["reason"]
    assert out["prefix"].startswith(base + "/"), out  # the check's Python comes from under /tmp
    assert out["value"].startswith("RuntimeError: "), out
    root, tmp, environment_shows, project_shows, second_bindings = eval(
        out["value"][len("RuntimeError: "):].rsplit(" (line", 1)[0])
    assert environment_shows  # the environment under /tmp, bound back over the check's private /tmp
    assert containment.UNDER_TMP.lstrip("/") in root
    assert set(tmp) == {"work", "submission", os.path.basename(base)}, tmp
    assert not project_shows  # the project's own code stays out of the view
    assert second_bindings and all(listing == [] for listing in second_bindings)


# ---- where the kernel does not allow namespaces ----------------------------------------------------

def test_without_namespaces_the_sandbox_says_what_it_cannot_contain(plain_box):
    assert plain_box.mode == "processes"
    assert plain_box.uncontained == sorted(containment.UNCONTAINED.values())
    assert seen(plain_box, "os.getcwd() != %r and os.listdir('.') == []" % os.getcwd()) == "True"


def test_without_linux_each_containment_call_degrades_to_what_the_system_has(monkeypatch):
    """macOS (untested there): a C library without unshare or prctl, and a kernel that refuses
    RLIMIT_AS. Namespaces are refused as an OSError (the sandbox takes the processes way), the
    Linux-only calls do nothing, and the other limits are still set; on Linux a refusal stays an error."""
    monkeypatch.setattr(containment, "_LIBC", [object()])
    with pytest.raises(OSError) as refused:
        containment.enter_namespaces(own_user_namespace=True)
    assert refused.value.errno == errno.ENOSYS
    containment.die_with_parent()
    containment.become_subreaper()
    containment.no_new_privileges()
    containment._drop_bounding_set()
    set_now = []

    def setrlimit(what, values):
        if what == resource.RLIMIT_AS:
            raise ValueError("not allowed")
        set_now.append(what)
    monkeypatch.setattr(resource, "setrlimit", setrlimit)
    monkeypatch.setattr(sys, "platform", "darwin")
    containment.set_limits(10, 2 ** 30, 16, 2 ** 24, 64)
    assert resource.RLIMIT_CPU in set_now and resource.RLIMIT_NOFILE in set_now and resource.RLIMIT_AS not in set_now
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(ValueError):
        containment.set_limits(10, 2 ** 30, 16, 2 ** 24, 64)


@pytest.mark.skipif(os.geteuid() != 0 or not all(os.path.exists(p) for p in ("/usr/bin/unshare", "/usr/bin/setpriv")),
                    reason="needs root to become a normal user (unshare, setpriv)")
@pytest.mark.parametrize("grader", ["a normal user", "a container's root"])
def test_as_a_normal_user_or_a_containers_root_every_check_is_contained_in_a_user_namespace(grader):
    """The grader run by a user without privileges, or as the root of a container whose user
    namespace maps that one id (no spare id to run learner code as): namespaces inside a user
    namespace, no capability left, the same battery of probes. (A private mount namespace shows
    the normal user the Python installation where it lies under root's home.)"""
    folder = tempfile.mkdtemp(prefix="tf_models-as-user-")  # pytest's tmp_path is root's alone
    os.chmod(folder, 0o755)
    script = os.path.join(folder, "as_user.py")
    with open(script, "w") as f:
        f.write(textwrap.dedent("""
            import json, sys
            from tf_models.learner.checker import sandbox
            BOMB = "for _ in range(64):\\n        if os.fork() == 0:\\n            time.sleep(600)\\n            os._exit(0)"
            job = lambda body: {"chunks": [{"kind": "def", "source": "import os, socket, time\\ndef f():\\n    " + body + "\\n", "line": 1}],
                                "path": "p.py", "function": "f", "calls": [()], "labels": "x", "seed": None,
                                "gradient": False}
            out = {}
            with sandbox.Sandbox() as s:
                out["mode"] = s.mode
                with s.lane() as lane:
                    for name, body in [("uid", "raise RuntimeError(os.getuid())"),
                                       ("net", "socket.create_connection(('127.0.0.1', 9), timeout=5)"),
                                       ("home", "open(%r)" % sys.argv[1]),
                                       ("mount", "os.chroot('/tmp')"),
                                       ("bomb", BOMB)]:
                        out[name] = lane.run(job(body), {}, sandbox.limits(30, 512)).value
            print(json.dumps(out))
            """))
    secret = os.path.join(folder, "secret.txt")
    with open(secret, "w") as f:
        f.write("not for learners")
    os.chmod(script, 0o644)
    os.chmod(secret, 0o644)
    pyenv = os.path.realpath(sys.base_prefix)
    hide_root = ("d=$(mktemp -d); mount --bind /root $d; mount -t tmpfs -o mode=0755 none /root; "
                 "mkdir -p /root/.pyenv; [ -d $d/.pyenv ] && mount --bind $d/.pyenv /root/.pyenv; ") \
        if pyenv.startswith("/root/") else ""
    container = "unshare -rm " if grader == "a container's root" else ""  # its root: the user's one id
    command = ("%s exec setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all "
               "%senv HOME=/nonexistent %s %s %s" % (hide_root, container, sys.executable, script, secret))
    try:
        p = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", command],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/", timeout=300)
    finally:
        shutil.rmtree(folder)
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout.decode().strip().splitlines()[-1])
    assert out["mode"] == "namespaces"
    assert out["uid"].startswith("RuntimeError: 0")  # root of its user namespace, with no capability:
    assert "PermissionError" in out["mount"]          # chroot needs one
    assert "Network is unreachable" in out["net"]
    assert "FileNotFoundError" in out["home"]
    assert "Resource temporarily unavailable" in out["bomb"]
