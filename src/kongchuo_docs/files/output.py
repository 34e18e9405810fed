"""Write a run's outputs all or nothing, and record them in ``OUTDIR/manifest.json``.

Files are first written into a hidden staging folder inside OUTDIR; only when the whole run
succeeded are they moved into place. An existing file is never replaced without ``force``, except
by ``demo``: its manifest lists every file it wrote with its sha256 (``"demo": {"files": …}``), and
a later demo run into the same folder replaces exactly those that are still unchanged. A ``force`` run
that replaces a file an earlier run made from *another* input (the manifest's ``source``) removes that
earlier input's other files too (`OutputSet.superseded`), so one folder never mixes two rosters' letters.

One run at a time per OUTDIR: the run holds an OS-level lock on ``OUTDIR/.kongchuo.lock`` from
entering the OutputSet until its files are in place (or its staging folder is gone), so the
existence checks and the final move of two runs never interleave. Each staging folder records its
owner's process id; a later run removes staging folders whose owner is gone (killed, power cut).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from .. import __version__, console
from ..errors import KongchuoError, OutputExistsError

MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".kongchuo.lock"
STAGING_PREFIX = ".kongchuo-"
OWNER_FILE = ".kongchuo-owner"  # inside a staging folder: the pid of the run that made it
LOCK_WAIT_S = 5.0  # seconds a run waits for another run into the same OUTDIR before refusing
KINDS = (
    "notice",
    "letters",
    "agreement",
    "self-check-report",
    "rectification-notice",
    "summary",
    "templates",
    "referral-register",
    "form",
    "profile",
    "error-workbook",
    "number-register",  # 发文登记簿 and 归档文件目录 exported from the store
    "input",  # an input copied beside the outputs (the demo's 样例输入/), to edit and rebuild
)
DEMO_INPUTS = "样例输入"  # the folder of a demo output holding the sample inputs each step copies, to edit and rebuild


class OutputBusyError(KongchuoError):
    """Another run holds the lock of the output folder."""


@dataclass
class ManifestEntry:
    kind: str
    title: str
    path: str  # relative to OUTDIR, "/" separated
    format: str  # docx, pdf, xlsx, zip, yaml…
    pages: int | None
    records: int | None
    sha256: str
    source: str | None  # input file relative to OUTDIR


def in_folder(folder: str, name: str) -> str:
    """Output path `name` inside `folder` ("" for OUTDIR itself)."""
    return f"{folder.rstrip('/')}/{name}" if folder else name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_OPEN_RUNS: set[OutputSet] = set()  # runs of this process between __enter__ and __exit__


def abandon_open_runs() -> None:
    """Remove the staging folder of every run still open in this process and release its lock,
    for a signal handler that ends the process next: OUTDIR is left as it was before the run."""
    for run in list(_OPEN_RUNS):
        run.abandon()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back while files are moved into place, so a run is never cut off
    half-moved; a signal that came meanwhile is delivered when the block ends (POSIX only)."""
    held = {signal.SIGTERM, signal.SIGINT}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class OutputSet:
    """The files one run writes into OUTDIR.

    Use as a context manager: ``reserve()`` gives the staging path for a file, ``record()``
    lists it in the manifest; leaving the block without an exception moves everything into
    place, leaving it with one deletes the staging folder and OUTDIR is untouched.
    """

    def __init__(self, outdir: Path, *, force: bool = False, demo: bool = False):
        self.outdir = Path(outdir)
        self.force = force
        self.demo = demo
        self._replaceable: frozenset[str] = frozenset()  # earlier demo files a demo run may replace
        self._staging: Path | None = None
        self._created = False
        self._lock: FileLock | None = None
        self._reserved: list[str] = []
        self._entries: dict[str, dict] = {}

    def __enter__(self) -> OutputSet:
        if self.outdir.exists() and not self.outdir.is_dir():
            raise OutputExistsError(f"输出位置 {self.outdir} 已存在且不是文件夹")
        self._created = not self.outdir.exists()
        try:
            self._lock = _lock_folder(self.outdir)
        except BaseException:
            if self._created:
                with contextlib.suppress(OSError):
                    self.outdir.rmdir()
            raise
        try:
            remove_stale_staging(self.outdir)
            self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.outdir))
            (self._staging / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
            if self.demo:
                self._replaceable = frozenset(
                    rel for rel, digest in self._demo_files().items()
                    if (self.outdir / rel).is_file() and sha256_of(self.outdir / rel) == digest
                )  # fmt: skip
        except BaseException:
            self._unlock(remove_folder=self._created)
            raise
        _OPEN_RUNS.add(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._staging is not None
        failed = True
        try:
            if exc_type is None:
                with _signals_held():
                    self._commit()
            failed = exc_type is not None
        finally:
            _OPEN_RUNS.discard(self)
            shutil.rmtree(self._staging, ignore_errors=True)
            self._unlock(remove_folder=failed and self._created)

    def abandon(self) -> None:
        """End the run without writing: its staging folder removed, the lock released."""
        _OPEN_RUNS.discard(self)
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        self._unlock(remove_folder=self._created)

    def _unlock(self, *, remove_folder: bool) -> None:
        """Delete the lock file and release the lock (`_lock_folder` makes a waiting run notice
        the deleted file); a failed run that created OUTDIR removes it again if it is empty, so it
        leaves no empty folder behind."""
        assert self._lock is not None
        with contextlib.suppress(OSError):  # Windows keeps a locked file: it stays, harmless
            (self.outdir / LOCK_NAME).unlink()
        if remove_folder:
            with contextlib.suppress(OSError):  # another run's files are there now: keep the folder
                self.outdir.rmdir()
        self._lock.release()

    def reserve(self, rel: str) -> Path:
        """Return the staging path for output `rel`; refuse an existing file unless forced."""
        assert self._staging is not None, "OutputSet must be entered first"
        if Path(rel).is_absolute() or ".." in Path(rel).parts:  # a name from a user's wording or input
            raise KongchuoError(f"输出文件名不能指向输出文件夹之外：{rel}")
        rel = Path(rel).as_posix()
        if rel in self._reserved:
            raise OutputExistsError(f"本次运行中输出文件重名：{rel}")
        if (self.outdir / rel).exists() and not self.force and rel not in self._replaceable:
            changed = "（不是上次 demo 写出的原样文件）" if self.demo else ""
            raise OutputExistsError(
                f"输出文件已存在{changed}：{self.outdir / rel}（如需覆盖，请加 --force）"
            )
        self._reserved.append(rel)
        if Path(rel).name in (OWNER_FILE, MANIFEST_NAME):
            raise OutputExistsError(f"输出文件名 {rel} 为本工具保留")
        target = self._staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A new empty folder inside the staging folder for a run's working files (a letters run's
        spooled roster), deleted on leaving it (and with the staging folder in any case): never moved
        into OUTDIR, never listed."""
        assert self._staging is not None, "OutputSet must be entered first"
        with tempfile.TemporaryDirectory(prefix=".scratch-", dir=self._staging) as folder:
            yield Path(folder)

    def copy_in(self, source: Path, rel: str) -> Path:
        """Copy an input file into the outputs (e.g. the demo's ``样例输入/``), listed as kind ``input``."""
        target = self.reserve(rel)
        shutil.copyfile(source, target)
        self.record(rel, kind="input", title=Path(rel).name)
        return target

    def source_ref(self, source: Path | str | None) -> str | None:
        """An input path as the manifest records it: relative to OUTDIR."""
        if source is None:
            return None
        return Path(os.path.relpath(Path(source).resolve(), self.outdir.resolve())).as_posix()

    def record(
        self,
        rel: str,
        *,
        kind: str,
        title: str,
        pages: int | None = None,
        records: int | None = None,
        source: Path | str | None = None,
        source_is_output: bool = False,
    ) -> None:
        """List reserved output `rel` in the manifest. `source` is an input path, or an
        output-relative path when `source_is_output` (e.g. ``样例输入/通知/seed.yaml``)."""
        if kind not in KINDS:
            raise ValueError(f"unknown manifest kind {kind!r}")
        rel = Path(rel).as_posix()
        if rel not in self._reserved:
            raise ValueError(f"{rel} was not reserved")
        self._entries[rel] = {
            "kind": kind,
            "title": title,
            "format": Path(rel).suffix.lstrip(".").lower(),
            "pages": pages,
            "records": records,
            "source": str(source) if source_is_output else self.source_ref(source),
        }

    @property
    def written(self) -> list[str]:
        return list(self._reserved)

    def superseded(self) -> list[str]:
        """Files of an earlier run (from its manifest) that this ``force`` run removes when it commits:
        every file made from an input of which this run replaces a file with one made from another
        input. Known once this run's files are recorded."""
        if not self.force:
            return []
        earlier = {entry["path"]: entry for entry in self._manifest_files()}
        stale = {
            earlier[rel]["source"] for rel, meta in self._entries.items()
            if rel in earlier and earlier[rel].get("source") and earlier[rel]["source"] != meta["source"]
        }  # fmt: skip
        return sorted(rel for rel, entry in earlier.items()
                      if entry.get("source") in stale and rel not in self._reserved
                      and (self.outdir / rel).is_file())  # fmt: skip

    def _manifest_files(self) -> list[dict]:
        """The earlier manifest's file entries (each with a safe relative ``path``); [] without one."""
        try:
            files = json.loads((self.outdir / MANIFEST_NAME).read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError, AttributeError):
            return []
        return [entry for entry in files if isinstance(entry, dict) and isinstance(entry.get("path"), str)
                and not Path(entry["path"]).is_absolute() and ".." not in Path(entry["path"]).parts]  # fmt: skip

    def _commit(self) -> None:
        assert self._staging is not None
        superseded = self.superseded()
        entries = {rel: entry for rel, entry in self._previous_entries().items() if rel not in superseded}
        demo_files = {rel: d for rel, d in self._demo_files().items() if rel not in self._reserved}
        for rel in self._reserved:
            staged = self._staging / rel
            if self.demo:
                demo_files[rel] = sha256_of(staged)
            meta = self._entries.get(rel)
            if meta is not None:
                entries[rel] = asdict(ManifestEntry(path=rel, sha256=sha256_of(staged), **meta))
            final = self.outdir / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
        for rel in superseded:
            (self.outdir / rel).unlink(missing_ok=True)
        if superseded:
            console.warn(f"已删除上次由其他输入文件生成、本次未重写的 {len(superseded)} 个文件（--force）："
                         + "、".join(superseded))  # fmt: skip
        manifest = {
            "tool": "kongchuo-docs",
            "version": __version__,
            "files": [entries[key] for key in sorted(entries)],
        }
        if demo_files:
            manifest["demo"] = {"files": dict(sorted(demo_files.items()))}
        tmp = self._staging / MANIFEST_NAME
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.outdir / MANIFEST_NAME)

    def _demo_files(self) -> dict[str, str]:
        """Files an earlier ``demo`` run wrote here (path → sha256), from the manifest's demo mark."""
        try:
            files = json.loads((self.outdir / MANIFEST_NAME).read_text(encoding="utf-8"))["demo"]["files"]
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        if not isinstance(files, dict):
            return {}
        return {rel: d for rel, d in files.items() if isinstance(rel, str) and isinstance(d, str)
                and not Path(rel).is_absolute() and ".." not in Path(rel).parts}  # fmt: skip

    def _previous_entries(self) -> dict[str, dict]:
        """Entries of an earlier run whose files still exist and are not replaced now."""
        return {entry["path"]: entry for entry in self._manifest_files()
                if entry["path"] not in self._reserved and (self.outdir / entry["path"]).is_file()}  # fmt: skip


def _lock_folder(outdir: Path) -> FileLock:
    """Create `outdir` and hold its lock; wait up to LOCK_WAIT_S, then refuse.

    Every run deletes its lock file when it ends (no clutter left in OUTDIR); a run that was
    waiting then holds a lock on a deleted file, so it checks that it locked the file at the path
    and otherwise tries again with a new one."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputExistsError(f"输出位置 {outdir} 已存在且不是文件夹") from None
        held: dict[str, int] = {}
        path = outdir / LOCK_NAME
        lock = FileLock(path, timeout=max(0.0, deadline - time.monotonic()),
                        on_acquired=lambda fd, held=held: held.update(fd=fd))  # fmt: skip
        try:
            lock.acquire()
        except Timeout:
            raise OutputBusyError(
                f"输出文件夹正被另一个任务使用：{outdir}（请等它结束后再试，或换一个输出文件夹）"
            ) from None
        if sys.platform == "win32" or _same_file(held.get("fd"), path):
            return lock
        lock.release()


def _same_file(fd: int | None, path: Path) -> bool:
    if fd is None:
        return True  # the lock did not tell its descriptor: trust it
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def remove_stale_staging(outdir: Path) -> list[Path]:
    """Remove staging folders in `outdir` whose owner process is gone; return them.

    Called under the folder lock, so no live run of this version is writing one; a folder of a
    still running process (an older version without the lock) is left alone."""
    removed = []
    for folder in outdir.glob(STAGING_PREFIX + "*"):
        if folder.is_dir() and not _owner_alive(folder / OWNER_FILE):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _owner_alive(owner_file: Path) -> bool:
    try:
        pid = int(owner_file.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return True  # another OutputSet of this very process (not expected, but never ours to delete)
    if sys.platform == "win32":
        return False  # os.kill(pid, 0) would end the process on Windows; the lock says it is not ours
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True
