"""A full disk on the page is said as such (「磁盘空间不足」), not as an internal error, and the
server's paths are not shown."""

from __future__ import annotations

import errno

from web_helpers import check_roster

from kongchuo_docs.web.jobs import JobManager
from kongchuo_docs.web.render import caught, disk_message


def _full(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", "/tmp/kongchuo-web-x/in/1.xlsx")


def test_a_full_disk_on_upload_is_said_in_chinese(web_client, web_rosters, monkeypatch):
    monkeypatch.setattr(JobManager, "new_folder", _full)
    response = check_roster(web_client, "名册.xlsx", web_rosters[1].read_bytes())
    assert response.status_code == 507, response.text[-1500:]
    assert "磁盘空间不足" in response.text and "内部错误" not in response.text
    assert "/tmp/kongchuo-web-x" not in response.text


def test_drawing_and_bounded_calls_say_a_full_disk():
    assert caught(_full) == ("error", disk_message(OSError(errno.ENOSPC, "x")))
    assert "磁盘空间不足" in disk_message(OSError(errno.ENOSPC, "x"))
    assert disk_message(OSError(errno.EBADF, "x")) is None and disk_message(ValueError()) is None
