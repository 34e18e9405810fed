"""Chromium tests' shared pieces: Debian's ``chromium`` + ``chromium-driver`` driven by Selenium, and
``kongchuo-docs serve`` started on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
NEEDS_CHROMIUM = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Chromium 或 chromedriver 未安装（scripts/setup.sh --dev 安装 chromium chromium-driver）",
)
WAIT = 90  # seconds for a page, a preview or a job on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(profile: Path) -> Iterator[str]:
    """``kongchuo-docs serve --settings profile`` on a free port (temporary files beside the profile);
    its URL. Its output must hold no traceback when it stops."""
    port = free_port()
    env = {**os.environ, "TMPDIR": str(profile.parent)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kongchuo_docs", "serve", "--port", str(port), "--no-browser",
         "--settings", str(profile)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/login", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode()) from None
            time.sleep(0.2)
    yield url
    process.terminate()
    output = process.communicate(timeout=30)[0].decode()
    assert "Traceback" not in output, output


@contextmanager
def chromium(downloads: Path):
    """A headless Chromium (Chinese locale) saving downloads into `downloads`."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=zh-CN"):  # fmt: skip
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()
