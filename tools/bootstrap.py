"""The logic behind ./env.sh: which stack and which Python, and building the environment.

env.sh runs this file with whatever Python 3 it finds first (3.6 or newer; standard library only),
so that the shell script needs nothing a Mac lacks (no sha256sum, no flock, no bash 4):

    bootstrap.py which  --root DIR   prints the stack, the Python and the environment it would use;
                                     builds nothing, downloads nothing
    bootstrap.py ensure --root DIR   builds DIR/.venv-<stack> when it is missing or out of date, then
                                     prints "<stack> <environment directory>" on stdout

The choice, when STACK is unset: the pinned stack (the course's versions) where a Python 3.6 is
found and it runs on a platform with the course's wheels (Linux or macOS on x86-64); otherwise the
modern stack, with one line on stderr saying so, why, and how to insist. An explicit STACK that
cannot be built here ends with one line and exit status 2 before anything is downloaded.

Pythons are looked for in this order: the stack's variable (PYTHON36, PYTHON37, PYTHON_MODERN or
its older name PYTHON311), then every directory of PATH (pyenv's shims excepted), then pyenv's
versions; among those that qualify, the newest wins. Each candidate is asked, in a subprocess,
for its implementation, version, platform and whether it can make a venv.

An environment counts as ready when its stamp file matches a SHA-256 of the requirement files
(with those they include), setup.py and the chosen interpreter; the stamp is written last, so a
build cut short is rebuilt the next time. One builder at a time: a lock file beside the
environment, held with fcntl.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys

STAMP = ".requirements.sha256"
# Bump when the way an environment is built changes, so that existing environments are rebuilt.
RECIPE = "env.sh recipe 2"
PIP_FOR_36 = "pip==21.3.1"
# pip's warnings about this machine's local package index, when it is absent; dropped from the output.
IGNORED_NOISE = "is ignored: it is neither a file nor a directory"

X86 = "x86_64"
# (sys.platform, machine) pairs where each stack's TensorFlow has wheels that env.sh can use.
COURSE_PLATFORMS = [("linux", X86), ("darwin", X86)]
STACKS = {
    "pinned": {
        "minors": [(3, 6)], "lowest": (3, 6, 0),
        "variables": ["PYTHON36"], "requirements": "requirements.txt",
        "platforms": COURSE_PLATFORMS, "tensorflow": "TensorFlow 1.8.0",
        "install": "pyenv install 3.6.15", "wants": "Python 3.6",
    },
    "tf1": {
        "minors": [(3, 7)], "lowest": (3, 7, 0),
        "variables": ["PYTHON37"], "requirements": "requirements-tf1.txt",
        "platforms": COURSE_PLATFORMS, "tensorflow": "TensorFlow 1.15.5",
        "install": "pyenv install 3.7.17", "wants": "Python 3.7",
    },
    "modern": {
        "minors": [(3, 13), (3, 12), (3, 11)], "lowest": (3, 11, 2),
        "variables": ["PYTHON_MODERN", "PYTHON311"], "requirements": "requirements-modern.txt",
        "platforms": [("linux", X86), ("linux", "aarch64"), ("darwin", "arm64")],
        "tensorflow": "TensorFlow 2.21", "install": "pyenv install 3.13",
        "wants": "CPython 3.11.2 to 3.13",
    },
}
ORDER = ["pinned", "tf1", "modern"]

# What a candidate interpreter is asked. Python 2 fails on sys.implementation and is passed over.
# Inside a venv it names the interpreter the venv was made from, so that env.sh run from inside
# an environment (as the Jupyter test does) finds the same interpreter as from outside.
PROBE = """import os, sys, platform
try:
    import venv, ensurepip
    ok = 1
except Exception:
    ok = 0
exe = sys.executable
if getattr(sys, "base_prefix", sys.prefix) != sys.prefix:
    base = os.path.join(sys.base_prefix, "bin", "python%d.%d" % sys.version_info[:2])
    if os.path.exists(base):
        exe = base
print("tf-models-probe", sys.implementation.name, "%d.%d.%d" % sys.version_info[:3], sys.platform,
      platform.machine(), ok, exe)
