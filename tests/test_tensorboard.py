"""TensorBoard output of a TF run, read back two ways.

1. The event files, with TensorFlow's own reader (``summary_iterator``): the graph's node names
   follow the course, the tags are explicit names at the recorded iterations, and each kind of
   summary is present (scalars, histograms, decision-boundary images, the PR curve).
2. A real TensorBoard server from the installed stack, started on a free loopback port: its HTTP
   API lists the run and returns the cost series that metrics.json holds.
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

import numpy as np
import pytest

from conftest import ROOT, free_port, wait_for
from tf_models.run import cli
from tf_models.graphs import summaries
from tf_models.graphs.tfcompat import tf

from urllib.parse import urlencode
from urllib.request import urlopen

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

SERVER_START_SECONDS = 120   # TensorBoard 2.x imports TensorFlow first: ~20 s on this machine
ITERATIONS, EVERY = 300, 50


def train(model, tmpdir, name, extra=()):
    """One TF run through the scripts' command-line path; returns (run_dir, metrics)."""
    run_dir = os.path.join(str(tmpdir), name)
    parser = cli.build_parser(model, "test", learning_rate=0.5, iterations=ITERATIONS,
                              print_every=EVERY,
                              dataset="flower" if model != "logistic" else "breast_cancer")
    status = cli.main(parser, model, ["--run-dir", run_dir] + list(extra))
    assert status == 0
    with open(os.path.join(run_dir, "metrics.json")) as f:
        return run_dir, json.load(f)


@pytest.fixture(scope="module")
def runs(tmpdir_factory):
    """A shallow run on the flower (2-D: pictures) and a logistic one on breast_cancer (30-D)."""
    root = tmpdir_factory.mktemp("tensorboard")
    return {"root": str(root),
            "shallow": train("shallow", root, "shallow", ["--learning-rate", "1.2"]),
            "logistic": train("logistic", root, "logistic")}


def read_events(run_dir, sub):
    """{(tag, kind): [(step, value), ...]} and the GraphDef (or None) of run_dir/sub."""
    found, graph = defaultdict(list), None
    files = sorted(os.listdir(os.path.join(run_dir, sub)))
    assert files, "no event file in %s/%s" % (run_dir, sub)
    for name in files:
        for event in tf.train.summary_iterator(os.path.join(run_dir, sub, name)):
            if event.HasField("graph_def"):
                graph = tf.GraphDef()
                graph.ParseFromString(event.graph_def)
            for v in event.summary.value:
                found[(v.tag, v.WhichOneof("value"))].append((event.step, v))
    return found, graph


STEPS = list(range(0, ITERATIONS + 1, EVERY))


# ---- the graph ---------------------------------------------------------------------------------

# Top-level names of the written graph: the course's boxes and nothing stray (no "gradients",
# "tuple", "init_1" or summary ops beside them).
TOP_LEVEL = {"data", "X", "Y", "layer_1", "layer_2", "cost", "gradients_of_cost", "learning_rate",
             "train", "train_loop", "predict", "init"}


def test_graph_node_names_follow_the_course(runs):
    _, graph = read_events(runs["shallow"][0], "train")
    assert graph is not None, "the train writer holds no graph"
    names = {n.name for n in graph.node}
    for node in ("X", "Y", "layer_1/W1", "layer_1/b1", "layer_1/Z1", "layer_1/A1",
                 "layer_2/W2", "layer_2/b2", "layer_2/Z2", "layer_2/A2", "cost", "train",
                 "data/X_train", "data/init", "train_loop/n_steps"):
        assert node in names, "graph node %s missing" % node
    stray = {n.split("/")[0] for n in names} - TOP_LEVEL
    assert not stray, "graph has stray top-level nodes: %s" % sorted(stray)
    assert not any(n.startswith("save") for n in names), "the Saver's nodes were written too"


def test_logistic_graph_names(runs):
    _, graph = read_events(runs["logistic"][0], "train")
    names = {n.name for n in graph.node}
    for node in ("layer_1/w", "layer_1/b", "layer_1/Z", "layer_1/A", "cost", "train"):
        assert node in names, "graph node %s missing" % node


# ---- scalars -----------------------------------------------------------------------------------

def printed(costs):
    """The records of metrics.json at the printed iterations (every EVERY, and the last): the ones
    TensorBoard gets; metrics.json also holds the finer records between them, for cost.png."""
    return [c for c in costs if c[0] % EVERY == 0 or c[0] == ITERATIONS]


def test_scalars_train_and_test_at_every_printed_record(runs):
    run_dir, metrics = runs["shallow"]
    train_events, _ = read_events(run_dir, "train")
    test_events, _ = read_events(run_dir, "test")
    for events in (train_events, test_events):
        for tag in ("cost", "accuracy"):
            assert [s for s, _ in events[(tag, "simple_value")]] == STEPS, tag
    # the train cost series is metrics.json's (stored as float32)
    logged = [v.simple_value for _, v in train_events[("cost", "simple_value")]]
    np.testing.assert_allclose(logged, [J for _, J in printed(metrics["costs"])], rtol=1e-6)
    # the last accuracies are those metrics.json reports
    for events, key in ((train_events, "train_accuracy"), (test_events, "test_accuracy")):
        assert events[("accuracy", "simple_value")][-1][1].simple_value == \
            pytest.approx(metrics[key], abs=1e-6), key


