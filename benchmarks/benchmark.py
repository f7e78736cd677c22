"""Benchmark the project's TF and NumPy trainers against PyTorch, scikit-learn, a naive TF loop
and the machine's GEMM limit (workloads.py, peers.py and report.py beside it; the analysis is in
docs/performance.md).

    python benchmarks/benchmark.py                # the full run: several minutes on 2 cores
    python benchmarks/benchmark.py --all-stacks   # the cat network on every stack, side by side
    python benchmarks/benchmark.py --quick        # tiny sizes: proves it works, measures nothing

Prints the table and writes it, with the raw measurements as JSON, to benchmarks/results/.
"""
import os
import sys

import report
from tf_models.run import cli

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def main(argv=None):
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds per part")
    parser.add_argument("--no-end-to-end", action="store_true",
                        help="skip timing python scripts/train_shallow.py")
    parser.add_argument("--torch-python", metavar="PYTHON",
                        help="a Python with PyTorch, to measure the cat network beside it "
                             "(default: $TORCH_PYTHON, else .venv-torch/bin/python; without one "
                             "the benchmark says so and measures the rest)")
    parser.add_argument("--all-stacks", action="store_true",
                        help="also measure the cat network with the other stacks' environments "
                             "found beside the project (.venv-pinned, .venv-tf1, .venv-modern)")
    parser.add_argument("--only-peers", action="store_true",
                        help="measure only the cat network beside its peers (PyTorch; with "
                             "--all-stacks, every stack)")
    parser.add_argument("--one-thread", action="store_true",
                        help="with --only-peers: every library on one thread (compares the "
                             "kernels; a loaded machine disturbs it least)")
    parser.add_argument("--results-dir", default=RESULTS_DIR,
                        help="where the JSON and the table go (default: benchmarks/results/)")
    args = parser.parse_args(argv)
    if args.one_thread and not args.only_peers:
        parser.error("--one-thread goes with --only-peers (the other parts use each library's "
                     "default threads)")
    if args.torch_python is not None and not os.path.isfile(args.torch_python):
        parser.error("--torch-python %s: no such file; give the python of an environment that "
                     "has torch" % args.torch_python)
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    if args.only_peers:
        results = report.run_peers_only(args.quick, log, args.torch_python, args.all_stacks,
                                        args.one_thread)
    else:
        results = report.run_benchmark(quick=args.quick, end_to_end=not args.no_end_to_end,
                                       log=log, torch_python=args.torch_python,
                                       all_stacks=args.all_stacks)
    print(report.format_table(results))
    json_path, table_path = report.write_results(results, args.results_dir)
    print("\nwritten: %s, %s" % (os.path.relpath(json_path), os.path.relpath(table_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
