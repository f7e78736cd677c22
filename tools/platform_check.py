"""Where each stack installs: resolve every stack's requirements for every platform and Python that
the README names, and write the README's table "Where each stack installs" (and its Chinese copy in
README.zh-CN.md).

    python3 tools/platform_check.py            # wheels only: a few minutes, downloads wheels
    python3 tools/platform_check.py --suite    # also builds each stack here and runs the suite (an hour;
                                               # --suite modern-3.13 for one row)
    python3 tools/platform_check.py --print    # print the table instead of writing the READMEs

Run it with a Python 3.8 or newer whose pip is 24.2 or newer (`pip install --dry-run --report`),
from outside the project's environments (--suite rebuilds them). Each cell is resolved by pip
for the target platform alone (`--only-binary=:all: --platform ... --python-version ...`), with
the environment markers evaluated for the target too (pip by itself evaluates them for the
machine it runs on). A cell says what was shown:

- "builds and passes the suite here": this machine's platform, and `--suite` built the stack with
  that Python and the whole suite passed (kept from an earlier run while the requirement files
  are unchanged);
- "wheels resolve": every requirement, dependencies included, has a wheel there; a package the
  files do not pin is named ("unpinned: ...");
- "no: first package without a wheel: X": pip stopped at X.

Not part of the default test suite: it needs the network and takes minutes.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import bootstrap  # noqa: E402  (tools/bootstrap.py: the requirement files and the interpreter search)

BEGIN = "<!-- platform-check: begin (written by tools/platform_check.py; edit that, not this) -->"
END = "<!-- platform-check: end -->"
PASSED = "builds and passes the suite here"
READMES = [("README.md", "en"), ("README.zh-CN.md", "zh-CN")]  # each holds the table between the markers
GLIBC = 28          # manylinux wheels up to glibc 2.28 (Debian 10, RHEL 8, Ubuntu 18.10 and newer)
MACOS = "12_0"      # macOS 12 Monterey or newer

# (row key, stack, Python version checked). The modern stack at the lowest patch release it claims.
ROWS = [
    ("pinned-3.6", "pinned", "3.6.15"),
    ("tf1-3.7", "tf1", "3.7.17"),
    ("modern-3.11", "modern", "3.11.2"),
    ("modern-3.12", "modern", "3.12.0"),
    ("modern-3.13", "modern", "3.13.0"),
]


def manylinux(arch):
    return (["manylinux_2_%d_%s" % (n, arch) for n in range(GLIBC, 16, -1)]
            + ["manylinux2014_%s" % arch] + (["manylinux2010_%s" % arch, "manylinux1_%s" % arch]
                                             if arch == "x86_64" else []))


def markers(sys_platform, system, machine, os_name="posix"):
    return {"sys_platform": sys_platform, "platform_system": system, "platform_machine": machine,
            "os_name": os_name, "platform_release": "", "platform_version": "",
            "platform_python_implementation": "CPython", "implementation_name": "cpython"}


# (column key, heading, pip --platform tags, marker environment). pip adds the older macOS releases.
PLATFORMS = [
    ("linux-x86_64", "Linux x86-64", manylinux("x86_64"), markers("linux", "Linux", "x86_64")),
    ("linux-aarch64", "Linux ARM64", manylinux("aarch64"), markers("linux", "Linux", "aarch64")),
    ("macos-x86_64", "macOS Intel", ["macosx_%s_x86_64" % MACOS], markers("darwin", "Darwin", "x86_64")),
    ("macos-arm64", "macOS Apple Silicon", ["macosx_%s_arm64" % MACOS], markers("darwin", "Darwin", "arm64")),
    ("windows-amd64", "Windows x86-64", ["win_amd64"], markers("win32", "Windows", "AMD64", "nt")),
]

# Runs pip in a child process with the target's marker environment in place of this machine's.
PIP_WITH_MARKERS = """import json, sys
from pip._vendor.packaging import markers
target = json.loads(sys.argv[1])
here = markers.default_environment
def default_environment():
    env = here()
    env.update(target)
    return env
markers.default_environment = default_environment
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


class Usage(Exception):
    pass


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_names(stack):
    """Normalized names of every package that the stack's requirement files pin."""
    names = set()
    for path in bootstrap.requirement_files(ROOT, bootstrap.STACKS[stack]["requirements"]):
        with open(path) as f:
            for line in f:
                m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==", line)
                if m:
                    names.add(normalize(m.group(1)))
    return names


