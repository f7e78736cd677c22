"""Read a learner's .py file or .ipynb notebook: the top-level statements its functions need.

A graded function needs what an import of the file gives it: its modules, however imported (in a
``try`` or an ``if`` too), its helper functions and classes (decorated or not), aliases and computed
values (``_exp = np.exp``, ``EPS = np.finfo(float).eps``). The file's other top-level work (loading
data the checker does not have, training, plotting, printing, the exercises' test calls) must not
stop the checker, nor cost every check its time.

So the file is cut into its top-level statements, and symtable tells, for each, the names it binds
and the names it reads (in its own top-level code and in the functions and classes it defines). A
statement is kept when it binds a name that a graded function needs; then what the kept ones read is
needed too, and so on. The rest never runs: a print, a plot, ``parameters = nn_model(X, Y, 4)`` when
no graded function reads ``parameters``. Nothing of the learner's code runs here: the sandbox runs
the kept statements, in file order, in its child process.

The cut comes from the tokens: a statement runs from its first token at the top level to its last
one (a decorated def with its decorators, a ``try`` with its handlers, ``a = 1; b = 2`` as one).
The ast cannot give it on Python 3.6 and 3.7: there is no end_lineno, and a multi-line string's
lineno is its last line.
"""
import __future__
import ast
import io
import os
import symtable
import sys
import tokenize
from collections import namedtuple

from tf_models.learner.checker import course_helpers, source

# What the checker runs: the kept chunks, the names of the functions the file defines, the cells
# skipped (with why), and every top-level statement (to keep another set of them, see needed()).
Learner = namedtuple("Learner", "path chunks functions skipped statements")
# One statement as the sandbox runs it. kind "def" (a top-level def or class) must run; kind
# "import" (an import, or any other kept statement) runs in a try: when it fails its names stay
# undefined, and a course helper module that is missing gets the stand-ins of course_helpers.
Chunk = namedtuple("Chunk", "kind source line name")
# A top-level statement: its chunk, the names it binds (or changes: ``ACT["relu"] = relu``), the
# names it reads, and for a definition the names of its decorators.
Statement = namedtuple("Statement", "chunk binds reads decorators")

# Clauses that continue a compound statement at its own indentation.
_CONTINUATIONS = ("else", "elif", "except", "finally")
# A function that looks names up by their strings may need any definition of the file.
_LOOKUPS = {"globals", "vars", "eval", "exec"}


