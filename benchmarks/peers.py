"""The cat network's step beside PyTorch's, each implementation in its own child process, all
measured in interleaved rounds of one run.

Peers: this environment's TF loop and NumPy reference; with ``all_stacks``, the same in every other
stack's environment found beside the project (.venv-pinned, .venv-tf1, .venv-modern); and PyTorch,
where a Python with it is found: ``--torch-python``, else $TORCH_PYTHON, else .venv-torch/bin/python
(with its default threads, one per core: the reference of the ratios; and on one thread).
With ``one_thread`` every peer runs on one thread: the kernels' speed, which a loaded machine
disturbs far less than it disturbs threads that meet at a barrier in every operation.
PyTorch is never a project dependency (docs/performance.md says how to make that environment);
without it the benchmark says so in one line and measures the rest.

Each child (step_server.py) builds its runner once, from the same data and starting parameters.
Each round asks every child in turn for K steps, starting one child further each round, so that
the children of one round share the machine's load of that moment. Before each request the
parent waits SETTLE seconds: OpenBLAS's and OpenMP's worker threads spin for a while after their
work before they sleep, and on a 2-core machine a child still spinning would slow the next one. Per peer: seconds per step,
minimum and median over the rounds; and its ratio to PyTorch, the median over the rounds of
(its time / PyTorch's time in the same round).
"""
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from workloads import CAT, CAT64, QUICK_CAT, QUICK_CAT64

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SERVER = os.path.join(HERE, "step_server.py")
STACKS = ("pinned", "tf1", "modern")
WORKLOADS = {"float32": CAT, "float64": CAT64, "quick float32": QUICK_CAT,
             "quick float64": QUICK_CAT64}
TORCH = "torch"
SETTLE = 0.25  # seconds between two requests (see above)

Peer = collections.namedtuple("Peer", "label python implementation")


def stack_of(prefix=sys.prefix):
    """The stack whose environment ``prefix`` is (.venv-<stack>), else "this Python"."""
    name = os.path.basename(os.path.normpath(prefix))
    return name[len(".venv-"):] if name.startswith(".venv-") else "this Python"


def find_torch(explicit=None):
    """(path of a Python that imports torch, None) or (None, one line saying why there is none)."""
    path = explicit or os.environ.get("TORCH_PYTHON") or os.path.join(ROOT, ".venv-torch", "bin",
                                                                       "python")
    how = ("to compare, create it with a Python that PyTorch supports: python3.11 -m venv "
           ".venv-torch && .venv-torch/bin/pip install torch numpy (docs/performance.md)")
    if not os.path.isfile(path):
        return None, "PyTorch: not measured: no %s (%s)" % (path, how)
    if subprocess.call([path, "-c", "import torch"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL) != 0:
        return None, "PyTorch: not measured: %s cannot import torch (%s)" % (path, how)
    return path, None


def find_peers(torch_python, all_stacks, one_thread=False):
    """The peers to measure: TF and NumPy of this environment (and of the other stacks' with
    ``all_stacks``), then PyTorch when ``torch_python`` is given (also on one thread, unless
    every peer is)."""
    here = stack_of()
    pythons = [(here, sys.executable)]
    if all_stacks:
        for stack in STACKS:
            python = os.path.join(ROOT, ".venv-" + stack, "bin", "python")
            if stack != here and os.path.isfile(python):
                pythons.append((stack, python))
    peers = [Peer("%s %s" % (name, stack), python, implementation)
             for stack, python in pythons
             for name, implementation in (("TF", "tf loop"), ("NumPy", "numpy"))]
    if torch_python:
        peers.append(Peer("PyTorch", torch_python, TORCH))
        if not one_thread:
            peers.append(Peer("PyTorch, 1 thread", torch_python, TORCH + ", 1 thread"))
    return peers


class Child(object):
    """One step_server.py with a runner per workload, started at once; ``ask(key, K)`` returns
    the seconds of K steps of that workload."""

    def __init__(self, peer, workload_keys, one_thread=False):
        self.peer = peer
        self.errors = tempfile.TemporaryFile()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([ROOT, HERE] + ([env["PYTHONPATH"]]
                                                            if env.get("PYTHONPATH") else []))
        core = openblas_core(peer.python)
        if core:
            env["OPENBLAS_CORETYPE"] = core
        if one_thread:
            env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [peer.python, SERVER] + (["--one-thread"] if one_thread else [])
            + [peer.implementation] + list(workload_keys), cwd=HERE, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            universal_newlines=True)
        self.ready = self._read()["ready"]

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.errors.seek(0)
            tail = self.errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise RuntimeError("%s stopped (exit %s): %s" % (self.peer.label,
                                                             self.process.returncode,
                                                             tail[0] if tail else "no message"))
        return json.loads(line)

    def ask(self, key, K):
        time.sleep(SETTLE)
        self.process.stdin.write(json.dumps({"workload": key, "K": K}) + "\n")
        self.process.stdin.flush()
        return self._read()["seconds"]

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.errors.close()


