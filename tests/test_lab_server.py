"""attention_lib.lab_server: the Jupyter server extension that sets TCP_NODELAY on kernel
websockets, and the command that enables it for an environment. (The browser tests check
that the JupyterLab they drive loaded it; benchmarks/browser_latency.py measures it.)"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from types import SimpleNamespace

import pytest
from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)

from attention_lib import lab_server


def test_install_writes_the_setting_that_enables_the_extension(tmp_path):
    path = lab_server.install(tmp_path)
    assert path == tmp_path / "etc/jupyter/jupyter_server_config.d/attention_lib.json"
    assert json.loads(path.read_text()) == {
        "ServerApp": {"jpserver_extensions": {"attention_lib.lab_server": True}}}
    assert lab_server.install(tmp_path) == path  # twice is fine
    lab_server.uninstall(tmp_path)
    assert not path.exists()
    lab_server.uninstall(tmp_path)  # and so is removing what is not there


def test_the_command_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "attention_lib.lab_server", "install",
                          "--prefix", str(tmp_path)], capture_output=True, text=True,
                         check=True)
    assert "enabled attention_lib.lab_server" in run.stdout
    assert lab_server.config_path(tmp_path).exists()
    bad = subprocess.run([sys.executable, "-m", "attention_lib.lab_server", "enable"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice: 'enable'" in bad.stderr


def test_jupyter_finds_the_extension():
    [point] = lab_server._jupyter_server_extension_points()
    assert point == {"module": "attention_lib.lab_server"}


def _serverapp(connection_class):
    handlers: list = []
    return SimpleNamespace(kernel_websocket_connection_class=connection_class,
                           web_app=SimpleNamespace(settings={
                               "kernel_websocket_connection_class": connection_class,
                               "base_url": "/user/x/"},
                               handlers=handlers,
                               add_handlers=lambda host, rules: handlers.extend(rules)),
                           log=logging.getLogger("test"))


def test_loading_the_extension_adds_the_language_links():
    app = _serverapp(ZMQChannelsWebsocketConnection)
    lab_server._load_jupyter_server_extension(app)
    [(pattern, handler)] = app.web_app.handlers
    assert handler is lab_server.LanguageLinkHandler
    import re

    match = re.fullmatch(pattern, "/user/x/lab-zh/tree/notebooks/zh-CN/00_start_here.ipynb")
    assert match and match.groups() == ("lab-zh", "notebooks/zh-CN/00_start_here.ipynb")
    assert re.fullmatch(pattern, "/user/x/lab-en/tree/a.ipynb").group(1) == "lab-en"
    assert not re.fullmatch(pattern, "/user/x/lab/tree/a.ipynb")
    assert not re.fullmatch(pattern, "/user/x/lab-fr/tree/a.ipynb")


def test_set_interface_language_keeps_the_other_settings(tmp_path):
    path = lab_server.set_interface_language(tmp_path, "zh_CN")
    assert path == tmp_path / "@jupyterlab/translation-extension/plugin.jupyterlab-settings"
    assert json.loads(path.read_text()) == {"locale": "zh_CN"}
    # A file JupyterLab wrote by hand, with a comment and another setting (JSON5).
    path.write_text('{\n  // my choice\n  "locale": "en",\n  "displayStringsPrefix": true\n}')
    lab_server.set_interface_language(tmp_path, "zh_CN")
    assert json.loads(path.read_text()) == {"locale": "zh_CN", "displayStringsPrefix": True}
    lab_server.set_interface_language(tmp_path, "en")
    assert json.loads(path.read_text())["locale"] == "en"
    path.write_text("{ not json")  # unreadable: replaced
    lab_server.set_interface_language(tmp_path, "zh_CN")
    assert json.loads(path.read_text()) == {"locale": "zh_CN"}
    with pytest.raises(ValueError, match="locale must be one of zh_CN, en; got 'fr'"):
        lab_server.set_interface_language(tmp_path, "fr")


def test_loading_the_extension_switches_the_connection_class():
    app = _serverapp(ZMQChannelsWebsocketConnection)
    lab_server._load_jupyter_server_extension(app)
    assert app.kernel_websocket_connection_class is lab_server.LowLatencyConnection
    assert (app.web_app.settings["kernel_websocket_connection_class"]
            is lab_server.LowLatencyConnection)


def test_a_configured_connection_class_is_kept():
    class Custom(ZMQChannelsWebsocketConnection):
        pass

    app = _serverapp(Custom)
    lab_server._load_jupyter_server_extension(app)
    assert app.kernel_websocket_connection_class is Custom
    assert app.web_app.settings["kernel_websocket_connection_class"] is Custom


def test_connect_turns_nagle_off_then_connects_as_usual(monkeypatch):
    calls = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect",
                        lambda self: calls.append("connect") or "future")
    handler = SimpleNamespace(set_nodelay=lambda value: calls.append(("nodelay", value)))
    conn = lab_server.LowLatencyConnection.__new__(lab_server.LowLatencyConnection)
    monkeypatch.setattr(lab_server.LowLatencyConnection, "websocket_handler", handler,
                        raising=False)
    assert conn.connect() == "future"
    assert calls == [("nodelay", True), "connect"]


@pytest.mark.parametrize("module", ["attention_lib", "attention_lib.explorer"])
def test_notebooks_do_not_import_jupyter_server(module):
    code = f"import sys, {module}; print('jupyter_server' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_real_server_follows_the_chinese_link(tmp_path):
    """``jupyter server`` with the extension: /lab-zh/tree/<path> writes the locale into the
    LabApp's user settings folder and redirects to /lab/tree/<path>, keeping the query; it
    needs the token like every other page."""
    import os
    import secrets
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    settings = tmp_path / "settings"
    root = tmp_path / "root"
    root.mkdir()
    for sub in ("config", "runtime"):
        (tmp_path / sub).mkdir()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.user_settings_dir={settings}", "--LabApp.news_url=None",
           "--ServerApp.jpserver_extensions=attention_lib.lab_server=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                opener.open(f"{base}/api/status?token={token}", timeout=2)
                break
            except (OSError, urllib.error.URLError):
                assert proc.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.25)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"{base}/lab-zh/tree/zh-CN/00_start_here.ipynb?reset&token={token}",
                        timeout=10)
        assert redirect.value.code == 302
        assert redirect.value.headers["Location"] == (
            f"/lab/tree/zh-CN/00_start_here.ipynb?reset&token={token}")
        written = settings / "@jupyterlab/translation-extension/plugin.jupyterlab-settings"
        assert json.loads(written.read_text()) == {"locale": "zh_CN"}
        with pytest.raises(urllib.error.HTTPError) as back:
            opener.open(f"{base}/lab-en/tree/a.ipynb?token={token}", timeout=10)
        assert back.value.code == 302 and json.loads(written.read_text())["locale"] == "en"
        # Without the token: the login page, and nothing written.
        written.unlink()
        with pytest.raises(urllib.error.HTTPError) as anonymous:
            opener.open(f"{base}/lab-zh/tree/a.ipynb", timeout=10)
        assert "/login" in anonymous.value.headers["Location"] and not written.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
