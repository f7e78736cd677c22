"""The README's Jupyter command serves every notebook, on 127.0.0.1 only and with a token.

The server is started exactly as the README says (``./env.sh jupyter notebook notebooks/``, with the
STACK of the interpreter running the tests), plus a free port on the command line. Each notebook's
page, the workbook's student notebooks (notebooks/workbook/<lang>/) included, is then opened in
headless Chromium with the token, and the DOM Chromium rendered must hold the notebook's title (the
first markdown heading of the .ipynb, which the page only shows once its JavaScript has fetched and
rendered the notebook) and no error dialog. Where Chromium is missing the browser tests are
skipped, except in CI (``CI`` set), where that is a failure.

A learner's session with the workbook goes through the same server as a browser's: a session for
the notebook (POST /api/sessions), then its kernel's websocket (/api/kernels/<id>/channels), on
which the cells run as the page sends them: a graded cell filled in, then its check, says PASS;
erratum 3 planted in backward_propagation is named.
"""
import asyncio
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from conftest import ROOT, free_port, wait_for
from test_checker import PLANTED
from test_workbook import correct_solution

# Kernels, a Jupyter server and a browser: minutes on a loaded machine (conftest.TIME_LIMIT)
pytestmark = [pytest.mark.slow, pytest.mark.time_limit(900)]

SERVED = os.path.join(ROOT, "notebooks")
NOTEBOOKS = sorted(glob.glob(os.path.join(SERVED, "*.ipynb")) +
                   glob.glob(os.path.join(SERVED, "workbook", "en", "*.ipynb")) +
                   glob.glob(os.path.join(SERVED, "workbook", "zh-CN", "*.ipynb")))
README_COMMAND = ["./env.sh", "jupyter", "notebook", "notebooks/"]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT = 180  # seconds; the first start of a stack compiles its Python files
PAGE_TIMEOUT = 180          # seconds of real time for one page in Chromium
# What the two front ends show when a notebook or its kernel fails: a dialog (the class of Notebook
# 6's Bootstrap modal, of Notebook 7's JupyterLab dialog) or one of these texts.
ERROR_CLASSES = {"modal-dialog", "jp-Dialog"}
ERROR_TEXTS = ["Error loading notebook", "Notebook failed to load", "Kernel error", "Dead kernel",
               "Failed to start the kernel", "404 : Not Found"]


def this_stack():
    """The env.sh STACK whose environment runs these tests (by its folder, else by Python version)."""
    name = os.path.basename(os.path.normpath(sys.prefix))
    if name.startswith(".venv-"):
        return name[len(".venv-"):]
    return {(3, 6): "pinned", (3, 7): "tf1"}.get(sys.version_info[:2], "modern")


def descendants(pid):
    """Process ids of every living descendant of ``pid`` (read from /proc)."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(proc, grace=20):
    """End ``proc`` and everything it started: SIGTERM (Jupyter then shuts its kernels down), then
    SIGKILL for whatever is still alive after ``grace`` seconds."""
    family = descendants(proc.pid)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in family + descendants(proc.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def listening_addresses(port):
    """Local addresses of the TCP sockets listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hexport = local.split(":")
                if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                    found.append(address)
    return found


