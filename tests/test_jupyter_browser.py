"""The README's Jupyter command serves every notebook, on 127.0.0.1 only and with a token.

The server is started exactly as the README says (``./env.sh jupyter notebook notebooks/``, with the
STACK of the interpreter running the tests), plus a free port on the command line. Each notebook's
page is then opened in headless Chromium with the token, and the DOM Chromium rendered must hold the
notebook's title (the first markdown heading of the .ipynb, which the page only shows once its
JavaScript has fetched and rendered the notebook) and no error dialog. Where Chromium is missing the
browser tests are skipped, except in CI (``CI`` set), where that is a failure.
"""
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from conftest import ROOT, wait_for

# Kernels, a Jupyter server and a browser: minutes on a loaded machine (conftest.TIME_LIMIT)
pytestmark = [pytest.mark.slow, pytest.mark.time_limit(900)]

NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
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


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture(scope="module")
def server():
    """The README's Jupyter command running on a free port; yields (port, token, log path).

    Opening a notebook makes Notebook 7 write a checkpoint to notebooks/.ipynb_checkpoints/; that
    folder is removed afterwards unless it was there before."""
    tmp = tempfile.mkdtemp(prefix="jupyter-test-")
    checkpoints = os.path.join(ROOT, "notebooks", ".ipynb_checkpoints")
    had_checkpoints = os.path.exists(checkpoints)
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
        if not had_checkpoints:
            shutil.rmtree(checkpoints, ignore_errors=True)


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_the_notebook_page_renders_in_chromium(server, chromium, path):
    port, token, log_path = server
    url = "http://127.0.0.1:%d/notebooks/%s?token=%s" % (port, os.path.basename(path), token)
    text, classes = rendered(chromium(url))
    title = title_of(path)
    assert title in text, "the title %r is not on the page Chromium rendered; its text:\n%s" % (
        title, text[:2000])
    shown = sorted(ERROR_CLASSES & classes) + [m for m in ERROR_TEXTS if m in text]
    assert not shown, "error shown on the page: %s\npage text: %s\nserver log:\n%s" % (
        shown, text[:2000], read(log_path)[-3000:])
