"""Export: check, preview, write into a staging folder next to the target, then rename.

The staging folder (mode 0700) receives the folder layout, the zip file, or, for an age
export, only ciphertext: the layout's tar is streamed into the encryptor (storage/export/sink.py
and age.py). Cancelling (KeyboardInterrupt, an exception from the progress callback) or
failing, in any phase, leaves nothing at the target and removes the staging folder.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.errors import CorruptData
from storage.export import age, layouts, parquet_layout, step_layouts
from storage.export.errors import ExportError, NotApproved
from storage.export.manifest import MANIFEST, manifest_bytes, manifest_document
from storage.export.modes import set_modes
from storage.export.sink import FolderSink, Sink, TarSink, ZipSink
from storage.export.source import SessionSource
from storage.export.steps import DEFAULT_SPACE, SPACES, elements_of
from storage.scan import text as scanner
from storage.staging import remove_stale, staging_folder

FORMATS = ("folder", "zip", "webdataset", "parquet", "trajectory", "agentnet")
#: WebDataset shards are closed before they pass this size (a sample never spans two).
SHARD_BYTES = 256 * 1024 * 1024


def _no_progress(what: str, done: int, total: int) -> None:
    pass


@dataclass
class ExportPreview:
    """What an export would contain, shown before anything is written.

    Attributes:
        sessions: session ids.
        events, actions, frames: totals over the sessions.
        stored_bytes: the sessions' size in the vault (the export is of similar size).
        apps: applications seen in window events.
        titles: distinct window titles (after redaction).
        unresolved: scanner suggestions neither redacted nor dismissed.
        recipient: the age recipient the export is encrypted to, if any.
        samples: (session id, frame index) of a few frames to show: first, middle, last.
    """

    sessions: list[str]
    events: int = 0
    actions: int = 0
    frames: int = 0
    stored_bytes: int = 0
    apps: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    unresolved: list[scanner.Suggestion] = field(default_factory=list)
    recipient: str | None = None
    samples: list[tuple[str, int]] = field(default_factory=list)

    def lines(self, max_titles: int = 8) -> list[str]:
        """The preview as a few lines of text for a terminal or a dialog."""
        size = f", {human_size(self.stored_bytes)} in the vault" if self.stored_bytes else ""
        out = [
            f"{len(self.sessions)} session(s): {self.events} events, {self.actions} actions, "
            f"{self.frames} frames{size}.",
            f"Apps: {', '.join(self.apps) or '(none)'}.",
        ]
        shown = self.titles[:max_titles]
        more = len(self.titles) - len(shown)
        out.append(
            "Window titles: "
            + ("; ".join(shown) or "(none)")
            + (f" (+{more} more)" if more > 0 else "")
            + "."
        )
        if self.recipient:
            out.append(f"Encrypted to {self.recipient}.")
        return out


def human_size(n: int) -> str:
    """``n`` bytes as '512 B', '3.4 KB', '12.0 MB' or '1.2 GB'."""
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


#: Bytes of the target's file name (the staging folder's name adds about 30; 255 is the limit).
NAME_LIMIT = 200


def check_target(out: Path, home: Path | None = None) -> Path:
    """The absolute target path, checked before anything is read or written.

    Raises:
        ExportError: it exists, its folder does not, its name is too long, it is inside
            the vault folder ``home`` (plaintext must not land among the ciphertext), or the
            folder cannot hold a staging folder (tried: made and removed at once).
    """
    out = out.expanduser().absolute()
    if len(os.fsencode(out.name)) > NAME_LIMIT:
        raise ExportError(
            f"The export's file name is too long; choose one of at most {NAME_LIMIT} bytes."
        )
    try:
        exists = out.exists() or out.is_symlink()
        folder = out.parent.is_dir()
        where = out.parent.resolve()
    except OSError as error:
        raise ExportError(f"{out} cannot be used for the export: {error.strerror}.") from None
    if exists:
        raise ExportError(f"{out} already exists; choose a new path for the export.")
    if not folder:
        raise ExportError(f"The folder {out.parent} does not exist.")
    if home is not None:
        vault = Path(home).expanduser().resolve()
        if where == vault or vault in where.parents:
            raise ExportError(
                f"The export cannot go inside the vault folder {vault}; choose a folder outside it."
            )
    try:  # a folder that cannot hold the staging folder (/proc, /sys, read-only): say so now
        with staging_folder(out, home):  # listed too: a kill here leaves nothing behind
            pass
    except OSError as error:
        raise ExportError(
            f"The export cannot be written in {out.parent}: {error.strerror or error}."
        ) from None
    return out


def check_approved(sources: Sequence[SessionSource]) -> None:
    """Raise ExportError naming the first session that is not approved (or named twice)."""
    if not sources:
        raise ExportError("No sessions to export.")
    ids = [source.summary.id for source in sources]
    twice = next((sid for sid in ids if ids.count(sid) > 1), None)
    if twice is not None:
        raise ExportError(f"Session {twice} is named twice; name each session once.")
    for source in sources:
        if source.summary.review != "approved":
            raise NotApproved(
                f"Session {source.summary.id} is not approved; review and approve it "
                "before exporting."
            )


def check_sound(sources: Sequence[SessionSource]) -> None:
    """Raise CorruptData naming the first session full verification calls damaged.

    The same check as ``overt verify`` (``SessionReader.damage``), so export never passes on
    a session verify refuses.
    """
    for source in sources:
        where = source.damage()
        if where:
            raise CorruptData(
                f"Session {source.summary.id} is damaged ({where[0].rstrip('.')}), so nothing "
                "was exported; 'overt verify' lists every problem."
            )


def check_instructions(sources: Sequence[SessionSource]) -> None:
    """Raise ExportError for a task without an instruction, only when the session's study
    requires instructions (its ``task_rules``); a session without tasks counts as one."""
    for source in sources:
        study = source.consent.get("study")
        rules = study.get("task_rules") if isinstance(study, dict) else None
        if not isinstance(rules, dict) or not rules.get("require_instructions"):
            continue
        sid = source.summary.id
        episodes = getattr(source, "episodes", None)
        found = list(episodes()) if callable(episodes) else []
        if not found:
            raise ExportError(
                f"Session {sid} has no tasks, and its study requires an instruction for each; "
                "add one in review or with overt task, then export again."
            )
        empty = next((e for e in found if not str(e.get("instruction") or "").strip()), None)
        if empty is not None:
            raise ExportError(
                f"Task {empty.get('id')} of session {sid} has no instruction, and its study "
                f"requires one; give it one (overt task {sid} edit {empty.get('id')} "
                "--instruction ...), then export again."
            )


def study_recipient(consent: dict[str, Any]) -> str | None:
    """The age key a study session's exports go to: ``consent["study"]["recipient"]``."""
    study = consent.get("study")
    if isinstance(study, dict) and isinstance(study.get("recipient"), str):
        return str(study["recipient"])
    return None