def host_column():
    system, machine = bootstrap.machine_name(sys.platform, platform.machine())
    return {("linux", "x86_64"): "linux-x86_64", ("linux", "aarch64"): "linux-aarch64",
            ("darwin", "x86_64"): "macos-x86_64", ("darwin", "arm64"): "macos-arm64"}.get(
                (system, machine), "windows-amd64" if system == "win32" else None)


class PureWheels(object):
    """Wheels built here from the source of pins that publish no wheel at all (termcolor 1.1.0,
    gast 0.2.2, ...). A pure-Python one (``*-none-any.whl``) installs on every platform, as pip
    would build it there; one that is not pure stays out, and the cell says the package has no wheel."""

    def __init__(self, folder):
        self.folder, self.lock, self.tried = folder, threading.Lock(), {}

    def build(self, requirement):
        """True when ``requirement`` (name==version) now has a pure-Python wheel in the folder."""
        with self.lock:
            if requirement not in self.tried:
                scratch = tempfile.mkdtemp(dir=self.folder)
                proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                                       "--no-binary", ":all:", "--disable-pip-version-check",
                                       "-w", scratch, requirement],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
                pure = False
                for name in os.listdir(scratch):
                    if proc.returncode == 0 and name.endswith("-none-any.whl"):
                        os.rename(os.path.join(scratch, name), os.path.join(self.folder, name))
                        pure = True
                self.tried[requirement] = pure
            return self.tried[requirement]


def resolve(stack, version, tags, env, pure):
    """The cell's text from a pip dry run for one stack, Python version and platform."""
    env = dict(env, python_version=".".join(version.split(".")[:2]), python_full_version=version,
               implementation_version=version)
    tried = []
    while True:
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "report.json")
            cmd = [sys.executable, "-c", PIP_WITH_MARKERS, json.dumps(env), "install", "--dry-run",
                   "--ignore-installed", "--only-binary=:all:", "--implementation", "cp",
                   "--python-version", version, "--target", os.path.join(tmp, "target"),
                   "--report", report, "--quiet", "--disable-pip-version-check",
                   "--find-links", pure.folder,
                   "-r", os.path.join(ROOT, bootstrap.STACKS[stack]["requirements"])]
            for tag in tags:
                cmd += ["--platform", tag]
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, universal_newlines=True)
            if proc.returncode == 0:
                with open(report) as f:
                    installed = json.load(f)["install"]
                break
        text = proc.stderr + proc.stdout
        m = (re.search(r"No matching distribution found for (\S+)", text)
             or re.search(r"Could not find a version that satisfies the requirement (\S+)", text))
        if m and m.group(1) not in tried and "==" in m.group(1) and pure.build(m.group(1)):
            tried.append(m.group(1))
            continue
        if m:
            return "no: first package without a wheel: %s" % m.group(1)
        if "ResolutionImpossible" in text or "conflicting dependencies" in text:
            return "no: the pins conflict there (pip: ResolutionImpossible)"
        errors = [line for line in text.splitlines() if line.startswith("ERROR")]
        return "no: pip failed: %s" % (errors[0] if errors else " ".join(text.split()[-12:]))
    pins = pinned_names(stack)
    loose = sorted("%s %s" % (i["metadata"]["name"], i["metadata"]["version"])
                   for i in installed if normalize(i["metadata"]["name"]) not in pins)
    built = sorted(i["metadata"]["name"] for i in installed
                   if pure.folder in i.get("download_info", {}).get("url", ""))
    text = "wheels resolve"
    if built:
        text += " (%s: pure Python, built from source)" % ", ".join(built)
    if loose:
        text += "; unpinned: " + ", ".join(loose)
    return text


def requirements_digest(stack):
    h = hashlib.sha256()
    for path in bootstrap.requirement_files(ROOT, bootstrap.STACKS[stack]["requirements"]) + [
            os.path.join(ROOT, "setup.py")]:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def interpreter_for(stack, version):
    """The interpreter here of the row's minor version (the exact release if present), or None."""
    minor = tuple(int(n) for n in version.split(".")[:2])
    spec = dict(bootstrap.STACKS[stack], minors=[minor])
    good = []
    for path, claim in bootstrap.candidates(spec):
        if claim not in (None, minor):
            continue
        py = bootstrap.probe(path)
        if py is not None and py.version[:2] == minor and bootstrap.qualifies(py, spec) is None:
            good.append(py)
    exact = [p for p in good if bootstrap.version_text(p.version) == version]
    return (exact or sorted(good, key=lambda p: p.version))[:1]


