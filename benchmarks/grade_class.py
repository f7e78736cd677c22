"""How long a teacher waits for a class: ``scripts/grade_class.py`` on N week-3 submissions, against
grading the same files one at a time with ``scripts/check_mine.py``, in the same run.

    ./env.sh python benchmarks/grade_class.py                  # 100 submissions, 3 of them one by one
    ./env.sh python benchmarks/grade_class.py -n 20 --alone 2

The class: half are the tests' correct one-hidden-layer solution (tests/learner_files/
correct_shallow.py), half that file with one of the shallow network's planted mistakes
(tests/test_checker.PLANTED: erratum 1, 3 and 5, db without axis or keepdims, an update that adds),
so that the mistakes' variants and the checks apart run as they do in a real class. Every function
of every file is contained as always. The baseline is ``check_mine.py`` on one correct file and one
planted file, each in its own process, timed ``--alone`` times; the ratio is the class's time over N
such checks in a row (below 1: the class is faster than checking its files one by one).
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TESTS = os.path.join(ROOT, "tests")
sys.path.insert(0, TESTS)

from test_checker import FILES, PLANTED  # noqa: E402  (the planted mistakes are the tests' own)

SHALLOW = sorted(name for name, row in PLANTED.items() if row[0] == "shallow")


def make_class(folder, n):
    """n files: the correct solution and the shallow mistakes, alternately; returns the count planted."""
    with open(os.path.join(FILES, "correct_shallow.py"), encoding="utf-8") as f:
        correct = f.read()
    planted = 0
    for i in range(n):
        text = correct
        if i % 2:
            _, line, wrong = PLANTED[SHALLOW[planted % len(SHALLOW)]][:3]
            text = correct.replace(line, wrong)
            planted += 1
        with open(os.path.join(folder, "student%03d.py" % i), "w", encoding="utf-8") as f:
            f.write(text)
    return planted


def timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # check_mine: 1 means a function failed, as planted
        sys.exit("%s ended with %d:\n%s" % (" ".join(command), done.returncode,
                                            done.stderr.decode("utf-8", "replace")))
    return seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=100, help="submissions in the class (default 100)")
    p.add_argument("--alone", type=int, default=3, help="one-by-one checks timed for the baseline (default 3)")
    p.add_argument("--workers", type=int, help="grade_class.py's --workers (default: its own)")
    args = p.parse_args()
    if args.n < 2 or args.alone < 1:
        p.error("-n must be at least 2 and --alone at least 1")
    base = tempfile.mkdtemp(prefix="grade-class-bench-")
    try:
        folder, out = os.path.join(base, "class"), os.path.join(base, "grades")
        os.mkdir(folder)
        planted = make_class(folder, args.n)
        check_mine = [sys.executable, os.path.join(ROOT, "scripts", "check_mine.py")]
        alone = [timed(check_mine + [os.path.join(folder, "student%03d.py" % (k % 2))])
                 for k in range(2 * args.alone)]
        command = [sys.executable, os.path.join(ROOT, "scripts", "grade_class.py"), folder, "--out", out]
        if args.workers:
            command += ["--workers", str(args.workers)]
        seconds = timed(command)
        with open(os.path.join(out, "gradebook.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        failed = sum(1 for r in rows if r["passed"] != r["total"])
        if len(rows) != args.n or failed != planted:
            sys.exit("the gradebook has %d rows, %d with a FAIL; expected %d and %d"
                     % (len(rows), failed, args.n, planted))
        one = sum(alone) / len(alone)
        print("check_mine.py, one file alone  %6.2f s  (mean of %d: %s)"
              % (one, len(alone), " ".join("%.2f" % s for s in alone)))
        print("grade_class.py, %d files       %6.2f s  (%.2f s a file; %d with a planted mistake, all found)"
              % (args.n, seconds, seconds / args.n, planted))
        print("ratio: the class / %d files one by one = %.3f" % (args.n, seconds / (args.n * one)))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
