"""The project's solutions are not an answer: which of a learner's functions come from ``tf_models``.

Read from the learner's source, never run. A graded function is *taken* from the project when the
file imports it from a ``tf_models`` module (by name, or with ``*`` from that exercise's module)
instead of defining it, and *uses* the project when its definition, or one of the file's own
functions it calls, names something imported from ``tf_models`` or spells "tf_models" at all (a
path to the project's files, say). Neither gets a PASS (grade.py). After ``from tf_models... import
*`` the functions the file defines itself are still graded: in the sandbox they run without the
project, so one that leans on it fails there. Inside the sandbox the import
also fails (contained.py refuses it, and the project's files are outside the sandbox's view), so
this reading is what names the reason in the gradebook.
"""
import ast
from collections import namedtuple

PROJECT = "tf_models"
EXERCISES = ("logistic", "shallow", "deep")

# names: {local name: module} imported from the project; star: modules imported with *
Use = namedtuple("Use", "names star")


def imports(chunks):
    """The Use of the project by a learner's kept statements (loader chunks)."""
    names, star = {}, []
    for chunk in chunks:
        for node in _nodes(chunk.source):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if _is_project(alias.name):
                        names[alias.asname or alias.name.split(".")[0]] = alias.name
            elif isinstance(node, ast.ImportFrom) and not node.level and _is_project(node.module or ""):
                for alias in node.names:
                    if alias.name == "*":
                        star.append(node.module)
                    else:
                        names[alias.asname or alias.name] = "%s.%s" % (node.module, alias.name)
    return Use(names, star)


def exercises(use):
    """The exercises whose modules the file imports from the project, in the course's order (they
    tell what a file that defines no graded function was meant to be)."""
    paths = list(use.names.values()) + list(use.star)
    found = {part for path in paths for part in path.split(".") if part in EXERCISES}
    return [ex for ex in EXERCISES if ex in found]


def taken(function_names, exercise, defined, use):
    """The graded ``function_names`` of ``exercise`` that the file does not define but imports from
    the project (by name, or from that exercise's module with *)."""
    out = []
    for name in function_names:
        if name in defined:
            continue
        by_name = name in use.names
        by_star = any(_exercise_of(module) in (exercise, None) for module in use.star)
        if by_name or by_star:
            out.append(name)
    return out


def users(chunks, use):
    """The names of the file's own functions that use the project, directly or through another of
    the file's functions they call."""
    bodies = {c.name: c.source for c in chunks if c.name}
    refs = {name: _referenced(source) for name, source in bodies.items()}
    direct = {name for name, source in bodies.items()
              if PROJECT in source or refs[name] & set(use.names)}
    found = set(direct)
    changed = True
    while changed:
        changed = False
        for name in bodies:
            if name not in found and refs[name] & found:
                found.add(name)
                changed = True
    return found


def _referenced(source):
    return {n.id for n in _nodes(source) if isinstance(n, ast.Name)}


def _nodes(source):
    try:
        return list(ast.walk(ast.parse(source)))
    except SyntaxError:
        return []


def _is_project(module):
    return module == PROJECT or module.startswith(PROJECT + ".")


def _exercise_of(module):
    """"shallow" for tf_models.exercises.shallow (or reference.shallow); None when it is not one
    exercise's module."""
    last = module.split(".")[-1]
    return last if last in EXERCISES else None
