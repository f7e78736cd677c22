"""Which OpenBLAS core type NumPy should use on this CPU: prints its name, or nothing.

    python tools/openblas_core.py              # "Haswell", or nothing: leave OpenBLAS alone
    python tools/openblas_core.py --shell      # "export OPENBLAS_CORETYPE=Haswell", or nothing
    python tools/openblas_core.py --explain    # also says why, on stderr

Run it with the Python of the environment whose NumPy is meant (env.sh does, and exports the
answer). NumPy's wheels bundle an OpenBLAS built for many CPUs, which picks its kernels for the
CPU it recognises when NumPy is loaded. A build older than the CPU does not recognise it and falls
back to its generic SSE3 kernels, "Prescott": NumPy 1.14.2 (OpenBLAS 0.2.18) and 1.18.5 (0.3.7) on
a recent Xeon, at a third to a half of the speed they reach with the kernels the CPU can run.
OPENBLAS_CORETYPE names the kernels to take instead. It must be in the environment before NumPy
is loaded, so this program never imports NumPy itself: a child process does the probing.

The decision:

1. OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE already set (even empty): nothing. That is the user's
   choice, and both stay as they are.
2. The CPU's flags (/proc/cpuinfo; sysctl on an Intel Mac) name the best core type it can run,
   from CANDIDATES: Haswell for AVX2 and FMA, else Sandybridge for AVX.
3. A probe with OpenBLAS as it is: a child process loads NumPy with OPENBLAS_VERBOSE=2 (OpenBLAS
   then names the core it took, "Core: Prescott") and computes test products. No OpenBLAS, or a
   core it took that is as good as the candidate or one not in LEVELS (a build newer than this
   table): nothing.
4. The same probe with OPENBLAS_CORETYPE set to the candidate. It is taken only if every OpenBLAS
   loaded (NumPy's, SciPy's) took it and every product agrees: integer-valued products exactly
   (any summation order gives them exactly), the other products with the first probe's to
   rounding. Older OpenBLAS builds are known to compute wrong results on some processors; a
   disagreement falls back to the next candidate, then to nothing, with one line on stderr.

The verified answer is kept in the environment (``<sys.prefix>/.openblas-core``), keyed on the
CPU (vendor, family, model, flags) and on the NumPy installed (its version and bundled libraries),
so later calls cost a Python start-up. Standard library only; runs on Python 3.6 to 3.13.
"""
import signal
import sys

if __name__ == "__main__":
    # Run as a program, Ctrl-C ends it at once and silently (the default action: nothing is
    # chosen, and the cache is written whole or not at all), during its imports or its probe.
    signal.signal(signal.SIGINT, signal.SIG_DFL)

import argparse  # noqa: E402
import glob  # noqa: E402
import hashlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

USER_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

# Core types to ask for, best first, with the CPU flags their kernels need (Linux's names).
# Not SkylakeX: the AVX-512 kernels came later than Haswell's, some wheels' builds compiled them
# without AVX-512, and OpenBLAS 0.3.x fixed wrong results in them for several releases; the
# Haswell kernels are in every DYNAMIC_ARCH build since 0.2.9.
CANDIDATES = (("Haswell", frozenset(["avx2", "fma"])), ("Sandybridge", frozenset(["avx"])))

# OpenBLAS's x86-64 core names by the instruction set of their kernels: 0 SSE2/SSE3, 1 AVX,
# 2 AVX2 and FMA, 3 AVX-512. A name not here is a core this table does not know: left alone.
LEVELS = dict(
    [(name, 0) for name in ("Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom",
                            "Core2", "Penryn", "Dunnington", "Nehalem", "Athlon", "Opteron",
                            "Opteron(SSE3)", "Barcelona", "Nano", "Bobcat")]
    + [(name, 1) for name in ("Sandybridge", "Bulldozer", "Piledriver", "Steamroller")]
    + [(name, 2) for name in ("Haswell", "Excavator", "Zen")]
    + [(name, 3) for name in ("SkylakeX", "Cooperlake", "SapphireRapids")])

PROBE_TIMEOUT = 120  # seconds for one child: a NumPy import and a few small products

