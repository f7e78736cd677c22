"""Check your own exercise code (a .py file or .ipynb notebook) against the project's.

    python scripts/check_mine.py my_week3.ipynb
    python scripts/check_mine.py my_week4.py --json

Every function named like one of the deeplearning.ai C1 exercises' (propagate, nn_model,
L_model_backward, ...) runs on the same seeded inputs as the project's version; one line per
function says PASS, or FAIL with the first output that differs and, where the numbers match a
known mistake, what it is (and the erratum of the course text that causes it). The file is read
as Python reads it (a coding line, a byte-order mark, any line ending). Of its top-level code only
what those functions need runs (imports, helpers, module-level values), and only inside the
containment; the rest (loading data, training, plotting) never does. Each function runs contained,
in a process of its own: no network, no view of your files, limits on time, memory and processes
(the README's "Containment" says what is contained and how).
Exit status: 0 all pass, 1 something fails (here 1 is the answer, not a bug), 2 bad input,
130 Ctrl-C, 143 SIGTERM.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

import argparse  # noqa: E402
import sys  # noqa: E402

from tf_models.run import cli, console  # noqa: E402
from tf_models.learner.checker import grade, loader, report, specs  # noqa: E402
from tf_models.learner.checker.sandbox import Sandbox  # noqa: E402

TIMEOUT = 10.0  # seconds per function
MEMORY_MB = 1024  # address space a function may add


def build_parser():
    p = cli.ArgumentParser(description=__doc__.splitlines()[0],
                           formatter_class=argparse.ArgumentDefaultsHelpFormatter,
                           epilog="exit status: 0 all pass; 1 something fails; 2 bad input; "
                                  "130 Ctrl-C; 143 SIGTERM")
    p.add_argument("learner_file", metavar="LEARNER_FILE", type=cli.input_file,
                   help="your .py file or .ipynb notebook")
    p.add_argument("--json", action="store_true", help="print one JSON document instead of lines")
    p.add_argument("--timeout", type=cli.positive_float, default=TIMEOUT, metavar="S",
                   help="seconds each function may run")
    p.add_argument("--memory-mb", type=cli.positive_int, default=MEMORY_MB, metavar="MB",
                   help="memory each function may allocate")
    p.add_argument("--exercise", choices=sorted(specs.SPECS),
                   help="which exercise the file is (default: told by the function names)")
    return p


def _check(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        learner = loader.load(args.learner_file)
        with Sandbox(preload=grade.preloads([learner])) as sandbox:
            results = grade.Grader(sandbox, args.timeout, args.memory_mb).check(learner, args.exercise)
    except ValueError as e:
        parser.error(str(e))
    except RuntimeError as e:  # the sandbox cannot start on this machine
        return cli.fail(str(e))
    if args.json:
        console.say(report.as_json(args.learner_file, results, sandbox.uncontained))
    else:
        for line in report.lines(results, sys.stdout.encoding):
            console.say(line)
    if sandbox.uncontained:
        console.warn("note: not contained on this machine (the kernel refused namespaces): %s"
                     % "; ".join(sandbox.uncontained))
    return 0 if all(r.status == "PASS" for r in results) else 1


def main(argv=None):
    return cli.run(_check, argv)


if __name__ == "__main__":
    program.exit(main)
