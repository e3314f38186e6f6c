"""Drive a real JupyterLab in a real Chromium, as a student would: the shared plumbing of
the browser tests (tests/browser/) and the browser latency benchmark
(benchmarks/browser_latency.py).

* :class:`LabServer` starts ``jupyter lab`` on 127.0.0.1 with a random token and a free
  port, serving a temporary COPY of notebooks/ (Run All and autosave never touch the
  committed notebooks), with its own settings, workspaces, config and runtime folders.
  ``stop()`` shuts every kernel down, then ends the server's process group, whatever
  happened.
* :func:`launch_chromium` starts Debian's ``chromium`` through Python playwright
  (``playwright install`` downloads its own browser, which cannot happen here).
* :class:`NotebookPage` opens one notebook, runs all cells from the Run menu, waits for
  the kernel to be idle, reads the errors shown, and finds the explorers (a live widget
  with a slider, and the picture it draws) to move with the keyboard.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from attention_lib import tensorflow_env

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
#: The Chinese edition (issue 15), opened with JupyterLab's interface in Chinese.
ZH_NOTEBOOKS = NOTEBOOKS / "zh-CN"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]

#: JupyterLab settings for the test server: every cell attached to the page (so a tall
#: screenshot shows them all and every output can be inspected), and no news or update
#: checks (no network, no toast over the notebook).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
}


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every NN_*.ipynb of ``folder`` (notebooks/ by default), in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


@functools.cache
def _language_pack(locale: str) -> dict[str, str]:
    """Every English text of JupyterLab's interface and its translation in ``locale``, from
    the installed language pack (jupyterlab-language-pack-zh-CN for zh_CN)."""
    import importlib

    package = importlib.import_module(f"jupyterlab_language_pack_{locale}")
    folder = Path(package.__file__).parent / "locale" / locale / "LC_MESSAGES"
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        for english, translated in json.loads(path.read_text(encoding="utf-8")).items():
            if english and isinstance(translated, list) and translated and translated[0]:
                texts.setdefault(english, translated[0])
    return texts


def interface_text(english: str, locale: str = "en") -> str:
    """What JupyterLab's interface shows for ``english`` in ``locale`` ("en" or "zh_CN")."""
    if locale == "en":
        return english
    return _language_pack(locale)[english]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_missing_message() -> str | None:
    """None when Chromium and playwright are usable, else what is missing."""
    if not Path(CHROMIUM).exists():
        return (f"Chromium not found at {CHROMIUM} (Debian: apt-get install -y chromium; "
                "or set CHROMIUM=/path/to/chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install -r requirements.txt)"
    return None


def launch_chromium(playwright, *, headless: bool = True):
    """Debian's Chromium driven by playwright (its own browser download is not used)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=headless,
                                      args=CHROMIUM_ARGS)


@dataclass
class LabServer:
    """``jupyter lab`` on 127.0.0.1 serving a temporary copy of ``notebooks``."""

    notebooks: list[Path] = field(default_factory=notebook_paths)
    #: More command-line options for ``jupyter lab`` (the latency benchmark uses one to
    #: switch attention_lib.lab_server off for its comparison).
    extra_args: list[str] = field(default_factory=list)
    startup_timeout: float = 90.0
    port: int = 0
    token: str = ""
    root_dir: Path | None = None
    _tmp: tempfile.TemporaryDirectory | None = None
    _proc: subprocess.Popen | None = None
    _log: io.TextIOBase | None = None

    def start(self) -> LabServer:
        self._tmp = tempfile.TemporaryDirectory(prefix="attention-lab-")
        base = Path(self._tmp.name)
        self.root_dir = base / "notebooks"
        self.root_dir.mkdir()
        for nb in self.notebooks:
            shutil.copy2(nb, self.root_dir / nb.name)
        settings = base / "settings"
        for rel, value in LAB_SETTINGS.items():
            target = settings / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(value), encoding="utf-8")
        for sub in ("workspaces", "config", "runtime"):
            (base / sub).mkdir()
        self.port = free_port()
        self.token = secrets.token_hex(24)
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
               f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root_dir}",
               f"--LabApp.user_settings_dir={settings}",
               f"--LabApp.workspaces_dir={base / 'workspaces'}",
               "--LabApp.news_url=None"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        cmd += self.extra_args
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"),
                   JUPYTER_RUNTIME_DIR=str(base / "runtime"),
                   **tensorflow_env.QUIET,
                   PYTHONDONTWRITEBYTECODE="1")
        self._log = open(base / "server.log", "w+", encoding="utf-8")  # noqa: SIM115
        self._proc = subprocess.Popen(cmd, cwd=self.root_dir, env=env, stdout=self._log,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self._proc.returncode}:\n"
                                   f"{self.log_tail()}")
            with contextlib.suppress(OSError):
                self.api("GET", "/api/status", timeout=2)
                return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer within "
                                   f"{self.startup_timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.25)

    def add_notebook(self, name: str, cells: list[str]) -> None:
        """Write a notebook of code cells into the served folder (for the benchmark)."""
        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, self.root_dir / name)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, name: str, locale: str = "en") -> str:
        """Open JupyterLab at one notebook, in a fresh workspace; with ``locale="zh_CN"``
        through attention_lib.lab_server's ``lab-zh`` link, which switches the interface to
        Chinese first (as the Chinese Binder links do)."""
        prefix = {"en": "lab", "zh_CN": "lab-zh"}[locale]
        return f"{self.url}/{prefix}/tree/{name}?reset&token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}{path}", method=method, data=data,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def stop_presenting(self) -> None:
        """Save jupyterlab-slideshow's ``active`` setting as false: the deck saves it as
        true when it starts, and the next page would open presenting (no menu bar)."""
        self.api("PUT", "/lab/api/settings/jupyterlab-slideshow:plugin",
                 body={"raw": json.dumps({"active": False})})

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (between notebooks, and before stopping)."""
        with contextlib.suppress(OSError, urllib.error.URLError):
            for kernel in self.api("GET", "/api/kernels"):
                with contextlib.suppress(OSError, urllib.error.URLError):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)

    @property
    def low_latency(self) -> bool:
        """Whether the server loaded attention_lib.lab_server (TCP_NODELAY on kernel
        websockets), as its log says."""
        return "kernel websockets use TCP_NODELAY" in self.log_tail(10**7)

    def log_tail(self, n: int = 4000) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()[-n:]

    def stop(self) -> None:
        """Kernels first, then SIGTERM to the server's process group, SIGKILL if it
        lingers; then remove the temporary folder. Safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                self.shutdown_kernels()
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            # Anything left in the group (a kernel that ignored the shutdown).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> LabServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- one notebook in the page -------------------------------------------------------------

#: Explorers: a live widget view holding a slider or a dropdown. Each gets a data-explorer
#: attribute (its index), and its picture a data-explorer-picture attribute: the canvas
#: (attention_lib.widgets.FigureCanvas) or image inside the widget, or, for a widget that
#: draws into an empty Output only once a slider moves (notebook 08's window slider), the
#: last picture shown above it. Returns the count.
PICTURES = "canvas.attention-figure, img"
_MARK_EXPLORERS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const outs = [...panel.querySelectorAll('.jp-OutputArea-output')].filter(
      o => !o.parentElement.closest('.jp-OutputArea-output'));
  const found = outs.filter(o => o.querySelector(
      '.widget-slider .noUi-handle, .widget-dropdown select'));
  const images = [...panel.querySelectorAll(
      '.jp-OutputArea-output canvas.attention-figure, .jp-OutputArea-output img')];
  found.forEach((o, i) => {
    o.setAttribute('data-explorer', String(i));
    let picture = o.querySelector('canvas.attention-figure, img');
    if (!picture) {
      const above = images.filter(img => !o.contains(img) &&
          (img.compareDocumentPosition(o) & Node.DOCUMENT_POSITION_FOLLOWING));
      picture = above[above.length - 1];
    }
    if (picture) picture.setAttribute('data-explorer-picture', String(i));
  });
  return found.length;
}"""