# The child's program: the products to check, as JSON on its last line of stdout. Exact cases
# hold small integers (|entry| <= 8, inner size <= 4096: every partial sum is an integer below
# 2^24, exact in float32 and float64 in any order). Shapes: the course's skinny W1 X, odd sizes
# that reach the kernels' edge code, one large enough for OpenBLAS's threads, transposed operands
# (the course's dZ1 X^T), and a matrix-vector product.
PROBE = r"""
import json, sys
import numpy as np
SHAPES = [(20, 4096, 37), (67, 129, 33), (256, 300, 256), (5, 7, 1)]
rng = np.random.RandomState(0)
exact, rounded = [], []
for dtype in ("float64", "float32"):
    for (r, k, c) in SHAPES:
        A = rng.randint(-8, 9, size=(r, k))
        B = rng.randint(-8, 9, size=(k, c))
        want = np.dot(A, B)  # integer arithmetic, no BLAS
        At, Bt = np.ascontiguousarray(A.T).astype(dtype), np.ascontiguousarray(B.T).astype(dtype)
        for got in (np.dot(A.astype(dtype), B.astype(dtype)), np.dot(At.T, B.astype(dtype)),
                    np.dot(A.astype(dtype), Bt.T)):
            exact.append(bool(np.array_equal(got, want)))
    F = rng.rand(20, 4096).astype(dtype)
    G = rng.rand(4096, 37).astype(dtype)
    rounded.append(np.dot(F, G).ravel().tolist())
    rounded.append(np.dot(F.T.copy().T, G[:, 0]).tolist())
try:
    from scipy.linalg import blas
except ImportError:
    blas = None
if blas is not None:
    A = rng.randint(-8, 9, size=(67, 129)).astype("float64")
    B = rng.randint(-8, 9, size=(129, 33)).astype("float64")
    want = np.dot(A.astype(np.int64), B.astype(np.int64))
    exact.append(bool(np.array_equal(blas.dgemm(1.0, A, B), want)))
    exact.append(bool(np.array_equal(blas.sgemm(1.0, A.astype("float32"), B.astype("float32")), want)))
sys.stdout.write(json.dumps({"exact": exact, "rounded": rounded}) + "\n")
"""

# How close the rounded products must be to the first probe's: |a - b| <= RTOL * max |b|.
RTOL = (1e-10, 1e-4)  # float64, float32 (4096 terms summed in another order)

# ---- the CPU -----------------------------------------------------------------------------

def cpu_identity(cpuinfo="/proc/cpuinfo"):
    """{"vendor", "family", "model", "flags"} of the first processor, or None where unknown.

    Linux: /proc/cpuinfo (flags lower case, e.g. avx2, fma). An Intel Mac: sysctl's feature
    lists, mapped to Linux's names. Elsewhere (Windows, ARM): None."""
    if platform.machine().lower() not in ("x86_64", "amd64", "i686", "i386"):
        return None
    if os.path.isfile(cpuinfo):
        return _parse_cpuinfo(cpuinfo)
    if sys.platform == "darwin":
        return _mac_identity()
    return None


def _parse_cpuinfo(path):
    fields = {}
    with open(path) as f:
        for line in f:
            if not line.strip():
                break  # the first processor is enough: they are alike
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    if "flags" not in fields:
        return None
    return {"vendor": fields.get("vendor_id", ""), "family": fields.get("cpu family", ""),
            "model": fields.get("model", ""), "flags": sorted(set(fields["flags"].split()))}


def _mac_identity():
    keys = ["machdep.cpu.vendor", "machdep.cpu.family", "machdep.cpu.model",
            "machdep.cpu.features", "machdep.cpu.leaf7_features"]
    try:
        out = subprocess.check_output(["sysctl", "-n"] + keys, stderr=subprocess.DEVNULL,
                                      universal_newlines=True).splitlines()
    except (OSError, subprocess.CalledProcessError):
        return None
    if len(out) < 4:
        return None
    words = " ".join(out[3:]).lower().split()
    flags = {"avx" if w == "avx1.0" else w for w in words}
    return {"vendor": out[0], "family": out[1], "model": out[2], "flags": sorted(flags)}


