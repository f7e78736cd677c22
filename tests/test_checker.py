"""scripts/check_mine.py and tf_models.learner.checker: learner files written for these tests graded
against tf_models.exercises. A correct, independent plain-NumPy solution (tests/learner_files/
correct_*.py) must pass; the same solution with one planted mistake (a one-line edit made here)
must fail on that function, with the mistake named."""
import json
import os

import pytest

from conftest import ROOT, assert_one_error_line, run_script
from tf_models.learner.checker import check_file
from tf_models.learner.checker.sandbox import Sandbox

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

FILES = os.path.join(ROOT, "tests", "learner_files")
TIMEOUT = 10.0  # seconds per function: the files' functions take milliseconds, but a loaded machine is slow


@pytest.fixture(scope="module")
def box():
    """One sandbox for the module's checks (check_file starts one per file otherwise), with the
    import the notebook makes already done, as check_file would do it."""
    with Sandbox(preload=["matplotlib.pyplot"]) as s:
        yield s


def results(box, name, folder=FILES):
    return {r.name: r for r in check_file(os.path.join(folder, name), timeout=TIMEOUT, sandbox=box)}


@pytest.mark.parametrize("name", ["correct_logistic.py", "correct_shallow.py", "correct_deep.py"])
def test_a_correct_independent_solution_passes_every_function(name, box):
    with open(os.path.join(FILES, name)) as f:
        text = f.read()
    assert "import tf_models" not in text and "from tf_models" not in text  # written without the project
    found = results(box, name)
    assert len(found) >= 6
    assert [n for n, r in found.items() if r.status != "PASS"] == []


RELU_FROM_DA = """from dnn_utils import sigmoid, sigmoid_backward, relu


def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[dA <= 0] = 0  # masked by dA: it should be by Z
    return dZ"""

# mistake -> (correct solution it is planted in, the line as written there, the line with the
# mistake, the function that must fail, the checker's key for it, words its message must hold)
PLANTED = {
    "erratum1_cost_sign": (
        "shallow", "np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)",
        "np.multiply(np.log(A2), Y) - np.multiply(np.log(1 - A2), 1 - Y)",
        "compute_cost", "erratum1", "erratum 1"),
    "erratum3_tanh": (
        "shallow", "(1 - np.power(A1, 2))", "np.power(1 - A1, 2)",
        "backward_propagation", "erratum3", "erratum 3"),
    "erratum4_transpose": (
        "deep", "dW = (1 / m) * np.dot(dZ, A_prev.T)", "dW = (1 / m) * np.dot(dZ, A_prev)",
        "linear_backward", "erratum4", "erratum 4"),
    "erratum5_rand": (
        "shallow", "W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.random.rand(n_h, n_x) * 0.01",
        "initialize_parameters", "uniform", "erratum 5"),
    "db_without_axis": (
        "shallow", "db1 = np.sum(dZ1, axis=1, keepdims=True) / m", "db1 = np.sum(dZ1) / m",
        "backward_propagation", "db_all", "axis=1, keepdims=True"),
    "db_without_keepdims": (
        "shallow", "db1 = np.sum(dZ1, axis=1, keepdims=True) / m", "db1 = np.sum(dZ1, axis=1) / m",
        "backward_propagation", "db_keepdims", "keepdims=True"),
    "missing_1m": (
        "logistic", "dw = np.dot(X, (A - Y).T) / m", "dw = np.dot(X, (A - Y).T)",
        "propagate", "missing_1/m", "1/m is missing"),
    "doubled_1m": (
        "deep", "dW = (1 / m) * np.dot(dZ, A_prev.T)", "dW = (1 / m) * np.dot(dZ, A_prev.T) / m",
        "linear_backward", "double_1/m", "applied twice"),
    "relu_from_dA": (
        "deep", "from dnn_utils import sigmoid, sigmoid_backward, relu, relu_backward",
        RELU_FROM_DA, "relu_backward", "relu_from_dA", "Z <= 0"),
    "update_plus": (
        "shallow", 'new[name] = parameters[name] - learning_rate * grads["d" + name]',
        'new[name] = parameters[name] + learning_rate * grads["d" + name]',
        "update_parameters", "plus", "subtracts"),
    "zeros_init": (
        "deep", 'parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01',
        'parameters["W" + str(l)] = np.zeros((layer_dims[l], layer_dims[l - 1]))',
        "initialize_parameters_deep", "zeros", "all zero"),
    "cost_not_scalar": (
        "deep", "cost = np.squeeze(cost)", "cost = cost.reshape(1, 1)",
        "compute_cost", "not_scalar", "not a scalar"),
}


def plant(mistake, folder):
    """The correct solution with the one line of ``mistake`` changed, written into ``folder``;
    returns the file's name."""
    base, line, wrong = PLANTED[mistake][:3]
    with open(os.path.join(FILES, "correct_%s.py" % base)) as f:
        text = f.read()
    assert text.count(line) == 1, "the line to change must occur once in correct_%s.py" % base
    name = mistake + ".py"
    with open(os.path.join(folder, name), "w") as f:
        f.write(text.replace(line, wrong))
    return name