def openblas_core(python):
    """The OpenBLAS core type that env.sh would export for ``python``'s environment
    (tools/openblas_core.py), or None: each stack's children start as env.sh starts a process.
    Where this process has OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, the tool says nothing and
    every child inherits them unchanged."""
    tool = os.path.join(ROOT, "tools", "openblas_core.py")
    try:
        out = subprocess.check_output([python, tool], stderr=subprocess.DEVNULL,
                                      universal_newlines=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.strip() or None


def measure(peers, keys, K, rounds, log=print, one_thread=False):
    """For each workload key: a warm-up, then interleaved rounds of K steps per peer. Returns
    {key: {"per_step": {label: [seconds per step, ...]}}}, {label: versions}, {label: failure}."""
    children, failed = [], {}
    results = collections.OrderedDict()
    try:
        for peer in peers:
            try:
                children.append(Child(peer, keys, one_thread))
            except (RuntimeError, OSError, ValueError) as error:
                failed[peer.label] = str(error)
                log("  %s: not measured: %s" % (peer.label, error))
        for key in keys:
            log("timing %s beside its peers (%d processes, %d rounds of %d steps) ..." % (
                WORKLOADS[key].name, len(children), rounds, K))
            load = os.getloadavg()[0]
            per_step = collections.OrderedDict((c.peer.label, []) for c in children)
            for r in range(-1, rounds):  # round -1, the warm-up: first-run allocations, threads
                for child in children[r % len(children):] + children[:r % len(children)]:
                    try:
                        seconds = child.ask(key, K)
                    except (RuntimeError, OSError, ValueError) as error:
                        failed[child.peer.label] = str(error)
                        log("  %s: not measured: %s" % (child.peer.label, error))
                        children.remove(child)
                        child.close()
                        del per_step[child.peer.label]
                        continue
                    if r >= 0:
                        per_step[child.peer.label].append(seconds / K)
            results[key] = {"per_step": per_step, "workload": WORKLOADS[key]._asdict(),
                            "load": [load, os.getloadavg()[0]], "K": K, "rounds": rounds}
    finally:
        for child in children:
            child.close()
    return results, {c.peer.label: c.ready for c in children}, failed


def ratios_to(per_step, reference):
    """{label: median over the rounds of its time / ``reference``'s time in the same round}."""
    ref = np.asarray(per_step[reference])
    return {label: float(np.median(np.asarray(times) / ref)) for label, times in per_step.items()}


def run(quick=False, torch_python=None, all_stacks=False, log=print, one_thread=False):
    """Every peer on the cat network in float32 and float64: the results' "peers" entry.
    ``one_thread``: every library on one thread (the kernels' speed, whatever the load)."""
    torch_path, absent = find_torch(torch_python)
    if absent:
        log(absent)
    peers = find_peers(torch_path, all_stacks, one_thread)
    inherited = [name for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if name in os.environ]
    if inherited and all_stacks:
        log("%s set here: every stack's child inherits it (started without env.sh, each "
            "child gets its own environment's choice)" % " and ".join(
                "%s=%s" % (name, os.environ[name]) for name in inherited))
    K, rounds = (2, 2) if quick else (20, 9)
    keys = [("quick " if quick else "") + dtype for dtype in ("float32", "float64")]
    measured, ready, failed = measure(peers, keys, K, rounds, log, one_thread)
    workloads = collections.OrderedDict()
    for key, entry in measured.items():
        if "PyTorch" in entry["per_step"]:
            entry["to_pytorch"] = ratios_to(entry["per_step"], "PyTorch")
        workloads[WORKLOADS[key].dtype] = entry
    return {"torch_absent": absent, "ready": ready, "failed": failed, "workloads": workloads,
            "one_thread": one_thread}