def candidates(flags):
    """The core types the CPU can run, best first: [(name, level), ...]."""
    have = set(flags)
    return [(name, LEVELS[name]) for name, needs in CANDIDATES if needs <= have]


# ---- the decision -------------------------------------------------------------------------

def user_has_chosen(environ):
    """The variable the user set, if any (OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE), else None."""
    return next((name for name in USER_VARIABLES if name in environ), None)


def agrees(probe, reference):
    """Whether ``probe``'s products are right: every exact one exact, every rounded one within
    RTOL of ``reference``'s (float64's first, then float32's, as PROBE computes them)."""
    if not probe["exact"] or not all(probe["exact"]):
        return False
    if len(probe["rounded"]) != len(reference["rounded"]):
        return False
    half = len(reference["rounded"]) // 2
    for i, (got, want) in enumerate(zip(probe["rounded"], reference["rounded"])):
        rtol = RTOL[0] if i < half else RTOL[1]
        scale = max(abs(w) for w in want) if want else 0.0
        if len(got) != len(want) or any(abs(g - w) > rtol * scale for g, w in zip(got, want)):
            return False
    return True


def decide(flags, probe, say=lambda text: None, warn=None):
    """The core type to set (a name) or None, from the CPU's ``flags`` and ``probe``.

    probe(core) runs PROBE with OPENBLAS_CORETYPE=core (None: as inherited) and returns
    {"cores": [the core each OpenBLAS took, in load order], "exact": [bool, ...],
    "rounded": [[float, ...], ...]}, or None when the child failed. ``say`` receives one line
    per finding; ``warn`` (default: ``say``) the one line of a candidate that computed wrong."""
    warn = warn or say
    wanted = candidates(flags)
    if not wanted:
        say("the CPU has neither AVX2 with FMA nor AVX: nothing to choose")
        return None
    default = probe(None)
    if default is None or not default["cores"]:
        say("NumPy did not load a dynamic OpenBLAS (no 'Core:' line): nothing to choose")
        return None
    took = default["cores"][0]
    level = LEVELS.get(took)
    if level is None:
        say("OpenBLAS took %r, a core this table does not know: left alone" % took)
        return None
    if not all(default["exact"]):
        say("OpenBLAS's default %s kernels got an exact product wrong: left alone" % took)
        return None
    for name, wanted_level in wanted:
        if wanted_level <= level:
            say("OpenBLAS took %s, as good as what the CPU runs: left alone" % took)
            return None
        trial = probe(name)
        if trial is None:
            say("the probe with %s failed: not used" % name)
        elif any(core != name for core in trial["cores"]) or not trial["cores"]:
            say("OpenBLAS did not take %s (it took %s): not used" % (name, ", ".join(trial["cores"])))
        elif not agrees(trial, default):
            warn("OpenBLAS's %s kernels disagreed with its default %s kernels on a test product: "
                "not used" % (name, took))
        else:
            say("OpenBLAS took %s, below this CPU; %s verified: chosen" % (took, name))
            return name
    say("no candidate verified: OpenBLAS keeps its default %s kernels" % took)
    return None


def run_probe(core, python=sys.executable, timeout=PROBE_TIMEOUT):
    """PROBE in a child ``python`` with OPENBLAS_CORETYPE=core (None: as inherited); a Probe
    dict, or None when the child failed or timed out."""
    env = dict(os.environ, OPENBLAS_VERBOSE="2")
    if core is not None:
        env["OPENBLAS_CORETYPE"] = core
    child = subprocess.Popen([python, "-c", PROBE], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, env=env, universal_newlines=True)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return None
    if child.returncode != 0 or not out.strip():
        return None
    try:
        result = json.loads(out.strip().splitlines()[-1])
    except ValueError:
        return None
    result["cores"] = re.findall(r"^Core: (\S+)", err, re.M)
    return result


# ---- the cache ----------------------------------------------------------------------------

