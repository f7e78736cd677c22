"""One implementation of a workload's training step, timed on request: the child of peers.py.

    python benchmarks/step_server.py [--one-thread] IMPLEMENTATION WORKLOAD [WORKLOAD ...]

IMPLEMENTATION is a key of workloads.PEER_RUNNERS ("tf loop", "numpy", "torch"), each WORKLOAD a
key of peers.WORKLOADS. The child builds a runner per workload (data and starting parameters as
every other implementation gets them), writes one JSON line {"ready": {versions}}, then for each
line {"workload": KEY, "K": K} on its standard input runs K steps of that workload and writes
{"seconds": wall seconds of those K steps}. It ends at the end of its input.

``--one-thread``: every library on one thread (TF's session, torch; the parent sets
OPENBLAS_NUM_THREADS=1 for NumPy, which OpenBLAS reads when it loads). Any Python that has tf_models and the implementation's library runs it, so
each stack's environment and PyTorch's own can be measured side by side.
"""
import json
import os
import sys
import time

import workloads
from peers import WORKLOADS


def describe(implementation):
    """What this child runs: Python, the library and its version, threads, OpenBLAS's core type."""
    import numpy
    info = {"python": "%d.%d.%d" % sys.version_info[:3], "numpy": numpy.__version__,
            "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE")}
    if implementation.startswith("torch"):
        import torch
        info.update(torch=torch.__version__, threads=torch.get_num_threads())
    elif implementation.startswith("tf"):
        from tf_models.graphs.tfcompat import TF_VERSION
        info["tensorflow"] = TF_VERSION
    return info


def one_thread(implementation):
    """Make the runners built next use one thread: TF's session (intra-op), torch."""
    if implementation.startswith("tf"):
        from tf_models.graphs import session
        from tf_models.graphs.tfcompat import tf
        session.session_config = lambda: tf.ConfigProto(inter_op_parallelism_threads=1,
                                                        intra_op_parallelism_threads=1)
    elif implementation.startswith("torch"):
        import torch
        torch.set_num_threads(1)


def serve(implementation, workload_keys, lines, write):
    """Build the runners, say ready, then time K steps of a workload for each request read from
    ``lines``."""
    runners = {}
    try:
        for key in workload_keys:
            workload = WORKLOADS[key]
            X, Y = workloads.make_data(workload)
            runners[key] = workloads.PEER_RUNNERS[implementation](workload, X, Y)
        write({"ready": describe(implementation)})
        for line in lines:
            request = json.loads(line)
            run = runners[request["workload"]][0]
            start = time.perf_counter()
            run(request["K"])
            write({"seconds": time.perf_counter() - start})
    finally:
        for _, close in runners.values():
            close()


def main(argv):
    def write(record):
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()
    if argv[0] == "--one-thread":
        argv = argv[1:]
        one_thread(argv[0])
    serve(argv[0], argv[1:], sys.stdin, write)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