def resolve_recipient(sources: Sequence[SessionSource], recipient: str | None) -> str | None:
    """The explicit recipient, else the study's key when every session names the same one.

    Raises:
        ExportError: the key is not an age public key (checked here, so a preview never
            promises an encryption the export would then refuse), or the studies differ.
    """
    if recipient:
        age.parse_recipient(recipient)
        return recipient
    keys = {study_recipient(s.consent) for s in sources}
    if keys == {None}:
        return None
    if len(keys) > 1:
        raise ExportError(
            "These sessions belong to different studies (or none); export them separately "
            "or pass --recipient."
        )
    key = keys.pop()
    if key is not None:
        age.parse_recipient(key)
    return key


def preview(
    sources: Sequence[SessionSource],
    recipient: str | None = None,
    dismissed: Iterable[str] = (),
    progress: layouts.Progress = _no_progress,
) -> ExportPreview:
    """Counts, apps, titles and unresolved scanner suggestions for ``sources``.

    Args:
        sources: the sessions to export (read through their readers, i.e. redacted).
        recipient: an explicit age recipient, else the study's key (see resolve_recipient).
        dismissed: suggestions the person dismissed in review, as session-qualified keys
            (``scanner.dismissal_key``): a dismissal hides only its own session's suggestion.
        progress: called as ``progress("preview", events read, session count)`` every 1000
            events (and per session); raising from it (ExportCancelled) stops the preview.
    """
    result = ExportPreview([s.summary.id for s in sources])
    result.recipient = resolve_recipient(sources, recipient)
    apps: dict[str, None] = {}
    titles: dict[str, None] = {}
    gone = list(dismissed)
    for position, source in enumerate(sources):
        progress("preview", position, len(sources))
        actions = list(source.actions())
        result.actions += len(actions)
        frames = len(source.frames())
        result.frames += frames
        picks = sorted({0, frames // 2, frames - 1}) if frames else []
        result.samples += [(source.summary.id, i) for i in picks]
        summary = source.summary.to_json()
        result.stored_bytes += int(summary.get("bytes") or 0)

        def counted(
            events: Iterable[dict[str, Any]], position: int = position
        ) -> Iterator[dict[str, Any]]:
            for e in events:
                result.events += 1
                if result.events % 1000 == 0:
                    progress("preview", position, len(sources))
                if e.get("kind") == "window":
                    if e.get("app"):
                        apps[str(e["app"])] = None
                    if e.get("title"):
                        titles[str(e["title"])] = None
                yield e

        found = scanner.scan_session(counted(source.events()), actions, elements_of(source))
        result.unresolved += scanner.unresolved(
            found, scanner.session_dismissals(source.summary.id, gone)
        )
    progress("preview", len(sources), len(sources))
    result.apps = list(apps)
    result.titles = list(titles)
    return result


def _write_payload(
    sink: Sink,
    fmt: str,
    sources: Sequence[SessionSource],
    space: str,
    progress: layouts.Progress,
    shard_bytes: int,
) -> list[dict[str, Any]]:
    if fmt in ("folder", "zip"):
        return [layouts.write_folder(sink, s, progress) for s in sources]
    if fmt == "trajectory":
        return [step_layouts.write_trajectory(sink, s, space, progress) for s in sources]
    if fmt == "agentnet":
        return [step_layouts.write_agentnet(sink, s, space, progress) for s in sources]
    if fmt == "parquet":
        return parquet_layout.write_parquet(sink, sources, space, progress)
    shards = layouts.ShardWriter(Path("."), shard_bytes, opener=sink.open)
    try:
        return [step_layouts.write_webdataset(sink, s, shards, space, progress) for s in sources]
    except BaseException:
        sink.abort()
        raise
    finally:
        shards.close()


def export_sessions(
    sources: Sequence[SessionSource],
    fmt: str,
    out: Path,
    *,
    recipient: str | None = None,
    progress: layouts.Progress = _no_progress,
    shard_bytes: int = SHARD_BYTES,
    created: float | None = None,
    home: Path | None = None,
    coords: str = DEFAULT_SPACE,
    shared: bool = False,
) -> dict[str, Any]:
    """Write an export of approved sessions to ``out``, atomically.

    Args:
        sources: SessionReader-like objects (redactions already applied by the reader).
        fmt: one of FORMATS.
        out: the target: a folder, a .zip file, or (with a recipient) an .age file.
        recipient: an age public key; the study's key is used when sessions carry one.
        progress: called as frames/actions are written.
        shard_bytes: WebDataset shard size bound.
        created: the export's timestamp (default now).
        home: the vault folder: its ledger names the staging folder while it exists (so a
            later start removes it after a crash, storage/staging.py), and ``out`` must not
            be inside it.
        coords: the coordinate space of the step layouts (webdataset, parquet, trajectory,
            agentnet): one of steps.SPACES.
        shared: files 0644 and folders 0755, readable by other accounts; by default the
            export is 0600 / 0700, as private as the vault (storage/export/modes.py).

    Returns:
        The manifest.

    Raises:
        ExportError: not approved, unknown format, a bad key, the target exists.
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if coords not in SPACES:
        raise ExportError(
            f"Unknown coordinate space {coords!r}; choose one of {', '.join(SPACES)}."
        )
    check_approved(sources)
    check_sound(sources)
    check_instructions(sources)
    key = resolve_recipient(sources, recipient)
    age_recipient = age.parse_recipient(key) if key else None
    out = check_target(out, home)
    if fmt == "parquet":
        layouts.import_pyarrow()
    when = time.time() if created is None else created
    remove_stale(home, beside=out.parent)
    try:
        with staging_folder(out, home) as staging:
            return _stage_and_rename(
                sources,
                fmt,
                out,
                staging,
                age_recipient,
                when,
                progress,
                shard_bytes,
                coords,
                shared,
            )
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ExportError(f"The disk is full; the export to {out} was not written.") from None
        raise ExportError(
            f"The export cannot be written in {out.parent}: {error.strerror or error}."
        ) from None


def _stage_and_rename(
    sources: Sequence[SessionSource],
    fmt: str,
    out: Path,
    staging: Path,
    age_recipient: Any,
    when: float,
    progress: layouts.Progress,
    shard_bytes: int,
    coords: str,
    shared: bool,
) -> dict[str, Any]:
    stream: age.AgeStream | None = None
    sink: Sink | None = None
    try:
        if age_recipient is not None:
            result = staging / "export.age"
            stream = age.AgeStream(result, age_recipient)
            sink = TarSink(stream.pipe, staging, when, progress)  # type: ignore[arg-type]
        elif fmt == "zip":
            result = staging / "export.zip"
            sink = ZipSink(result, staging, when, progress)
        else:
            result = staging / "export"
            sink = FolderSink(result)
        entries = _write_payload(sink, fmt, sources, coords, progress, shard_bytes)
        manifest = manifest_document(fmt, entries, sink.files, when)
        sink.write(MANIFEST, manifest_bytes(manifest))
        sink.close()
        if stream is not None:
            stream.finish()
        set_modes(result, shared=shared)
        result.rename(out)
    except BaseException:
        if sink is not None:
            sink.abort()
        if stream is not None:
            stream.abort()
        raise
    return manifest