_CANVAS_VS_STILL = """async (out) => {
  const canvas = out.querySelector('canvas.attention-figure');
  const child = out.closest('.jp-OutputArea-child');
  const before = child && child.previousElementSibling;
  const still = before && before.querySelector('.jp-OutputArea-output img');
  if (!canvas || !still) return null;
  await still.decode();
  const w = canvas.width, h = canvas.height;
  const live = canvas.getContext('2d').getImageData(0, 0, w, h).data;
  const scratch = document.createElement('canvas');
  scratch.width = still.naturalWidth; scratch.height = still.naturalHeight;
  const ctx = scratch.getContext('2d');
  ctx.drawImage(still, 0, 0);
  const result = {canvas: [w, h], still: [still.naturalWidth, still.naturalHeight]};
  if (w !== still.naturalWidth || h !== still.naturalHeight) return result;
  const ref = ctx.getImageData(0, 0, w, h).data;
  let differ = 0;
  for (let i = 0; i < live.length; i += 4) {
    if (Math.abs(live[i] - ref[i]) > 16 || Math.abs(live[i + 1] - ref[i + 1]) > 16 ||
        Math.abs(live[i + 2] - ref[i + 2]) > 16) differ++;
  }
  result.differ = differ / (w * h);
  return result;
}"""


