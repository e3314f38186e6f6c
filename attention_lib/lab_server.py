"""A Jupyter server extension: the kernel websocket with Nagle's algorithm off, and links
that open a notebook with JupyterLab's interface in Chinese (or English).

Every slider move in an explorer is a round trip: the browser sends the new value to the
kernel, and the kernel answers with several small messages in a row (its "busy" status,
the slider's echo, the new picture, "idle"). The Jupyter server relays them to the
browser over a websocket whose TCP socket keeps Nagle's algorithm on (jupyter_server 2.x
never calls ``set_nodelay``). Nagle holds a small message back until the previous one is
acknowledged, and the browser delays its acknowledgements (Linux's delayed ACK, up to
40 ms), so about half of all moves waited ~30 ms for nothing. benchmarks/browser_latency.py
measures it on its no-computation baseline: in four runs on a 2-core machine the median
from key press to screen fell by 16 to 25 ms (for example 60.5 ms with Nagle, 35.2 ms
without).

:class:`LowLatencyConnection` is the server's own kernel connection class with
TCP_NODELAY set on the websocket (tornado's ``WebSocketHandler.set_nodelay``, the
documented switch): same messages, same order, same protocol. Loading this extension
makes the server use it, unless a different connection class was configured.
``make install`` and Binder's ``postBuild`` enable it for their environment::

    python -m attention_lib.lab_server install        # or: uninstall

which writes what a packaged server extension ships as a data file (an editable install
does not install data files, and ``jupyter server extension enable`` only toggles an
extension that already has such a file),
``<environment>/etc/jupyter/jupyter_server_config.d/attention_lib.json``::

    {"ServerApp": {"jpserver_extensions": {"attention_lib.lab_server": true}}}

Every ``jupyter lab`` started from that environment then loads it; its log says
"attention_lib.lab_server: kernel websockets use TCP_NODELAY".

**Links in a language** (issue 15). ``<server>/lab-zh/tree/<path>`` does what the menu
Settings › Language › 中文 does, then opens ``<path>``: it writes the translation plugin's
``locale`` setting, ``zh_CN``, to this server's user settings (JupyterLab's own
``user_settings_dir``) and redirects to ``<server>/lab/tree/<path>``. ``lab-en`` sets English
back. A Binder link can carry no setting, only a path, so this is how the Chinese Binder links
(README.zh-CN.md, the site's Chinese pages) open the Chinese edition with Chinese menus::

    https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab-zh/tree/notebooks/zh-CN/00_start_here.ipynb

Each Binder user has a container of their own, so one student's link switches nobody else.
The language pack must be installed (binder/requirements.txt pins
jupyterlab-language-pack-zh-CN); without it JupyterLab stays English.

Only the Jupyter server imports this module (it needs jupyter_server; notebooks do not).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)
from jupyter_server.utils import url_escape, url_path_join
from tornado import web

__all__ = ["LanguageLinkHandler", "LowLatencyConnection", "config_path", "install",
           "set_interface_language", "settings_file", "uninstall", "update_settings"]

#: The translation plugin whose ``locale`` setting picks JupyterLab's language.
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
#: The link prefixes and the locale each sets (``lab-zh/tree/...``, ``lab-en/tree/...``).
LINK_LOCALES = {"lab-zh": "zh_CN", "lab-en": "en"}

#: What enables this extension in a Jupyter config file.
SETTING = {"ServerApp": {"jpserver_extensions": {"attention_lib.lab_server": True}}}


class LowLatencyConnection(ZMQChannelsWebsocketConnection):
    """The default kernel websocket connection, with Nagle's algorithm off."""

    def connect(self):  # noqa: ANN201 (the base class's signature)
        # Called from the websocket handler's open(), once the handshake is done and the
        # socket exists. Small messages then leave at once instead of waiting for the
        # browser to acknowledge the previous one.
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def settings_file(settings_dir: str | Path, plugin: str) -> Path:
    """Where JupyterLab keeps plugin ``<package>:<name>``'s user settings (jupyterlab_server):
    ``<settings_dir>/<package>/<name>.jupyterlab-settings``."""
    package, name = plugin.split(":")
    return Path(settings_dir, *package.split("/"), f"{name}.jupyterlab-settings")


