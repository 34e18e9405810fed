"""The 模板目录 as the page may use it: a folder inside the folder of the 单位设置 file (a relative
模板目录 is taken relative to that file), reached without a symbolic link. The page reads and
writes wording files only there, and never through a link (a wording file that is a link to
``/etc/shadow`` is refused, its lines never shown)."""

from __future__ import annotations

from pathlib import Path, PurePath

from ..errors import KongchuoError

OUTSIDE = "模板目录须是单位设置文件所在文件夹中的一个文件夹（如 措辞模板），网页版不在别处读写文件"
LINKED = "{name} 是符号链接，网页版不经链接读写模板文件"


class FolderRefused(KongchuoError):
    """A 模板目录 or wording file the page does not use (the message is Chinese)."""


def confined(profile_path: Path, value: str) -> Path:
    """The 模板目录 `value` of the 单位设置 at `profile_path` as a folder inside the profile's folder,
    no part of it a symbolic link (it need not exist yet)."""
    base = profile_path.parent.resolve()
    given = PurePath(value.strip())
    if not value.strip() or ".." in given.parts:
        raise FolderRefused(OUTSIDE)
    folder = base / given  # an absolute `given` stands alone
    try:
        rel = folder.relative_to(base)
    except ValueError:
        raise FolderRefused(OUTSIDE) from None
    if not rel.parts:
        raise FolderRefused(OUTSIDE)
    _no_links(base, rel)
    return folder


def wording_file(folder: Path, rel: str) -> Path:
    """The wording file `rel` in the (confined) `folder`, no part of it a symbolic link."""
    if PurePath(rel).is_absolute() or ".." in PurePath(rel).parts:
        raise FolderRefused(OUTSIDE)
    _no_links(folder, PurePath(rel))
    return folder / rel


def _no_links(base: Path, rel: PurePath) -> None:
    path = base
    for part in rel.parts:
        path = path / part
        if path.is_symlink():
            raise FolderRefused(LINKED.format(name=path.relative_to(base.parent)))
