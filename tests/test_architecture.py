"""The package's structure: imports go one way, and only tfcompat imports TensorFlow.

Read from the source with ``ast`` (module-level and function-level imports alike), so a cycle
hidden inside a function is found too.
"""
import ast
import os
import subprocess
import sys

from conftest import ROOT

PACKAGE = os.path.join(ROOT, "tf_models")


def modules():
    """{dotted name: path} of every module of tf_models."""
    found = {}
    for folder, _, files in os.walk(PACKAGE):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(folder, f)
                name = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                found[name[:-len(".__init__")] if name.endswith(".__init__") else name] = path
    return found


def imports(path, known):
    """The tf_models modules that the file at ``path`` imports, and the other top-level names."""
    with open(path, "rb") as f:
        tree = ast.parse(f.read())
    ours, others = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = node.module + "." + alias.name
                (ours if node.module.startswith("tf_models") else others).add(
                    full if full in known else node.module)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                (ours if alias.name.startswith("tf_models") else others).add(alias.name)
    return {m for m in ours if m in known}, {m.split(".")[0] for m in others}


def find_cycle(graph):
    """One import cycle of ``graph`` ({module: set of modules}) as a list, or None."""
    state = {}

    def visit(u, path):
        state[u] = "open"
        for v in sorted(graph[u]):
            if v == u:
                continue
            if state.get(v) == "open":
                return path[path.index(v):] + [v]
            if v not in state:
                found = visit(v, path + [v])
                if found:
                    return found
        state[u] = "done"
        return None

    for u in sorted(graph):
        if u not in state:
            found = visit(u, [u])
            if found:
                return found
    return None


def test_find_cycle_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_in_the_package():
    known = modules()
    graph = {name: imports(path, known)[0] for name, path in known.items()}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_only_tfcompat_imports_tensorflow():
    known = modules()
    importers = sorted(name for name, path in known.items() if "tensorflow" in imports(path, known)[1])
    assert importers == ["tf_models.graphs.tfcompat"]


def test_the_course_modules_load_without_tensorflow():
    """Importing the models, datasets and run machinery does not import TensorFlow (it takes a
    second): only building or running a graph does."""
    code = ("import sys; import tf_models.models, tf_models.datasets, tf_models.run.cli, "
            "tf_models.run.execute, tf_models.learner.compare_backends; print('tensorflow' in sys.modules)")
    out = subprocess.check_output([sys.executable, "-c", code], cwd="/")
    assert out.decode().strip() == "False"


def test_the_top_of_the_package_holds_the_course():
    """At most 12 modules at the top of tf_models/ (the course's concepts and the registry); the
    run machinery and the learner tools live in subpackages of their own."""
    top = sorted(f[:-3] for f in os.listdir(PACKAGE) if f.endswith(".py") and f != "__init__.py")
    assert len(top) <= 12, top
    for machinery in ("progress", "memory", "h5files", "tfcompat", "compare", "playground"):
        assert machinery not in top


def test_a_module_name_means_one_thing():
    """No two modules share a name in different places, except the NumPy/TF twins of a model
    (reference/ and graphs/) and each package's __init__."""
    twins = {"logistic", "shallow", "deep"}
    where = {}
    for name in modules():
        leaf = name.rsplit(".", 1)[-1]
        if name.count(".") >= 1 and os.path.exists(os.path.join(ROOT, *name.split("."))):
            continue  # a package
        where.setdefault(leaf, []).append(name)
    shared = {leaf: names for leaf, names in where.items() if len(names) > 1}
    for leaf, names in shared.items():
        allowed = {"tf_models.reference." + leaf, "tf_models.graphs." + leaf,
                   "tf_models.exercises." + leaf}  # and the exercises by model
        assert leaf in twins and set(names) <= allowed, names


# The layers, lowest first: a module imports from its own layer or lower ones, never higher.
LAYERS = [
    ("course", lambda n: n.count(".") == 1 and n.split(".")[1] not in ("models", "estimators")),
    ("reference and graphs", lambda n: n.startswith(("tf_models.reference", "tf_models.graphs"))),
    ("registry", lambda n: n == "tf_models.models"),
    ("built on the registry", lambda n: n.startswith(("tf_models.estimators", "tf_models.exercises",
                                                      "tf_models.demos"))),
    ("run machinery and learner tools", lambda n: n.startswith(("tf_models.run", "tf_models.learner"))),
]


def layer_of(name):
    if name == "tf_models":
        return 0
    return next(i for i, (_, test) in enumerate(LAYERS) if test(name))


def test_no_import_runs_back_up():
    """The course's modules never import the registry, the tools or the run machinery above them
    (the registry imports reference/ and graphs/, never the other way round)."""
    known = modules()
    upward = []
    for name, path in sorted(known.items()):
        for target in imports(path, known)[0]:
            if layer_of(target) > layer_of(name):
                upward.append("%s (%s) imports %s (%s)" % (
                    name, LAYERS[layer_of(name)][0], target, LAYERS[layer_of(target)][0]))
    assert upward == []


def test_no_module_writes_another_modules_state():
    """No ``X.STATE[...]`` from outside X: a run's state belongs to its transaction object."""
    known = modules()
    found = []
    for name, path in known.items():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for other in known:
            leaf = other.rsplit(".", 1)[-1]
            if other != name and (leaf + ".STATE[") in text:
                found.append("%s uses %s.STATE" % (name, leaf))
    assert found == []
