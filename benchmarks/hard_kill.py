"""What a hard kill costs: a run killed with SIGKILL part-way, resumed with --resume, against an
unbroken run of the same length, in the same run of this benchmark.

    ./env.sh python benchmarks/hard_kill.py                         # the three jobs, ~20 s runs
    ./env.sh python benchmarks/hard_kill.py --jobs main --seconds 10 --kill-at 6

For each job (the cat network 12288-20-7-5-1 on TF and on NumPy, float64, from the course's files;
the main job, ``scripts/train_shallow.py`` as it comes):
  1. two short runs give the seconds per step (their difference), and so the iterations of a
     ``--seconds`` run;
  2. the unbroken run: its train_seconds and what its durable progress saves cost
     (metrics.json's ``progress_saves``), as a share of train_seconds;
  3. the same run killed with SIGKILL ``--kill-at`` seconds after its training began (its first
     progress save): the iteration its params.h5 holds, and so the seconds of training lost;
  4. ``--resume`` of the killed run: its exit status and its final parameters against the
     unbroken run's (largest relative difference).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from tf_models.run import params_io  # noqa: E402

CATS = os.path.join(os.path.dirname(ROOT), "shared", "data", "catvnoncat")
CAT = ["--layer-dims", "20,7,5,1", "--dtype", "float64"]
# job: (script, flags, iterations of the calibration run)
JOBS = {
    "cat-tf": ("train_deep", CAT + ["--backend", "tf"], 60),
    "cat-numpy": ("train_deep", CAT + ["--backend", "numpy"], 60),
    "main": ("train_shallow", [], 2000),
}


def script(name, job_flags, data_flags, *flags):
    return ([sys.executable, os.path.join(ROOT, "scripts", name + ".py")] + job_flags + data_flags
            + [str(f) for f in flags])


def metrics_of(run_dir):
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return json.load(f)


def run(command):
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        sys.exit("%s ended with %d:\n%s" % (" ".join(command), done.returncode,
                                            done.stderr.decode("utf-8", "replace")[-2000:]))


def saved_iteration(run_dir):
    try:
        return params_io.load_params(os.path.join(run_dir, "params.h5"))[1]["iterations_completed"]
    except (ValueError, OSError, KeyError):  # not written yet
        return None


def killed(command, run_dir, kill_at):
    """Start the run, SIGKILL it ``kill_at`` s after its first progress save; (seconds of training
    before the kill, the iteration its params.h5 holds)."""
    proc = subprocess.Popen(command + ["--run-dir", run_dir], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while saved_iteration(run_dir) is None and proc.poll() is None:
        time.sleep(0.01)  # a poll's interval
    began = time.perf_counter()
    while time.perf_counter() - began < kill_at and proc.poll() is None:
        time.sleep(0.01)
    if proc.poll() is not None:
        sys.exit("%s ended (%d) before it was killed: give a longer --seconds" % (" ".join(command),
                                                                                 proc.returncode))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return time.perf_counter() - began, saved_iteration(run_dir)


def largest_relative_difference(a_dir, b_dir):
    a = params_io.load_params(os.path.join(a_dir, "params.h5"))[0]
    b = params_io.load_params(os.path.join(b_dir, "params.h5"))[0]
    return max(float(np.max(np.abs(a[k] - b[k]) / np.maximum(np.abs(b[k]), 1e-300))) for k in b)


def iterations_for(seconds, name, flags, data, short, folder):
    """The iterations of a run of about ``seconds`` of training, from two short runs."""
    took = []
    for k in (short, 3 * short):  # the difference leaves out what a run spends besides its steps
        run(script(name, flags, data, "--iterations", k, "--run-dir", os.path.join(folder, "short%d" % k)))
        took.append(metrics_of(os.path.join(folder, "short%d" % k))["train_seconds"])
    # On a busy machine the difference is noise: never more than 10 times the whole short run's rate.
    per_step = max(took[1] - took[0], took[1] / 10.0) / (2 * short)
    return max(short, int(round(seconds / per_step / 100.0)) * 100)


def measure(job, args, base):
    name, flags, short = JOBS[job]
    data = []
    if job.startswith("cat"):
        data = ["--data", os.path.join(args.cats, "train_catvnoncat.h5"),
                "--test-data", os.path.join(args.cats, "test_catvnoncat.h5")]
    folder = os.path.join(base, job)
    n = args.iterations or iterations_for(args.seconds, name, flags, data, short, folder)
    command = script(name, flags, data, "--iterations", n)
    unbroken = os.path.join(folder, "unbroken")
    run(command + ["--run-dir", unbroken])
    m = metrics_of(unbroken)
    seconds, saves = m["train_seconds"], m["progress_saves"]
    per_step = seconds / n
    killed_dir, resumed = os.path.join(folder, "killed"), os.path.join(folder, "resumed")
    trained, at = killed(command, killed_dir, args.kill_at)
    lost = trained - at * per_step
    run(script(name, [], [], "--resume", killed_dir, "--run-dir", resumed))
    difference = largest_relative_difference(resumed, unbroken)
    print("%-9s %6d it  %6.2f s  saves %3d, %.3f s = %5.2f %%  | killed at %5.2f s, saved it %6d, lost "
          "%5.2f s  | resumed: %s, max rel diff %.1e"
          % (job, n, seconds, saves["count"], saves["seconds"], 100.0 * saves["seconds"] / seconds,
             trained, at, lost, metrics_of(resumed)["status"], difference))
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", nargs="+", choices=sorted(JOBS), default=["cat-tf", "cat-numpy", "main"])
    p.add_argument("--seconds", type=float, default=20.0, help="train_seconds of a whole run (default 20)")
    p.add_argument("--kill-at", type=float, default=12.0,
                   help="seconds of training before the SIGKILL (default 12)")
    p.add_argument("--iterations", type=int, help="the runs' iterations, instead of measuring the number that "
                   "takes --seconds")
    p.add_argument("--cats", default=CATS, help="the folder of the course's cat files (default: %(default)s)")
    args = p.parse_args()
    if not 0 < args.kill_at < args.seconds:
        p.error("--kill-at must lie between 0 and --seconds")
    if args.iterations is not None and args.iterations < 1:
        p.error("--iterations must be at least 1")
    jobs = list(args.jobs)
    if not os.path.isfile(os.path.join(args.cats, "train_catvnoncat.h5")):
        print("cat network: not measured: no train_catvnoncat.h5 in %s (--cats DIR)" % args.cats)
        jobs = [j for j in jobs if not j.startswith("cat")]
    print("job       iterations, train_seconds, durable saves (count, s, share) | SIGKILL | --resume")
    with tempfile.TemporaryDirectory(prefix="hard-kill-") as base:
        for job in jobs:
            measure(job, args, base)


if __name__ == "__main__":
    main()