@pytest.mark.parametrize("mistake", sorted(PLANTED))
def test_each_planted_mistake_is_named(mistake, tmp_path, box):
    function, key, words = PLANTED[mistake][3:]
    found = results(box, plant(mistake, str(tmp_path)), folder=str(tmp_path))
    r = found[function]
    assert r.status == "FAIL" and r.details["mistake"] == key, (r.message, r.details)
    assert words in r.message and r.message_zh
    # The functions the mistake does not reach still pass.
    assert found.get("layer_sizes", found.get("linear_forward", found.get("sigmoid"))).status == "PASS"


def test_the_notebook_variant_names_erratum_3(box):
    r = results(box, "erratum3_tanh.ipynb")["backward_propagation"]
    assert r.status == "FAIL" and r.details["mistake"] == "erratum3", (r.message, r.details)
    assert "(1 - A1)^2" in r.message


def test_the_notebook_data_cell_does_not_run_and_its_functions_are_found(box):
    """The notebook's cell X, Y = load_planar_dataset() would raise; only definitions are taken."""
    found = results(box, "erratum3_tanh.ipynb")
    assert set(found) >= {"layer_sizes", "initialize_parameters", "forward_propagation", "nn_model", "predict"}
    assert found["forward_propagation"].status == "PASS"


def test_a_wrong_formula_without_a_known_variant_is_named_by_the_gradient_check(tmp_path, box):
    """backward_propagation with tanh' written 1 - A1^3: no listed variant matches, so the gradient
    check against the learner's own forward and cost names the gradient."""
    with open(os.path.join(FILES, "correct_shallow.py")) as f:
        text = f.read().replace("(1 - np.power(A1, 2))", "(1 - np.power(A1, 3))")
    (tmp_path / "cubed.py").write_text(text)
    r = results(box, "cubed.py", folder=str(tmp_path))["backward_propagation"]
    assert r.status == "FAIL" and r.details["mistake"] == "gradcheck" and "gradient check" in r.message
    assert max(r.details["gradient_check"].values()) > 1e-3


@pytest.mark.parametrize("mistake, elsewhere", [("erratum3_tanh", ["nn_model"]),
                                                ("relu_from_dA", ["linear_activation_backward",
                                                                  "L_model_backward", "L_layer_model"])])
def test_a_function_that_fails_only_through_another_passes_apart(mistake, elsewhere, tmp_path, box):
    """nn_model calls the learner's backward_propagation; checked apart from it (with the project's
    versions of the other functions, computed by the grader), its own code passes: the mistake is
    marked on one function only."""
    found = results(box, plant(mistake, str(tmp_path)), folder=str(tmp_path))
    assert [n for n, r in found.items() if r.status != "PASS"] == [PLANTED[mistake][3]]
    for name in elsewhere:
        assert found[name].details.get("apart") is True, (name, found[name])


def test_endless_loop_exception_and_huge_allocation_are_reported_and_the_rest_still_run():
    found = {r.name: r for r in check_file(os.path.join(FILES, "loops_and_raises.py"), timeout=3.0,
                                           memory_mb=512)}
    assert found["layer_sizes"].details["status"] == "timeout"
    assert found["compute_cost"].details["status"] == "error"
    assert "I have not written this yet" in found["compute_cost"].message
    assert found["predict"].details["status"] == "memory"
    assert found["backward_propagation"].status == "PASS" and found["forward_propagation"].status == "PASS"


@pytest.mark.parametrize("encoding", ["ascii", ""])
def test_script_exit_status_and_lines_under_an_ascii_locale(encoding, tmp_path):
    """Exit 1 on a mistake, one line per function. Under LC_ALL=C Python 3.7+ writes UTF-8 (the
    Chinese line then appears); where stdout really is ASCII, only the English is printed."""
    p = run_script("check_mine", os.path.join(str(tmp_path), plant("erratum3_tanh", str(tmp_path))),
                   "--timeout", str(TIMEOUT),
                   env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": encoding})
    p.out.encode("ascii" if encoding else "utf-8")  # ascii: raises on any other character
    out = p.out
    assert p.status == 1, p.err
    assert "FAIL  shallow.backward_propagation:" in out and "erratum 3" in out
    assert "PASS  shallow.layer_sizes" in out
    assert run_script("check_mine", os.path.join(FILES, "correct_shallow.py")).status == 0


def test_script_json(tmp_path):
    p = run_script("check_mine", os.path.join(str(tmp_path), plant("missing_1m", str(tmp_path))),
                   "--json", "--timeout", str(TIMEOUT))
    doc = json.loads(p.out)
    assert p.status == 1 and doc["passed"] is False
    propagate = [f for f in doc["functions"] if f["name"] == "propagate"][0]
    assert propagate["status"] == "FAIL" and propagate["details"]["mistake"] == "missing_1/m"


@pytest.mark.parametrize("content, words", [
    (None, "no such file"),
    ("def propagate(w, b, X, Y:\n    pass\n", "cannot parse"),
    ("import numpy as np\nx = np.zeros(3)\ndef my_helper():\n    return 1\n", "no function named"),
])
def test_bad_input_is_one_error_line_and_exit_2(tmp_path, content, words):
    path = str(tmp_path / "mine.py")
    if content is not None:
        with open(path, "w") as f:
            f.write(content)
    p = run_script("check_mine", path)
    assert_one_error_line(p.status, p.err, words)


def test_help_under_an_ascii_locale():
    p = run_script("check_mine", "--help", env={"LC_ALL": "C", "LANG": "C"})
    assert p.status == 0 and "LEARNER_FILE" in p.out
