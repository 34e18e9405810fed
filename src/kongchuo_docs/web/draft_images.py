"""写通知: the pictures of an uploaded Word/WPS/Markdown draft, kept with the session in a private
scratch folder (swept with the previews after the keeping time) so that its previews and downloads
contain them. The 正文 text area marks each picture's place with a line ``[图片：图片1.png]``
(`notice_form.IMAGE_LINE`); a picture is stored under a name the page makes (图片1.png…), never the
name the upload gave it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi import Request

from .notice_form import IMAGE_FOLDER
from .pages import owner

IMAGE_SUFFIX = ".png"  # the draft reader gives every picture as PNG


def keep_images(request: Request, images: dict[str, bytes], mapping: dict[str, Any]) -> dict[str, Any]:
    """Store the draft's `images` as the session's pictures (replacing earlier ones); `mapping`
    (the draft's plain 公文 mapping) with each 正文 picture renamed to its stored name."""
    drop_images(request)
    if not images:
        return mapping
    folder = request.app.state.jobs.scratch_folder()
    renamed = {}
    for n, (name, data) in enumerate(images.items(), start=1):
        renamed[name] = f"图片{n}{IMAGE_SUFFIX}"
        (folder / renamed[name]).write_bytes(data)
    request.app.state.draft_images[owner(request)] = folder
    body = mapping.get("正文")
    if isinstance(body, list):
        mapping = {**mapping, "正文": [_renamed(item, renamed) for item in body]}
    return mapping


def _renamed(item: Any, renamed: dict[str, str]) -> Any:
    if isinstance(item, dict) and str(item.get("图片")) in renamed:
        return {**item, "图片": renamed[str(item["图片"])]}
    return item


def listed_images(request: Request) -> list[dict[str, Any]]:
    """The session's pictures: name and size in KB."""
    folder = _folder(request)
    if folder is None:
        return []
    return [{"name": p.name, "kb": max(1, round(p.stat().st_size / 1024))}
            for p in sorted(folder.glob(f"*{IMAGE_SUFFIX}"), key=lambda p: (len(p.name), p.name))]  # fmt: skip


def remove_image(request: Request, name: str) -> None:
    """Delete one of the session's pictures (a name it does not hold is ignored)."""
    folder = _folder(request)
    if folder is not None and name in {p["name"] for p in listed_images(request)}:
        (folder / name).unlink(missing_ok=True)


def copy_images(request: Request, target: Path) -> None:
    """Copy the session's pictures to ``target/图片/`` (next to the form's YAML, which names them there)."""
    pictures = listed_images(request)
    if not pictures:
        return
    folder = _folder(request)
    assert folder is not None
    (target / IMAGE_FOLDER).mkdir(exist_ok=True)
    for picture in pictures:
        shutil.copyfile(folder / picture["name"], target / IMAGE_FOLDER / picture["name"])


def drop_images(request: Request) -> None:
    """Forget and delete the session's pictures."""
    folder = request.app.state.draft_images.pop(owner(request), None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _folder(request: Request) -> Path | None:
    folder = request.app.state.draft_images.get(owner(request))
    return folder if folder is not None and folder.is_dir() else None