def test_tags_are_explicit_names(runs):
    for model in ("shallow", "logistic"):
        for sub in ("train", "test"):
            events, _ = read_events(runs[model][0], sub)
            bad = [tag for tag, _ in events if ":" in tag or tag.startswith("summaries")]
            assert not bad, "tensor-name tags in %s/%s: %s" % (model, sub, bad)


# ---- histograms, images, PR curve --------------------------------------------------------------

def test_histograms_of_parameters_activations_and_gradients(runs):
    events, _ = read_events(runs["shallow"][0], "train")
    for l in (1, 2):
        for name in ("W%d", "b%d", "A%d", "dW%d", "db%d"):
            tag = "layer_%d/%s" % (l, name % l)
            steps = [s for s, _ in events[(tag, "histo")]]
            assert steps == STEPS, "%s at %s" % (tag, steps)  # 7 records < HISTOGRAMS: all
    W1 = events[("layer_1/W1", "histo")][0][1].histo
    assert W1.num == 4 * 2 and len(W1.bucket) == len(W1.bucket_limit) == summaries.HISTOGRAM_BINS
    assert sum(W1.bucket) == 8


def test_logistic_histogram_tags(runs):
    events, _ = read_events(runs["logistic"][0], "train")
    for tag in ("layer_1/w", "layer_1/b", "layer_1/A", "layer_1/dw", "layer_1/db"):
        assert (tag, "histo") in events, tag


def test_decision_boundary_images_for_2d_data_only(runs):
    events, _ = read_events(runs["shallow"][0], "train")
    images = events[("decision_boundary", "image")]
    steps = [s for s, _ in images]
    assert 2 <= len(steps) <= summaries.IMAGES
    assert steps[0] == 0 and steps[-1] == ITERATIONS and steps == sorted(steps)
    image = images[-1][1].image
    assert image.encoded_image_string[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.width > 50 and image.height > 50
    logistic, _ = read_events(runs["logistic"][0], "train")
    assert not [t for t, _ in logistic if t == "decision_boundary"], "image for 30-D data"


def test_precision_recall_curve_on_the_test_set(runs):
    events, _ = read_events(runs["shallow"][0], "test")
    curves = events[("test_set/pr_curves", "tensor")]
    assert [s for s, _ in curves] == STEPS
    # the writer keeps the plugin's metadata on a tag's first value only
    assert curves[0][1].metadata.plugin_data.plugin_name == "pr_curves"
    value = curves[-1][1]
    # shape (6, thresholds): TP, FP, TN, FN, precision, recall
    dims = [d.size for d in value.tensor.tensor_shape.dim]
    assert dims == [6, summaries.PR_THRESHOLDS]


def test_spread_keeps_first_and_last():
    steps = summaries.record_steps(0, 10000, 100)
    assert steps[:2] == [0, 100] and steps[-1] == 10000 and len(steps) == 101
    chosen = sorted(summaries.spread(steps, 8))
    assert len(chosen) == 8 and chosen[0] == 0 and chosen[-1] == 10000
    assert list(summaries.record_steps(500, 250, 100)) == [500, 600, 700, 750]
    assert len(summaries.record_steps(0, 10 ** 12, 1)) == 10 ** 12 + 1  # never a list


# ---- a real TensorBoard server -------------------------------------------------------------------


def get_json(port, path, **query):
    url = "http://127.0.0.1:%d%s" % (port, path) + ("?" + urlencode(query) if query else "")
    with urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture
def tensorboard(runs):
    """A TensorBoard server of the installed stack over the runs' folder, on 127.0.0.1 only."""
    port = free_port()
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", runs["root"],
               "--host", "127.0.0.1", "--port", str(port), "--reload_interval", "1"]
    if summaries.TENSORBOARD_VERSION[0] >= 2:
        command.append("--load_fast=false")  # the Python loader: the same code path as 1.x
    log = open(os.path.join(runs["root"], "tensorboard.log"), "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        yield port, server, log.name
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


def wait_for_run(port, server, log_name, run_name):
    """Poll /data/runs until ``run_name`` is listed (bounded); returns the list."""
    def listed():
        if server.poll() is not None:
            with open(log_name) as f:
                pytest.fail("TensorBoard exited with %s:\n%s" % (server.returncode, f.read()[-2000:]))
        try:
            found = get_json(port, "/data/runs")
        except (OSError, ValueError):
            return None  # not answering yet
        return found if run_name in found else None
    return wait_for(listed, "TensorBoard to list %s" % run_name, SERVER_START_SECONDS, every=0.5)


def test_tensorboard_serves_the_cost_series_of_metrics_json(runs, tensorboard):
    port, server, log_name = tensorboard
    run_dir, metrics = runs["shallow"]
    name = os.path.basename(run_dir)
    listed = wait_for_run(port, server, log_name, name + "/train")
    assert name + "/test" in listed
    series = get_json(port, "/data/plugin/scalars/scalars", run=name + "/train", tag="cost")
    steps = [int(step) for _, step, _ in series]
    assert steps == [i for i, _ in printed(metrics["costs"])]
    np.testing.assert_allclose([J for _, _, J in series], [J for _, J in printed(metrics["costs"])],
                               rtol=1e-6, err_msg="cost: TensorBoard vs metrics.json")
    test_series = get_json(port, "/data/plugin/scalars/scalars", run=name + "/test", tag="cost")
    assert [int(s) for _, s, _ in test_series] == steps