"""


class Refusal(Exception):
    """The one line that ends env.sh with exit status 2."""


def say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def machine_name(platform, machine):
    """(sys.platform, platform.machine()) in the names the wheels use: x86_64, aarch64 (Linux), arm64 (macOS)."""
    m = machine.lower()
    if m in ("amd64", "x64", "x86-64"):
        m = X86
    if platform.startswith("linux") and m == "arm64":
        m = "aarch64"
    if platform == "darwin" and m == "aarch64":
        m = "arm64"
    return ("linux" if platform.startswith("linux") else platform), m


def describe_platform(platform, machine):
    names = {"linux": "Linux", "darwin": "macOS", "win32": "Windows"}
    return "%s %s" % (names.get(platform, platform), "x86-64" if machine == X86 else machine)


def version_text(v):
    return ".".join(str(n) for n in v)


class Python(object):
    """One interpreter that answered the probe."""

    def __init__(self, path, impl, version, platform, machine, has_venv, executable):
        self.path, self.impl, self.version = path, impl, version
        self.platform, self.machine = machine_name(platform, machine)
        self.has_venv, self.executable = has_venv, executable

    def describe(self):
        return "%s %s at %s" % ("CPython" if self.impl == "cpython" else self.impl,
                                version_text(self.version), self.executable)


def probe(path):
    """Ask the interpreter at ``path`` what it is; None when it does not answer like a Python 3."""
    try:
        out = subprocess.run([path, "-c", PROBE], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, universal_newlines=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        parts = line.split(" ", 6)
        if len(parts) == 7 and parts[0] == "tf-models-probe":
            try:
                version = tuple(int(n) for n in parts[2].split("."))
            except ValueError:
                return None
            return Python(path, parts[1], version, parts[3], parts[4], parts[5] == "1", parts[6])
    return None


def pyenv_root():
    return os.environ.get("PYENV_ROOT") or os.path.join(os.path.expanduser("~"), ".pyenv")


def claimed_minor(path):
    """The (major, minor) that a file name like python3.11 (or the file it links to) claims, else None."""
    for name in (os.path.basename(path), os.path.basename(os.path.realpath(path))):
        m = re.match(r"python(\d+)\.(\d+)$", name)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def candidates(spec):
    """[(path, claimed (major, minor) or None)] on PATH and in pyenv, first seen first, no duplicates.

    pyenv's shims are skipped: they answer for whichever version pyenv selects, and pyenv's
    versions are listed here directly."""
    found, seen = [], set()
    root = os.path.realpath(pyenv_root())

    def add(path, claim):
        real = os.path.realpath(path)
        if real in seen or not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return
        seen.add(real)
        found.append((path, claim))

    names = ["python%d.%d" % m for m in spec["minors"]] + ["python3", "python"]
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or (os.path.realpath(folder) + os.sep).startswith(root + os.sep):
            continue
        for name in names:
            path = os.path.join(folder, name)
            add(path, claimed_minor(path))
    try:
        versions = os.listdir(os.path.join(root, "versions"))
    except OSError:
        versions = []
    for name in versions:
        m = re.match(r"(\d+)\.(\d+)\.(\d+)$", name)
        if m and (int(m.group(1)), int(m.group(2))) in spec["minors"]:
            minor = (int(m.group(1)), int(m.group(2)))
            add(os.path.join(root, "versions", name, "bin", "python%d.%d" % minor), minor)
    return found


def qualifies(py, spec):
    """Why ``py`` cannot serve this stack (a phrase), or None when it can."""
    if py.impl != "cpython":
        return "%s is not CPython" % py.describe()
    if py.version[:2] not in spec["minors"] or py.version < spec["lowest"]:
        return "%s is not %s" % (py.describe(), spec["wants"])
    if not py.has_venv:
        return ("%s cannot make a venv (on Debian or Ubuntu: apt install python%d.%d-venv)"
                % ((py.describe(),) + py.version[:2]))
    return None


class Found(object):
    """The interpreter found for a stack (or None) and what was passed over."""

    def __init__(self, python, variable, rejected):
        self.python, self.variable, self.rejected = python, variable, rejected


def find_python(stack):
    """The newest interpreter that can serve ``stack``. An explicit variable is taken alone."""
    spec = STACKS[stack]
    for var in spec["variables"]:
        path = os.environ.get(var, "")
        if path:
            py = probe(path)
            if py is None:
                raise Refusal("%s=%s is not a Python 3 that runs here (the %s stack needs %s)"
                              % (var, path, stack, spec["wants"]))
            why = qualifies(py, spec)
            if why:
                raise Refusal("%s=%s: %s, which the %s stack needs" % (var, path, why, spec["wants"]))
            return Found(py, var, [])
    rejected = []
    found = candidates(spec)
    unknown = [probe(p) for p, claim in found if claim is None]
    for minor in spec["minors"]:
        pythons = [probe(p) for p, claim in found if claim == minor] + unknown
        good = []
        for py in pythons:
            if py is None or py.version[:2] != minor:
                continue
            why = qualifies(py, spec)
            if why:
                rejected.append(why)
            else:
                good.append(py)
        if good:
            return Found(max(good, key=lambda p: p.version), None, rejected)
    return Found(None, None, rejected)


def platform_refusal(stack, py):
    """Why the stack's wheels do not fit ``py``'s platform, or None."""
    spec = STACKS[stack]
    if (py.platform, py.machine) in spec["platforms"]:
        return None
    if py.platform == "win32":
        return "env.sh runs on Linux and macOS; on Windows use WSL 2 (see the README)"
    return ("%s has no wheels for %s (%s)"
            % (spec["tensorflow"], describe_platform(py.platform, py.machine), py.describe()))


def missing_phrase(stack, found):
    """'there is none on PATH or in pyenv' and what was passed over, if anything."""
    text = "there is none on PATH or in pyenv"
    if found.rejected:
        text += " (passed over: %s)" % "; ".join(found.rejected)
    return text


def install_hint(stack):
    spec = STACKS[stack]
    return "install it (e.g. '%s') or set %s=/path/to/python" % (spec["install"], spec["variables"][0])


class Choice(object):
    """The stack and interpreter to use; ``reason`` says why the pinned stack was not taken when
    STACK was unset and the modern one is, else None."""

    def __init__(self, stack, python, reason=None):
        self.stack, self.python, self.reason = stack, python, reason

    def note(self):
        """The one line printed when the modern stack is taken without being asked for."""
        return ("env.sh: using the modern stack (TensorFlow 2 through tf.compat.v1, %s) because %s; "
                "STACK=pinned ./env.sh ... insists on the course's pinned stack"
                % (self.python.describe(), self.reason))


def choose_explicit(stack):
    if stack not in STACKS:
        raise Refusal("STACK must be 'pinned', 'tf1' or 'modern', not '%s'" % stack)
    found = find_python(stack)
    if found.python is None:
        hint = install_hint(stack)
        if stack != "modern":
            hint += "; or use the modern stack: STACK=modern ./env.sh ..."
        raise Refusal("STACK=%s needs %s and %s; %s"
                      % (stack, STACKS[stack]["wants"], missing_phrase(stack, found), hint))
    why = platform_refusal(stack, found.python)
    if why:
        raise Refusal("STACK=%s cannot be built here: %s" % (stack, why))
    return Choice(stack, found.python)


def choose():
    """The stack and interpreter to use, or Refusal: STACK if it is set, else the pinned stack
    where it can be built, else the modern one."""
    if os.environ.get("STACK", ""):
        return choose_explicit(os.environ["STACK"])
    pinned = find_python("pinned")
    if pinned.python is None:
        why_not = "the course's pinned stack needs Python 3.6 and %s" % missing_phrase("pinned", pinned)
    else:
        why_not = platform_refusal("pinned", pinned.python)
        if why_not is None:
            return Choice("pinned", pinned.python)
        why_not = "the course's pinned stack: " + why_not
    try:
        modern = find_python("modern")
    except Refusal as e:
        raise Refusal("no stack can be built here: %s; the modern stack: %s" % (why_not, e))
    if modern.python is None:
        raise Refusal("no stack can be built here: %s; the modern stack needs %s and %s; %s"
                      % (why_not, STACKS["modern"]["wants"], missing_phrase("modern", modern),
                         install_hint("modern")))
    why = platform_refusal("modern", modern.python)
    if why:
        raise Refusal("no stack can be built here: %s; the modern stack: %s" % (why_not, why))
    return Choice("modern", modern.python, why_not)


def requirement_files(root, name, seen=None):
    """``name`` and every file it includes with -r/-c, recursively, in order."""
    seen = [] if seen is None else seen
    path = os.path.normpath(os.path.join(root, name))
    if path in seen:
        return seen
    seen.append(path)
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)", line)
            if m:
                requirement_files(os.path.dirname(path), m.group(1), seen)
    return seen


def stamp(root, stack, py):
    """SHA-256 of what the environment is built from: requirement files, setup.py, the interpreter."""
    h = hashlib.sha256()
    h.update((RECIPE + "\n").encode())
    for path in requirement_files(root, STACKS[stack]["requirements"]) + [os.path.join(root, "setup.py")]:
        h.update(os.path.relpath(path, root).encode() + b"\n")
        with open(path, "rb") as f:
            h.update(f.read())
    h.update(("\n%s %s %s %s\n" % (os.path.realpath(py.executable), version_text(py.version), py.platform,
                                    py.machine)).encode())
    return h.hexdigest()


def venv_python(venv):
    return os.path.join(venv, "bin", "python")


def state(root, choice):
    """'ready', 'out of date' or 'not built'."""
    venv = os.path.join(root, ".venv-" + choice.stack)
    if not os.path.isdir(venv):
        return "not built"
    try:
        with open(os.path.join(venv, STAMP)) as f:
            recorded = f.read().strip()
    except OSError:
        recorded = ""
    if os.access(venv_python(venv), os.X_OK) and recorded == stamp(root, choice.stack, choice.python):
        return "ready"
    return "out of date" if recorded else "not built (or its build was cut short)"


def run_filtered(cmd):
    """Run ``cmd`` with its stdout and its stderr going to our stderr, less pip's warnings about the
    absent local index (this machine's pip configuration names one). Raises on failure."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(),
                            stderr=subprocess.PIPE)
    for raw in iter(proc.stderr.readline, b""):
        if IGNORED_NOISE.encode() not in raw:
            sys.stderr.buffer.write(raw)
            sys.stderr.flush()
    proc.stderr.close()
    if proc.wait() != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)