def load(path, needed_by=None):
    """The Learner of a .py or .ipynb file, keeping what the functions named ``needed_by`` need
    (default: every function the file defines); ValueError (one line) when it cannot be read or
    parsed."""
    if not os.path.isfile(path):
        raise ValueError("no such file: %s (give a learner's .py file or .ipynb notebook)" % path)
    cells = source.cells(path)
    cutter, skipped = _Cutter(path), []
    for cell in cells:
        try:
            compile(cell.text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:  # ValueError: null bytes, before Python 3.12
            where = getattr(e, "lineno", None)
            where = " (line %d)" % (where + cell.line - 1) if where else ""
            if len(cells) == 1:
                raise ValueError("cannot parse %s: %s%s" % (path, getattr(e, "msg", e), where))
            skipped.append("cell at line %d does not parse (%s)" % (cell.line, getattr(e, "msg", e)))
            continue
        cutter.cut(cell)
    learner = Learner(path, [], cutter.functions, skipped, cutter.statements)
    return needed(learner, learner.functions if needed_by is None else needed_by)


def needed(learner, names):
    """The learner whose chunks are the statements that the functions ``names`` need, in file order."""
    definitions = {n for s in learner.statements if s.chunk.kind == "def" for n in s.binds}
    wanted, kept = set(names), set()
    grown = True
    while grown:
        grown = False
        if wanted & _LOOKUPS:
            wanted |= definitions
        for i, statement in enumerate(learner.statements):
            # A definition decorated by one of the file's own functions runs: the decorator may
            # register it (``@register`` filling a dict the graded functions read).
            if i not in kept and (statement.binds & wanted or "*" in statement.binds
                                  or statement.decorators & definitions):
                kept.add(i)
                wanted |= statement.reads
                grown = True
    chunks = [s.chunk for i, s in enumerate(learner.statements) if i in kept]
    return learner._replace(chunks=chunks)


class _Cutter(object):
    """Cuts the cells of one file into Statements, in order. It owns what a statement's meaning
    depends on from the statements before it: the names bound by imports (a method called on a
    module changes no name of the file), the names bound to functions, and the __future__ imports
    (a chunk is compiled on its own, so each later chunk carries them)."""

    def __init__(self, path):
        self.path = path
        self.statements, self.functions = [], []
        self.imported, self.bound, self.futures = set(), set(), []

    def cut(self, cell):
        lines = cell.text.split("\n")
        for first, last in _spans(cell.text):
            text = "\n".join(lines[first - 1:last])
            self._add(text, cell.line + first - 1)

    def _add(self, text, line):
        try:
            tree = ast.parse(text)
            binds, reads = _names(symtable.symtable(text, self.path, "exec"))
        except SyntaxError:  # read alone it means something else (a __future__ syntax): run it anyway
            chunk = Chunk("import", text, line, None)
            self.statements.append(Statement(self._with_futures(chunk), {"*"}, set(), set()))
            return
        self.imported |= {n for node in _top_level(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                          for n in _imported_names(node)}
        binds |= _changed(tree, self.imported)
        for node in _nested_helper_imports(tree):
            chunk = Chunk("import", _import_text(node), line + node.lineno - 1, None)
            self.statements.append(Statement(self._with_futures(chunk), set(_imported_names(node)),
                                             set(), set()))
        node = tree.body[0]
        single = len(tree.body) == 1 and isinstance(node, (ast.FunctionDef, ast.ClassDef))
        name = node.name if single and isinstance(node, ast.FunctionDef) else None
        decorators = {_root(d) for d in node.decorator_list} - {None} if single else set()
        chunk = Chunk("def" if single else "import", text, line, name)
        self.statements.append(Statement(self._with_futures(chunk), binds, reads, decorators))
        self.bound |= binds - self.imported
        self.functions.extend(n for n in _functions(tree, self.functions, self.bound)
                              if n not in self.functions)
        self.futures.extend((line + n.lineno - 1, [a.name for a in n.names if _changes_meaning(a.name)])
                            for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__")
        self.futures = [f for f in self.futures if f[1]]

    def _with_futures(self, chunk):
        """The chunk with the file's __future__ imports that still change the meaning of code
        (``annotations``), before it, at the line of the first."""
        if not self.futures:
            return chunk
        first = self.futures[0][0]
        names = ", ".join(n for _, names in self.futures for n in names)
        return chunk._replace(source="from __future__ import %s%s%s" % (
            names, "\n" * (chunk.line - first), chunk.source), line=first)


def _changes_meaning(feature):
    """Whether ``from __future__ import feature`` changes what code means on this Python (most
    features are the default of every Python 3 and change nothing)."""
    release = getattr(getattr(__future__, feature, None), "getMandatoryRelease", lambda: None)()
    return release is None or release > sys.version_info


def _spans(text):
    """[(first line, last line)] of each top-level statement of ``text``, from its tokens."""
    spans, start, end, depth = [], None, None, 0
    at_line_start, decorated = True, False
    try:
        for kind, string, begin, finish, _ in tokenize.generate_tokens(io.StringIO(text).readline):
            if kind == tokenize.INDENT:
                depth += 1
            elif kind == tokenize.DEDENT:
                depth -= 1
            elif kind == tokenize.NEWLINE:
                at_line_start = True
            elif kind not in (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
                if at_line_start and depth == 0:
                    if start is not None and not decorated and string not in _CONTINUATIONS:
                        spans.append((start, end))
                        start = None
                    start = begin[0] if start is None else start
                    decorated = string == "@"
                at_line_start = False
                end = finish[0]
    except (tokenize.TokenError, SyntaxError):  # the parser read it, so this is tokenize's own limit
        return [(1, len(text.split("\n")))]
    if start is not None:
        spans.append((start, end))
    return spans


def _names(table):
    """(names bound, names read) by a top-level statement, from its symbol table."""
    binds = {s.get_name() for s in table.get_symbols()
             if s.is_assigned() or s.is_imported() or s.is_namespace()}
    reads = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    for child in table.get_children():
        reads |= _globals(child)
    return binds, reads


def _globals(table):
    """The module-level names a function's or class's body (and what it nests) reads."""
    names = {s.get_name() for s in table.get_symbols() if s.is_global()}
    for child in table.get_children():
        names |= _globals(child)
    return names


def _top_level(tree):
    """The statements that run when the module runs: those of the module and, recursively, of its
    compound statements (if, try, for, with, ...), but not the bodies of its functions and classes."""
    for node in tree.body:
        for inner in _run_with(node):
            yield inner


def _run_with(node):
    yield node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for _, value in ast.iter_fields(node):
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.stmt):
                    for inner in _run_with(item):
                        yield inner
                elif hasattr(item, "body") and isinstance(item.body, list):  # except and case clauses
                    for statement in item.body:
                        for inner in _run_with(statement):
                            yield inner


def _changed(tree, imported):
    """Names whose value a statement changes without binding them: ``ACT["relu"] = relu``,
    ``net.W = W``, ``del cache[0]``, ``layers.append(5)`` (a method called on a name that is not a
    module: ``np.random.seed(1)`` changes no name of the file)."""
    out = set()
    for node in _top_level(tree):
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            root = _root(node.value.func) if isinstance(node.value.func, ast.Attribute) else None
            out |= {root} - imported - {None}
            continue
        else:
            continue
        for target in targets:
            for element in _unpacked(target):
                if isinstance(element, (ast.Subscript, ast.Attribute)):
                    out |= {_root(element)} - {None}
    return out


def _unpacked(target):
    if isinstance(target, (ast.Tuple, ast.List)):
        return [e for t in target.elts for e in _unpacked(t)]
    if isinstance(target, ast.Starred):
        return _unpacked(target.value)
    return [target]


def _root(node):
    """``a`` of ``a.b[c].d``, or None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _functions(tree, known, bound):
    """Names a statement binds to functions at the top level: ``def``s (in an if or a try too),
    lambdas, aliases of functions ``known`` (``propagate = propagate_vectorized``) and attributes
    of what the file itself ``bound`` (``sigmoid = Ops.sigmoid``, not ``_exp = np.exp``)."""
    out = []
    for node in _top_level(tree):
        if isinstance(node, ast.FunctionDef):
            out.append(node.name)
        elif isinstance(node, ast.Assign) and (
                isinstance(node.value, ast.Lambda)
                or isinstance(node.value, ast.Name) and node.value.id in set(known) | set(out)
                or isinstance(node.value, ast.Attribute) and _root(node.value) in bound):
            out.extend(t.id for t in node.targets if isinstance(t, ast.Name))
    return out


def _nested_helper_imports(tree):
    """Imports of a course helper module inside a compound statement (``try: from dnn_utils import
    ...``). The learner has the module; the checker does not, so a failed import would leave names
    that the learner has: each is also run on its own before the statement, where its stand-ins
    apply (see course_helpers)."""
    top = set(map(id, tree.body))
    return [node for node in _top_level(tree) if id(node) not in top
            and isinstance(node, (ast.Import, ast.ImportFrom))
            and any(course_helpers.is_helper_module(m) for m in _modules(node))]


def _modules(node):
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""] if not node.level else []
    return [a.name for a in node.names]


def _imported_names(node):
    return [a.asname or a.name.split(".")[0] for a in node.names]


def _import_text(node):
    """The source of an import statement, on one line."""
    names = ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return "from %s%s import %s" % ("." * node.level, node.module or "", names)
    return "import " + names
