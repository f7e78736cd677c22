"""Grade a class's exercise files (.py, .ipynb; folders and zips of them): a gradebook and a summary.

    python scripts/grade_class.py submissions/ --out grades
    python scripts/grade_class.py week3.zip late/bob.ipynb --out grades-week3 --exercise shallow

Each file is checked as check_mine.py checks one (the same verdicts, the same named mistakes),
every function of every file in a contained process of its own (no network, no view of other
submissions or of your files, limits on time, memory and processes), several files in parallel.
--out must be a new or empty folder; it receives gradebook.csv (one row per submission, one column
per function: PASS, FAIL: <the mistake or the first difference>, or missing; then passed and
total), feedback/<submission>.md (each student's report, in Chinese and English), summary.md and
mistakes.png (which mistakes the class made, which functions failed most, what broke).
Exit status: 0 every submission graded (whatever the grades); 2 bad input or a failed write;
130 Ctrl-C and 143 SIGTERM (the submissions graded so far are written); 1 a bug.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from tf_models.run import cli, console, endings, progress, signals  # noqa: E402
from tf_models.learner.checker import classroom, gradebook, sandbox, specs, submissions  # noqa: E402

TIMEOUT = 10.0  # seconds per function
MEMORY_MB = 1024  # memory each function may allocate beyond the worker's own
MAX_WORKERS = 8


def build_parser():
    p = cli.ArgumentParser(description=__doc__.splitlines()[0],
                           epilog="exit status: 0 every submission graded; 2 bad input or a failed "
                                  "write; 130 Ctrl-C; 143 SIGTERM; 1 a bug")
    p.add_argument("submissions", metavar="SUBMISSION", nargs="+",
                   help=".py or .ipynb files, folders of them, or .zip files of them")
    p.add_argument("--out", required=True, metavar="DIR", help="a new or empty folder for the results")
    p.add_argument("--exercise", choices=sorted(specs.SPECS),
                   help="grade every file as this exercise; without it, each file's function names tell")
    p.add_argument("--timeout", type=cli.positive_float, default=TIMEOUT, metavar="S",
                   help="seconds each function may run")
    p.add_argument("--memory-mb", type=cli.positive_int, default=MEMORY_MB, metavar="MB",
                   help="memory each function may allocate")
    p.add_argument("--workers", type=cli.positive_int, default=default_workers(), metavar="N",
                   help="submissions graded at the same time: by default, as many as the CPUs this "
                        "process may use")
    return p


def default_workers():
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def main(argv=None):
    script = endings.Script()  # the first signal stops the grading; once settled, one is only noted
    return cli.run(_grade_class, argv, script, answer=script)


def _grade_class(argv, script):
    args = build_parser().parse_args(argv)
    found, notes = submissions.collect(args.submissions)
    out = classroom.OutputFolder(args.out)
    grading = None
    try:
        grading = classroom.ClassGrading(found, args.timeout, args.memory_mb, args.exercise)
        started = time.monotonic()
        with sandbox.Sandbox(workers=min(args.workers, len(found)), preload=grading.preload()) as box:
            rows, stopped = _grade(grading, box, len(found))
        seconds = time.monotonic() - started
        script.settle()  # from here a signal waits until the results are written
        names = gradebook.columns(rows)
        gradebook.write(args.out, rows, names, classroom.containment_note(box), notes, seconds,
                        len(box.workers), sys.stdout.encoding or "utf-8")
    except KeyboardInterrupt as e:  # before the grading began
        console.warn("%s before the grading began; nothing was written" % signals.name(getattr(e, "signum", None)))
        return signals.exit_status(getattr(e, "signum", None))
    except RuntimeError as e:  # the sandbox cannot start on this machine
        return cli.fail(str(e))
    except OSError as e:
        return cli.fail("could not write the results into %s (%s); the files written so far stay"
                        % (args.out, e.strerror or e))
    finally:
        if grading is not None:
            grading.close()
        out.release()
    signum = stopped.signum if stopped is not None else None
    _say_done(args.out, rows, found, seconds, box, signum)
    return signals.exit_status(signum) if signum is not None else 0


def _grade(grading, box, total):
    """(rows, None), or (the rows graded before a Ctrl-C or SIGTERM, that interruption)."""
    bar = progress.task_bar(total, "file")

    def on_row(row):
        if bar is not None:
            bar.update(1)
        else:
            console.say("graded %s" % row.submission)
    try:
        return grading.grade(box, on_row), None
    except KeyboardInterrupt as e:
        if not hasattr(e, "signum"):
            e.signum = None
        return grading.graded, e
    finally:
        if bar is not None:
            bar.close()


def _say_done(folder, rows, found, seconds, box, signum):
    complete = sum(1 for r in rows if r.problem is None and r.results and not r.missing
                   and all(x.status == "PASS" for x in r.results))
    if signum is not None:
        console.warn("%s: %d of %d submissions graded; the results hold those"
                     % (signals.name(signum), len(rows), len(found)))
    console.say("graded %d submission%s in %.1f s (%d worker%s): %d pass every function"
                % (len(rows), "" if len(rows) == 1 else "s", seconds, len(box.workers),
                   "" if len(box.workers) == 1 else "s", complete))
    console.say("gradebook  %s" % os.path.join(folder, "gradebook.csv"))
    console.say("summary    %s, %s" % (os.path.join(folder, "summary.md"), os.path.join(folder, "mistakes.png")))
    console.say("feedback   %s (%d file%s)" % (os.path.join(folder, "feedback"), len(rows), "" if len(rows) == 1 else "s"))
    if box.uncontained:
        console.say("not contained on this machine: %s (see summary.md)" % "; ".join(box.uncontained))


if __name__ == "__main__":
    program.exit(main)
