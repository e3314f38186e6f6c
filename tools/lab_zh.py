"""Open the Chinese edition (notebooks/zh-CN/) in JupyterLab with its interface in
simplified Chinese, and the library speaking Chinese to every kernel (issue 15).

    make lab-zh                         # the same as:
    python tools/lab_zh.py              # --no-browser --port 8899 to print the URL only

JupyterLab's menus come from the language pack ``jupyterlab-language-pack-zh-CN``
(binder/requirements.txt pins it), switched on by the translation plugin's ``locale``
setting, ``zh_CN``. As ``make present`` does, that setting goes into a settings folder of
its own, ``.venv/lab-zh/user-settings``, a fresh copy of your own settings each time, so
``make lab`` stays English. The server is started with ``ATTENTION_LIB_LANGUAGE=zh-CN``
(attention_lib.i18n), which every kernel it starts inherits: the exercise checkers'
verdicts are in Chinese. A teacher switches a whole class the same two ways: the
``locale`` setting (a hub's or Binder's ``overrides.json``) and that variable.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import present  # noqa: E402
from present import ROOT, default_user_settings, write_settings  # noqa: E402

from attention_lib import i18n  # noqa: E402

SETTINGS_DIR = ROOT / ".venv" / "lab-zh" / "user-settings"
ZH = ROOT / "notebooks" / "zh-CN"
#: The settings ``make lab-zh`` adds to the user's own, by plugin.
CHINESE: dict[str, dict[str, object]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
}


def build_argv(settings_dir: Path = SETTINGS_DIR, *, no_browser: bool = False,
               port: int | None = None, is_root: bool | None = None) -> list[str]:
    """The ``jupyter lab`` command line on notebooks/zh-CN/ (tools/present.py builds it)."""
    return present.build_argv(ZH, settings_dir, no_browser=no_browser, port=port,
                              is_root=is_root)


def main(args: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    present.add_server_options(parser)
    options = parser.parse_args(args)
    argv = build_argv(no_browser=options.no_browser, port=options.port)
    if options.dry_run:
        print(f"{i18n.ENV}=zh-CN " + " ".join(argv))
        return 0
    write_settings(SETTINGS_DIR, default_user_settings(), CHINESE)
    os.environ[i18n.ENV] = "zh-CN"
    return present.run(argv)


if __name__ == "__main__":
    sys.exit(main())
