"""Helpers of the web tests: a client with its CSRF token, waiting for jobs, the seed as form data."""

from __future__ import annotations

import re
import time
from pathlib import Path

from fastapi.testclient import TestClient

from kongchuo_docs.readers.yaml_records import load_yaml
from kongchuo_docs.resources import sample_path
from kongchuo_docs.web.notice_form import NoticeForm

JOB_TIMEOUT = 120.0  # seconds; a small roster takes a few


def csrf_of(client: TestClient) -> str:
    page = client.get("/").text
    return re.search(r'name="csrf-token" content="([^"]+)"', page)[1]


def wait_for_job(client: TestClient, job_url: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        progress = client.get(f"{job_url}/progress").json()
        if progress["state"] in ("done", "failed", "cancelled"):
            return progress
        time.sleep(0.1)
    raise AssertionError(f"job {job_url} did not finish in {JOB_TIMEOUT} s")


def form_data(sample: str = "seed-notice.yaml") -> dict[str, str]:
    """A sample notice as the 写通知 form posts it."""
    form = NoticeForm.from_yaml(load_yaml(sample_path("notice", sample)))
    data = dict(form.values)
    if form.seal:
        data["seal"] = "1"
    for n, attachment in enumerate(form.attachments):
        data.update({f"att-{n}-{key}": value for key, value in attachment.items()})
    return data


def sample_file(*parts: str) -> Path:
    return sample_path(*parts)