def update_settings(settings_dir: str | Path, plugin: str, values: dict[str, object]) -> Path:
    """Set ``values`` in ``plugin``'s settings file under ``settings_dir``, keeping the file's
    other settings (it is JSON5, as JupyterLab writes it; an unreadable file is replaced)."""
    import json5

    path = settings_file(settings_dir, plugin)
    settings: dict = {}
    if path.is_file():
        try:
            loaded = json5.loads(path.read_text(encoding="utf-8"))
        except ValueError:  # a file JupyterLab could not read either: replaced
            loaded = None
        if isinstance(loaded, dict):
            settings = loaded
    settings.update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path


def set_interface_language(user_settings_dir: str | Path, locale: str) -> Path:
    """Write ``locale`` into the translation plugin's settings under ``user_settings_dir``,
    keeping the file's other settings: what the Language menu does."""
    if locale not in LINK_LOCALES.values():
        raise ValueError(f"locale must be one of {', '.join(LINK_LOCALES.values())}; "
                         f"got {locale!r}")
    return update_settings(user_settings_dir, TRANSLATION_PLUGIN, {"locale": locale})


def _user_settings_dir(serverapp) -> str:  # noqa: ANN001
    """The user settings folder of the JupyterLab this server runs (its LabApp's)."""
    for app in serverapp.extension_manager.extension_apps.get("jupyterlab", ()):
        folder = getattr(app, "user_settings_dir", None)
        if folder:
            return str(folder)
    from jupyterlab.commands import get_user_settings_dir  # type: ignore[import-untyped]

    return str(get_user_settings_dir())


class LanguageLinkHandler(JupyterHandler):
    """``/lab-zh/tree/<path>``: set JupyterLab's language, then open ``<path>``."""

    @web.authenticated
    def get(self, prefix: str, path: str) -> None:
        folder = _user_settings_dir(self.serverapp)
        written = set_interface_language(folder, LINK_LOCALES[prefix])
        self.log.info("attention_lib.lab_server: interface language %s (%s)",
                      LINK_LOCALES[prefix], written)
        target = url_path_join(self.base_url, "lab", "tree", url_escape(path))
        query = self.request.query  # ?reset, ?token=... go along
        self.redirect(f"{target}?{query}" if query else target)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "attention_lib.lab_server"}]


def _load_jupyter_server_extension(serverapp) -> None:  # noqa: ANN001
    prefixes = "|".join(LINK_LOCALES)
    pattern = url_path_join(serverapp.web_app.settings["base_url"],
                            rf"({prefixes})/tree/?(.*)")
    serverapp.web_app.add_handlers(".*$", [(pattern, LanguageLinkHandler)])
    current = serverapp.kernel_websocket_connection_class
    if current is not ZMQChannelsWebsocketConnection:
        serverapp.log.info("attention_lib.lab_server: keeping the configured kernel "
                           "connection %s", current.__name__)
        return
    serverapp.kernel_websocket_connection_class = LowLatencyConnection
    serverapp.web_app.settings["kernel_websocket_connection_class"] = LowLatencyConnection
    serverapp.log.info("attention_lib.lab_server: kernel websockets use TCP_NODELAY")


def config_path(prefix: str | Path | None = None) -> Path:
    """The file that enables this extension for the environment at ``prefix``."""
    base = Path(sys.prefix if prefix is None else prefix)
    return base / "etc" / "jupyter" / "jupyter_server_config.d" / "attention_lib.json"


def install(prefix: str | Path | None = None) -> Path:
    """Enable the extension for an environment (this Python's by default)."""
    path = config_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(SETTING, indent=2) + "\n", encoding="utf-8")
    return path


def uninstall(prefix: str | Path | None = None) -> Path:
    """Disable it again: the server goes back to its default connection."""
    path = config_path(prefix)
    path.unlink(missing_ok=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m attention_lib.lab_server",
        description="Enable (install) or disable (uninstall) the Jupyter server "
                    "extension that turns Nagle's algorithm off on kernel websockets.")
    parser.add_argument("action", choices=["install", "uninstall"])
    parser.add_argument("--prefix", help=f"the environment (default: {sys.prefix})")
    args = parser.parse_args(argv)
    if args.action == "install":
        print(f"enabled attention_lib.lab_server: wrote {install(args.prefix)}")
    else:
        print(f"disabled attention_lib.lab_server: removed {uninstall(args.prefix)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