def numpy_identity():
    """What identifies the NumPy this Python would import, without importing it: its folder,
    the names of its dist-info (version) and of its bundled libraries; None without NumPy."""
    spec = importlib.util.find_spec("numpy")
    if spec is None or not spec.origin:
        return None
    folder = os.path.dirname(spec.origin)
    parent = os.path.dirname(folder)
    names = [os.path.basename(p) for p in glob.glob(os.path.join(parent, "numpy-*-info"))]
    for libs in (os.path.join(folder, ".libs"), folder + ".libs"):
        if os.path.isdir(libs):
            names += sorted(os.listdir(libs))
    return {"folder": folder, "files": sorted(names)}


def cache_key(cpu, numpy):
    text = json.dumps([cpu, numpy, sys.executable], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_cache_path():
    """``<venv>/.openblas-core`` when this Python runs in a virtual environment, else None."""
    if sys.prefix == getattr(sys, "base_prefix", sys.prefix):
        return None
    return os.path.join(sys.prefix, ".openblas-core")


def read_cache(path, key):
    """The cached answer ("" for none) when the file holds ``key``, else None."""
    try:
        with open(path) as f:
            record = json.load(f)
    except (IOError, OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key:
        return None
    core = record.get("core")
    return core if core == "" or core in LEVELS else None


def write_cache(path, key, core):
    """Write the answer atomically (a concurrent reader sees the old file or the new one);
    a read-only environment just goes without a cache."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".openblas-core-", dir=os.path.dirname(path))
    except (IOError, OSError):
        return
    try:
        with os.fdopen(fd, "w") as f:
            json.dump({"key": key, "core": core or ""}, f)
            f.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from the environment's other users
        os.replace(tmp, path)
    except (IOError, OSError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


# ---- the program --------------------------------------------------------------------------

def choose(environ, cache_path, say=lambda text: None, warn=None, probe=run_probe, cpu=None):
    """The core type to export, or None: the whole decision, through the cache (see decide).
    ``cpu``: a cpu_identity() record (default: this machine's)."""
    chosen = user_has_chosen(environ)
    if chosen:
        say("%s is set (%r): the user's choice, left as it is" % (chosen, environ[chosen]))
        return None
    cpu = cpu or cpu_identity()
    if cpu is None:
        say("no x86 CPU flags to read here: nothing to choose")
        return None
    numpy = numpy_identity()
    if numpy is None:
        say("this Python has no NumPy: nothing to choose")
        return None
    key = cache_key(cpu, numpy)
    cached = read_cache(cache_path, key) if cache_path else None
    if cached is not None:
        say("from %s: %s" % (cache_path, cached or "nothing"))
        return cached or None
    core = decide(cpu["flags"], probe, say, warn)
    if cache_path:
        write_cache(cache_path, key, core)
    return core


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("error: %s (see --help)\n" % message)
        sys.exit(2)


def main(argv=None):
    parser = _Parser(description=__doc__.splitlines()[0], allow_abbrev=False,
                     formatter_class=argparse.RawDescriptionHelpFormatter,
                     epilog="Prints nothing where OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE is set, "
                            "where OpenBLAS knows the CPU, or where no candidate verified. "
                            "Exit status 0; 2 on bad arguments.")
    parser.add_argument("--shell", action="store_true",
                        help="print 'export OPENBLAS_CORETYPE=NAME' (for eval) instead of the name")
    parser.add_argument("--explain", action="store_true", help="say why, on stderr")
    parser.add_argument("--cache", metavar="FILE", default=default_cache_path(),
                        help="where the verified answer is kept (default: <venv>/.openblas-core; "
                             "none outside a virtual environment)")
    parser.add_argument("--no-cache", action="store_true",
                        help="decide afresh (probe again), and keep the answer in no file")
    args = parser.parse_args(argv)
    def tell(text):
        sys.stderr.write("openblas_core: %s\n" % text)
    # A candidate that computed wrong is said always (once per environment: the answer is
    # cached); the other findings only with --explain.
    core = choose(os.environ, None if args.no_cache else args.cache,
                  say=tell if args.explain else (lambda text: None), warn=tell)
    if core and sys.stdout is not None:  # None: started with standard output closed
        try:
            sys.stdout.write("export OPENBLAS_CORETYPE=%s\n" % core if args.shell else core + "\n")
            sys.stdout.flush()
        except (IOError, OSError):  # a closed or full standard output: nobody to tell
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