_PROMPTS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim())"""
_NO_COUNTS = f"() => ({_PROMPTS})().every(t => !/\\d/.test(t))"
_RUN_FINISHED = f"""() => {{
  const ind = document.querySelector(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  if (!ind || ind.getAttribute('data-status') !== 'idle') return false;
  const prompts = ({_PROMPTS})();
  if (prompts.some(t => t === '[*]:')) return false;
  const failed = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) ' +
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  return failed !== null || prompts.every(t => /^\\[\\d+\\]:$/.test(t));
}}"""


@dataclass
class RunResult:
    seconds: float
    code_cells: int
    executed: int
    errors: list[str]


class NotebookPage:
    """One notebook open in JupyterLab, in a playwright page."""

    PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

    def __init__(self, page, server: LabServer, name: str, locale: str = "en") -> None:
        self.page = page
        self.server = server
        self.name = name
        #: The interface's language: "en", or "zh_CN" (menus read 文件 编辑 ... 运行).
        self.locale = locale

    def t(self, english: str) -> str:
        """An interface text as this page shows it (see :func:`interface_text`)."""
        return interface_text(english, self.locale)

    def open(self, timeout_ms: float = 90_000) -> None:
        page = self.page
        page.goto(self.server.notebook_url(self.name, self.locale),
                  wait_until="domcontentloaded", timeout=timeout_ms)
        page.wait_for_selector(f"{self.PANEL} .jp-Notebook .jp-Cell", timeout=timeout_ms)
        # The kernel has started when the status bar names it and it is idle.
        page.wait_for_function(
            """idle => { const s = document.querySelector('#jp-main-statusbar');
               const t = s ? s.innerText : '';
               return t.includes('Python 3') && t.includes(idle); }""",
            arg=self.t("Idle"), timeout=timeout_ms, polling=200)
        # Hide the file browser: the notebook gets the whole width (and the screenshot).
        if page.locator("#jp-left-stack").is_visible():
            page.keyboard.press("Control+b")

    def menu(self, menu: str, item: str) -> None:
        """Click a menu bar entry, then one of its items, as a student would."""
        page = self.page
        page.locator(".lm-MenuBar-itemLabel", has_text=self.t(menu)).first.click()
        page.locator(".lm-Menu-content .lm-Menu-itemLabel").get_by_text(
            self.t(item), exact=True).first.click()

    def menu_bar(self) -> list[str]:
        """The menu bar's labels, left to right (File Edit View ..., or 文件 编辑 ...)."""
        return [e.inner_text() for e in self.page.locator(".lm-MenuBar-itemLabel").all()]

    def run_all(self, timeout_ms: float = 300_000) -> RunResult:
        """Edit > Clear Outputs of All Cells, then Run > Run All Cells; wait until the
        kernel is idle and every code cell has an execution count, or an error stopped
        the run (JupyterLab then leaves the rest unrun)."""
        page = self.page
        page.locator(f"{self.PANEL} .jp-Cell").first.click()
        self.menu("Edit", "Clear Outputs of All Cells")
        page.wait_for_function(_NO_COUNTS, timeout=30_000, polling=100)
        start = time.perf_counter()
        self.menu("Run", "Run All Cells")
        page.wait_for_function(_RUN_FINISHED, timeout=timeout_ms, polling=250)
        seconds = time.perf_counter() - start
        prompts = page.evaluate(_PROMPTS)
        executed = sum(1 for t in prompts if t[1:-2].isdigit())
        return RunResult(seconds, len(prompts), executed, self.errors())

    def errors(self) -> list[str]:
        """Text of every error or stderr output shown in the notebook."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll(
                 '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output' +
                 '[data-mime-type="application/vnd.jupyter.stderr"]')]
                 .map(e => e.innerText.slice(0, 2000))""")

    def explorers(self) -> list[tuple]:
        """(widget, index) of every explorer (a live widget with a slider or a dropdown),
        in notebook order."""
        n = self.page.evaluate(_MARK_EXPLORERS)
        return [(self.page.locator(f"{self.PANEL} [data-explorer='{i}']"), i)
                for i in range(n)]

    def canvas_vs_still(self, explorer) -> dict | None:
        """Compare the explorer's live canvas, pixel by pixel, with the still picture shown
        just above it (the same first state, drawn by matplotlib: LiveFigure.png). Returns
        None for an explorer without a canvas or a still picture, else the two sizes and
        the fraction of pixels that differ by more than 16 in some channel (the texts'
        antialiasing differs a little between FreeType and the browser)."""
        return explorer.evaluate(_CANVAS_VS_STILL)

    def move_control(self, explorer, index: int,
                     timeout_ms: float = 30_000) -> tuple[bytes, bytes]:
        """Press one arrow key on the explorer's first enabled slider (Right, or Left at
        the top of its range) or, without a slider, choose the next option of its first
        dropdown with the keyboard; wait until the picture it draws changes. Returns the
        picture (PNG screenshot) before and after."""
        page = self.page
        explorer.scroll_into_view_if_needed()
        before_picture = page.locator(f"{self.PANEL} [data-explorer-picture='{index}']")
        assert before_picture.count() == 1, f"explorer {index} shows no picture"
        before = before_picture.screenshot()
        handles = explorer.locator(
            ".widget-slider:not([disabled]) .noUi-handle:not([disabled])")
        if handles.count():
            control = handles.first
            control.focus()
            at_end = control.get_attribute("aria-valuenow") == control.get_attribute(
                "aria-valuemax")
            page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
        else:
            control = explorer.locator(".widget-dropdown select:not([disabled])").first
            control.focus()
            at_end = control.evaluate("s => s.selectedIndex === s.options.length - 1")
            # Chromium changes a closed <select> only once its list is open: open it
            # (Alt+Down), move one option, and pick it (Enter).
            for key in ("Alt+ArrowDown", "ArrowUp" if at_end else "ArrowDown", "Enter"):
                page.keyboard.press(key)
        deadline = time.monotonic() + timeout_ms / 1000
        after = before
        while time.monotonic() < deadline:
            pictures = explorer.locator(PICTURES)
            if pictures.count():
                after = pictures.last.screenshot()
                if pictures_differ(before, after):
                    break
            page.wait_for_timeout(100)
        return before, after

    def screenshot(self, path: Path, max_height: int = 30_000) -> None:
        """The whole notebook in one picture: the window is made as tall as the
        notebook, then shot."""
        page = self.page
        height = page.evaluate(
            """() => { const s = document.querySelector(
                 '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
               return s ? s.scrollHeight : document.body.scrollHeight; }""")
        size = page.viewport_size or {"width": 1280, "height": 900}
        path.parent.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": size["width"],
                                "height": int(min(max_height, height + 200))})
        page.evaluate("""() => document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer').scrollTop = 0""")
        page.wait_for_timeout(500)
        page.screenshot(path=str(path))
        page.set_viewport_size(size)


# -- what the committed notebook says should be there -------------------------------------

def expected_explorers(path: Path) -> int:
    """How many live widget views with a slider or a dropdown the committed notebook
    holds (from its saved widget state): the number of explorers the browser must find.
    What an explorer is, is decided once, in tools/slides.py (``explorer_cells``)."""
    import nbformat

    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    import slides

    return len(slides.explorer_cells(nbformat.read(path, as_version=4)))


def png_pixels(png: bytes):
    """Decode PNG bytes (a screenshot) to an RGB numpy array."""
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def pictures_differ(a: bytes, b: bytes) -> bool:
    """Whether two PNG screenshots differ in size or in any pixel."""
    pa, pb = png_pixels(a), png_pixels(b)
    return pa.shape != pb.shape or bool((pa != pb).any())
