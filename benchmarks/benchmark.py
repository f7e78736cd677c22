"""Benchmark the project's TF and NumPy trainers against scikit-learn, a naive TF loop and the
machine's GEMM limit (tf_models/benchmark.py; the analysis is in docs/performance.md).

    python benchmarks/benchmark.py            # the full run: a few minutes on 2 cores
    python benchmarks/benchmark.py --quick    # tiny sizes: proves it works, measures nothing

Prints the table and writes it, with the raw measurements as JSON, to benchmarks/results/.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tf_models import benchmark  # noqa: E402

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds per part")
    parser.add_argument("--no-end-to-end", action="store_true",
                        help="skip timing python scripts/train_shallow.py")
    parser.add_argument("--results-dir", default=RESULTS_DIR,
                        help="where the JSON and the table go (default: benchmarks/results/)")
    args = parser.parse_args(argv)
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    results = benchmark.run_benchmark(quick=args.quick, end_to_end=not args.no_end_to_end,
                                      log=log)
    print(benchmark.format_table(results))
    json_path, table_path = benchmark.write_results(results, args.results_dir)
    print("\nwritten: %s, %s" % (os.path.relpath(json_path), os.path.relpath(table_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