class RenderedPage(HTMLParser):
    """The text of an HTML document (scripts and styles left out) and the classes of its elements."""

    def __init__(self):
        super().__init__()
        self.parts, self.classes, self._skip = [], set(), 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.classes.update((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def rendered(dom):
    """(text with whitespace runs collapsed, set of element classes) of a DOM dump."""
    page = RenderedPage()
    page.feed(dom)
    return " ".join(" ".join(page.parts).split()), page.classes


def title_of(path):
    """The first markdown heading of the notebook at ``path``, as plain text."""
    with open(path, encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return " ".join(re.sub(r"[*`]", "", line.lstrip("#")).split())
    raise AssertionError("%s has no markdown heading" % path)


def checkpoint_folders():
    """The .ipynb_checkpoints folders under notebooks/ (Notebook 7 writes one beside a notebook it opens)."""
    return set(glob.glob(os.path.join(SERVED, "**", ".ipynb_checkpoints"), recursive=True))


@pytest.fixture(scope="module")
def server():
    """The README's Jupyter command running on a free port; yields (port, token, log path).

    Opening a notebook makes Notebook 7 write a checkpoint to a .ipynb_checkpoints/ folder beside
    it; the folders that were not there before are removed afterwards."""
    tmp = tempfile.mkdtemp(prefix="jupyter-test-")
    had_checkpoints = checkpoint_folders()
    port = free_port()
    env = dict(os.environ, STACK=this_stack(), BROWSER="true",  # BROWSER: open no browser window
               JUPYTER_RUNTIME_DIR=os.path.join(tmp, "runtime"))
    env.pop("JUPYTER_TOKEN", None)
    log_path = os.path.join(tmp, "server.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(README_COMMAND + ["--port=%d" % port, "--port-retries=0"], cwd=ROOT,
                                env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        token = wait_for_token(proc, port, log_path)
        yield port, token, log_path
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
        for folder in checkpoint_folders() - had_checkpoints:
            shutil.rmtree(folder, ignore_errors=True)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def wait_for_token(proc, port, log_path):
    """The token from the URL the server prints, once the server answers with it."""
    def token():
        if proc.poll() is not None:
            pytest.fail("the Jupyter server exited (%s):\n%s" % (proc.returncode, read(log_path)))
        found = re.search(r"http://127\.0\.0\.1:%d/\S*\?token=([0-9a-f]+)" % port, read(log_path))
        if found and http_status(port, "/api/status?token=" + found.group(1)) == 200:
            return found.group(1)
        return None
    return wait_for(token, "a Jupyter server answering on port %d" % port, SERVER_START_TIMEOUT,
                    every=0.5)


def http_status(port, path):
    """The HTTP status of GET http://127.0.0.1:port/path (None when nothing answers)."""
    try:
        with urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as response:
            return response.status
    except HTTPError as e:
        return e.code
    except OSError:
        return None


@pytest.fixture
def chromium():
    """A function that renders a URL in headless Chromium and returns the DOM; each call gets a new
    profile folder, and the browser's whole process group is killed afterwards."""
    binary = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium")
                                          else None)
    if binary is None:
        reason = "Chromium is not installed (apt-get install chromium); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(reason + ", and CI must run the browser tests")
        pytest.skip(reason)
    started = []

    def render(url, budget_ms=30000):
        profile = tempfile.mkdtemp(prefix="chromium-profile-")
        started.append(profile)
        proc = subprocess.Popen([binary] + CHROMIUM_FLAGS + [
            "--user-data-dir=" + profile, "--virtual-time-budget=%d" % budget_ms, "--dump-dom", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            start_new_session=True)
        started.append(proc)
        try:
            out, err = proc.communicate(timeout=PAGE_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail("Chromium did not finish %s within %d s" % (url, PAGE_TIMEOUT))
        assert proc.returncode == 0, "Chromium failed on %s:\n%s" % (url, err.decode(errors="replace"))
        return out.decode("utf-8", errors="replace")

    yield render
    for item in started:
        if isinstance(item, str):
            shutil.rmtree(item, ignore_errors=True)
        else:
            try:
                os.killpg(item.pid, signal.SIGKILL)
            except OSError:
                pass
            item.wait()


def test_there_are_notebooks_to_open():
    assert NOTEBOOKS


def test_the_server_listens_on_loopback_only(server):
    port, _, _ = server
    addresses = listening_addresses(port)
    assert addresses, "nothing listens on port %d" % port
    assert set(addresses) == {"0100007F"}, "listening on %s, not only 127.0.0.1" % addresses


def test_the_server_refuses_requests_without_the_token(server):
    port, token, _ = server
    assert http_status(port, "/api/contents?token=" + token) == 200
    assert http_status(port, "/api/contents") in (401, 403)
    assert http_status(port, "/api/contents?token=0" + token) in (401, 403)


def test_the_workbook_notebooks_are_served_too():
    for lang in ("en", "zh-CN"):
        assert len([p for p in NOTEBOOKS if os.sep + os.path.join("workbook", lang) + os.sep in p]) == 3


def served_path(path):
    """The notebook's path as the server names it (relative to notebooks/, with slashes)."""
    return os.path.relpath(path, SERVED).replace(os.sep, "/")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[served_path(p) for p in NOTEBOOKS])
def test_the_notebook_page_renders_in_chromium(server, chromium, path):
    port, token, log_path = server
    url = "http://127.0.0.1:%d/notebooks/%s?token=%s" % (port, served_path(path), token)
    text, classes = rendered(chromium(url))
    title = title_of(path)
    assert title in text, "the title %r is not on the page Chromium rendered; its text:\n%s" % (
        title, text[:2000])
    shown = sorted(ERROR_CLASSES & classes) + [m for m in ERROR_TEXTS if m in text]
    assert not shown, "error shown on the page: %s\npage text: %s\nserver log:\n%s" % (
        shown, text[:2000], read(log_path)[-3000:])


# -- a learner's session with the workbook, through the server ---------------------------------------

def api(port, token, method, path, body=None):
    """A call of the server's REST API with the token (as the page makes it); the JSON answer."""
    request = Request("http://127.0.0.1:%d%s" % (port, path), method=method,
                      data=None if body is None else json.dumps(body).encode("utf-8"),
                      headers={"Authorization": "token " + token, "Content-Type": "application/json"})
    with urlopen(request, timeout=60) as response:
        text = response.read().decode("utf-8")
    return json.loads(text) if text else None


def run_cells(port, token, kernel_id, cells, timeout=120):
    """Run each source of ``cells`` on the kernel's websocket, as the notebook page does; returns
    what each printed (its stream outputs), and fails on an error output."""
    from tornado.websocket import websocket_connect
    session = uuid.uuid4().hex

    async def talk():
        url = "ws://127.0.0.1:%d/api/kernels/%s/channels?session_id=%s&token=%s" % (
            port, kernel_id, session, token)
        ws = await websocket_connect(url)
        printed = []
        for code in cells:
            msg_id = uuid.uuid4().hex
            ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                           "username": "learner", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            text, replied, idle = "", False, False
            while not (replied and idle):
                message = await ws.read_message()
                assert message is not None, "the kernel's websocket closed"
                msg = json.loads(message)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                assert kind != "error", "%s: %s\n%s" % (content["ename"], content["evalue"], code)
                text += content.get("text", "") if kind == "stream" else ""
                replied = replied or kind == "execute_reply"
                idle = idle or (kind == "status" and content.get("execution_state") == "idle")
            printed.append(text)
        ws.close()
        while await ws.read_message() is not None:  # until the close is answered: nothing left pending
            pass
        return printed

    loop = asyncio.new_event_loop()
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(asyncio.wait_for(talk(), timeout * len(cells)))
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def notebook_cell(path, cell_id):
    with open(path, encoding="utf-8") as f:
        cell = next(c for c in json.load(f)["cells"] if c.get("id") == cell_id)
    return "".join(cell["source"])


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_learner_fills_a_cell_sees_pass_and_sees_erratum_3_named(server, lang):
    port, token, _ = server
    path = os.path.join(SERVED, "workbook", lang, "1.3_one_hidden_layer.ipynb")
    functions, imports = correct_solution("shallow")
    line, wrong = PLANTED["erratum3_tanh"][1:3]
    assert "raise NotImplementedError" in notebook_cell(path, "layer-sizes")
    session = api(port, token, "POST", "/api/sessions", {"path": served_path(path), "type": "notebook",
                                                         "name": "", "kernel": {"name": "python3"}})
    try:
        printed = run_cells(port, token, session["kernel"]["id"], [
            notebook_cell(path, "setup"),
            notebook_cell(path, "layer-sizes"), 'check("layer_sizes")',  # as handed out
            functions["layer_sizes"], 'check("layer_sizes")',            # filled in
            "\n".join(imports) + "\n\n" + functions["backward_propagation"].replace(line, wrong),
            'check("backward_propagation")'])
    finally:
        api(port, token, "DELETE", "/api/sessions/" + session["id"])
    assert printed[2].startswith("FAIL  shallow.layer_sizes: " + ("not done yet" if lang == "en" else "尚未完成"))
    assert printed[4] == "PASS  shallow.layer_sizes\n"
    first, second = printed[6].splitlines()
    assert first.startswith("FAIL  shallow.backward_propagation: ")
    assert "erratum 3" in first if lang == "en" else ("勘误 3" in first and "erratum 3" in second)