def run_suite(stack, py, log_dir):
    """Build the stack with ``py`` through env.sh and run the whole suite; True when it passed."""
    env = dict(os.environ, STACK=stack)
    for var in ("PYTHON36", "PYTHON37", "PYTHON311", "PYTHON_MODERN"):
        env.pop(var, None)
    env[bootstrap.STACKS[stack]["variables"][0]] = py.executable
    log = os.path.join(log_dir, "suite-%s-%s.log" % (stack, bootstrap.version_text(py.version)))
    print("platform_check: %s stack on %s: building and running the suite (log: %s)"
          % (stack, py.describe(), log), flush=True)
    with open(log, "w") as f:
        code = subprocess.call([os.path.join(ROOT, "env.sh"), "python", "-m", "pytest", "-q",
                                "-p", "no:cacheprovider"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               stdout=f, stderr=subprocess.STDOUT)
    with open(log) as f:
        tail = [line.strip() for line in f if line.strip()][-1:]
    print("platform_check:   exit %d: %s" % (code, tail[0] if tail else "(no output)"), flush=True)
    return code == 0


def previous_passes(readme):
    """{row key: "digest@python version"} recorded in the README by an earlier --suite run: a pass
    stands while the requirement files and setup.py have that digest."""
    m = re.search(r"<!-- suite passed here: ([^>]*) -->", readme)
    found = {}
    for item in (m.group(1).split() if m else []):
        key, _, value = item.partition("=")
        found[key] = value
    return found


# The same table in README.zh-CN.md: each English phrase of a cell and its Chinese (in this order).
IN_CHINESE = [
    (r"^%s$" % re.escape(PASSED), "在本机建立并通过全部测试"),
    (r"^wheels resolve", "wheel 都能解析"),
    (r" \((.*): pure Python, built from source\)", lambda m: "（%s：纯 Python，从源码构建）"
                                                            % m.group(1).replace(", ", "、")),
    (r"; unpinned: (.*?)(?=;|$)", lambda m: "；未固定版本：" + m.group(1).replace(", ", "、")),
    (r"; the suite failed here", "；全部测试在本机失败"),
    (r"^no: first package without a wheel: ", "不行：第一个没有 wheel 的包是 "),
    (r"^no: the pins conflict there \(pip: (\w+)\)", r"不行：固定版本在那里互相冲突（pip：\1）"),
    (r"^no: pip failed: ", "不行：pip 失败："),
]


def in_chinese(cell):
    """A cell of the table as README.zh-CN.md shows it."""
    for pattern, chinese in IN_CHINESE:
        cell = re.sub(pattern, chinese, cell)
    return cell


# What the table says around its cells, in each README's language.
WORDING = {
    "en": {"corner": "stack, Python", "row": "| %s, Python %s | %s |", "cell": lambda cell: cell,
           "resolved": "Resolved by pip %s for manylinux wheels up to glibc 2.%d and macOS %s or newer.",
           "passed": " The suite passed here (%s): %s.", "ran": "%s on CPython %s", "and": ", "},
    "zh-CN": {"corner": "环境，Python", "row": "| %s，Python %s | %s |", "cell": in_chinese,
              "resolved": "由 pip %s 解析，针对 glibc 2.%d 及以下的 manylinux wheel，以及 macOS %s 及以上。",
              "passed": "全部测试已在本机（%s）通过：%s。", "ran": "%s 环境，CPython %s", "and": "；"},
}


def render(cells, passes, host, language="en"):
    """The table, between its markers, for README.md (``language`` "en") or README.zh-CN.md
    ("zh-CN": the same cells in Chinese, without the record of passes, which README.md keeps)."""
    say = WORDING[language]
    heads = [heading for _, heading, _, _ in PLATFORMS]
    lines = [BEGIN, "", "| %s | " % say["corner"] + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    for key, stack, version in ROWS:
        row = [say["cell"](cells[(key, col)]) for col, _, _, _ in PLATFORMS]
        lines.append(say["row"] % (stack, version, " | ".join(row)))
    lines += ["", say["resolved"] % (pip_version(), GLIBC, MACOS.replace("_", "."))]
    if passes:
        heading = dict((col, name) for col, name, _, _ in PLATFORMS)[host]
        ran = [say["ran"] % (key.split("-")[0], value.split("@")[1])
               for key, value in sorted(passes.items(), key=lambda kv: [r[0] for r in ROWS].index(kv[0]))]
        lines[-1] += say["passed"] % (heading, say["and"].join(ran))
    if language == "en":
        lines.append("<!-- suite passed here: %s -->" % " ".join("%s=%s" % kv for kv in sorted(passes.items())))
    return "\n".join(lines + [END])


def pip_version():
    try:
        import pip
    except ImportError:
        return None
    return pip.__version__


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", nargs="*", metavar="ROW",
                        help="also build the stack of each row here (through env.sh) and run the whole "
                             "suite: every row, or those named (%s)" % ", ".join(r[0] for r in ROWS))
    parser.add_argument("--print", action="store_true", dest="print_only",
                        help="print the table instead of writing it into README.md and README.zh-CN.md")
    parser.add_argument("--jobs", type=int, default=2, help="pip runs at once (default 2)")
    args = parser.parse_args(argv)
    try:
        v = pip_version()
        if v is None or tuple(int(n) for n in re.findall(r"\d+", v)[:2]) < (24, 2):
            raise Usage("%s has pip %s; the check needs pip 24.2 or newer (older ones compare "
                        "Requires-Python with the Python running pip, not --python-version)"
                        % (sys.executable, v or "(none)"))
        if args.jobs < 1:
            raise Usage("--jobs must be at least 1")
        unknown = set(args.suite or []) - set(r[0] for r in ROWS)
        if unknown:
            raise Usage("--suite: no row %s (the rows: %s)"
                        % (", ".join(sorted(unknown)), ", ".join(r[0] for r in ROWS)))
        suite_rows = [r[0] for r in ROWS] if args.suite == [] else (args.suite or [])
        readmes = {}
        for name, _ in READMES:
            with open(os.path.join(ROOT, name), encoding="utf-8") as f:
                readmes[name] = f.read()
            if not args.print_only and (BEGIN not in readmes[name] or END not in readmes[name]):
                raise Usage("%s has no platform-check markers to write between" % name)
        readme = readmes["README.md"]
    except Usage as e:
        print("error: %s" % e, file=sys.stderr)
        return 2

    host = host_column()
    cells = {}
    pure = PureWheels(tempfile.mkdtemp(prefix="platform-check-wheels-"))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(resolve, stack, version, tags, env, pure): (key, col)
                   for key, stack, version in ROWS for col, _, tags, env in PLATFORMS}
        for future in concurrent.futures.as_completed(futures):
            cells[futures[future]] = future.result()
            print("platform_check: %s on %s: %s" % (futures[future] + (cells[futures[future]],)),
                  flush=True)

    passes = {}
    recorded = previous_passes(readme)
    log_dir = tempfile.mkdtemp(prefix="platform-check-logs-") if suite_rows else None
    for key, stack, version in ROWS:
        if host is None or not cells[(key, host)].startswith("wheels resolve"):
            continue
        digest = requirements_digest(stack)
        if key in suite_rows:
            found = interpreter_for(stack, version)
            if not found:
                print("platform_check: %s: no Python %s here, suite not run" % (key, version))
            elif run_suite(stack, found[0], log_dir):
                passes[key] = "%s@%s" % (digest, bootstrap.version_text(found[0].version))
            else:
                cells[(key, host)] += "; the suite failed here"
        elif recorded.get(key, "").split("@")[0] == digest:
            passes[key] = recorded[key]
        if key in passes:
            cells[(key, host)] = PASSED

    if args.print_only:
        print(render(cells, passes, host))
        return 0
    for name, language in READMES:
        if not write_table(os.path.join(ROOT, name), render(cells, passes, host, language)):
            return 2
    return 0


def write_table(path, table):
    """Put ``table`` between the markers of the README at ``path`` (read again: it may have been
    edited while the check ran). False, with one line on stderr, where the markers are gone."""
    with open(path, encoding="utf-8") as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        print("error: %s lost its platform-check markers while the check ran" % os.path.basename(path),
              file=sys.stderr)
        return False
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(readme[:start] + table + readme[end:])
    os.replace(path + ".tmp", path)
    print("platform_check: wrote the table into %s" % path)
    return True


if __name__ == "__main__":
    sys.exit(main())
