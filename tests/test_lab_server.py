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
    return SimpleNamespace(kernel_websocket_connection_class=connection_class,
                           web_app=SimpleNamespace(settings={
                               "kernel_websocket_connection_class": connection_class}),
                           log=logging.getLogger("test"))


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