class Lock(object):
    """An exclusive fcntl lock on ``path`` (macOS and Linux alike); a no-op where fcntl is absent."""

    def __init__(self, path, waiting_line):
        self.path, self.waiting_line, self.f = path, waiting_line, None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:
            return self
        self.f = open(self.path, "a")
        try:
            fcntl.flock(self.f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            say(self.waiting_line)
            fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.f is not None:
            self.f.close()


def build(root, choice):
    stack, py = choice.stack, choice.python
    venv = os.path.join(root, ".venv-" + stack)
    say("env.sh: creating the %s environment in %s with %s (one time, a few minutes)"
        % (stack, venv, py.describe()))
    if os.path.islink(venv) or os.path.isfile(venv):
        os.remove(venv)
    elif os.path.isdir(venv):
        shutil.rmtree(venv)
    run_filtered([py.executable, "-m", "venv", venv])
    pip = [venv_python(venv), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if py.version[:2] == (3, 6):
        # A fresh 3.6 venv ships pip 18, whose resolver cannot install the pinned stack.
        run_filtered(pip + [PIP_FOR_36])
    run_filtered(pip + ["-r", os.path.join(root, STACKS[stack]["requirements"])])
    # The project itself, editable, so that the working tree is the code that runs. Its
    # dependencies are the pinned ones just installed (setup.py names them without versions).
    run_filtered(pip + ["--no-deps", "-e", root])
    # Last: only a finished build carries the stamp.
    tmp = os.path.join(venv, STAMP + ".tmp")
    with open(tmp, "w") as f:
        f.write(stamp(root, stack, py) + "\n")
    os.rename(tmp, os.path.join(venv, STAMP))


def ensure(root):
    choice = choose()
    if choice.reason:
        say(choice.note())
    venv = os.path.join(root, ".venv-" + choice.stack)
    if state(root, choice) != "ready":
        waiting = "env.sh: waiting for another env.sh that is building the %s environment" % choice.stack
        with Lock(os.path.join(root, ".venv-%s.lock" % choice.stack), waiting):
            if state(root, choice) != "ready":
                try:
                    build(root, choice)
                except subprocess.CalledProcessError as e:
                    raise Refusal("building the %s environment failed (%s exited with status %d); "
                                  "the next ./env.sh starts it again"
                                  % (choice.stack, " ".join(e.cmd[:4]), e.returncode))
    sys.stdout.write("%s %s\n" % (choice.stack, venv))


def which(root):
    choice = choose()
    venv = os.path.join(root, ".venv-" + choice.stack)
    py = choice.python
    lines = [
        "stack: %s%s" % (choice.stack, "" if os.environ.get("STACK") else " (STACK unset)"),
        "python: %s" % py.executable,
        "version: %s" % version_text(py.version),
        "platform: %s" % describe_platform(py.platform, py.machine),
        "requirements: %s" % STACKS[choice.stack]["requirements"],
        "environment: %s (%s)" % (venv, state(root, choice)),
    ]
    if choice.reason:
        lines.append("why: " + choice.reason)
    sys.stdout.write("\n".join(lines) + "\n")


USAGE = "usage: bootstrap.py {which,ensure} --root DIR"


def main(argv):
    if len(argv) != 3 or argv[0] not in ("which", "ensure") or argv[1] != "--root":
        say("error: " + USAGE)
        return 2
    root = os.path.abspath(argv[2])
    try:
        (which if argv[0] == "which" else ensure)(root)
    except Refusal as e:
        say("error: %s" % e)
        return 2
    except KeyboardInterrupt:
        say("env.sh: interrupted; an unfinished environment is rebuilt the next time")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
