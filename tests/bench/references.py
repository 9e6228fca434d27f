"""What other recorders would store for the same frames: each reference encoder, measured.

Every reference reads the same frames from a ``FrameSpool`` (the office workload's frames as
the recorder captured them, BGRX as mss delivers), encodes them the way that kind of tool
does, and is decoded back and compared pixel for pixel, so "pixel-exact" is checked, not
assumed. Encode CPU is process CPU time (all threads: PyAV's and the writer's encoder threads
count) over the encoding pass alone; decoding for the check is not counted.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

from PIL import Image

#: Overt's keyframe WebP setting (storage/format/frame_codec.py), so the WebP row differs from
#: Overt's own only by the absence of delta coding.
WEBP_METHOD = 1
WEBP_QUALITY = 75


@dataclass
class Row:
    """One way of storing the frames: its size, its encoding cost, and whether it is exact.

    Attributes:
        key: short metric name, e.g. "png_1fps_actions".
        label: what it is, for the report's table.
        frames: frames encoded.
        bytes: bytes stored.
        cpu_s: process CPU seconds spent encoding.
        exact_frames: frames that decoded to exactly the source pixels.
        note: how it was made, for the report.
        psnr_db: for a lossy row, the mean PSNR of its frames (None when exact).
    """

    key: str
    label: str
    frames: int
    bytes: int
    cpu_s: float
    exact_frames: int
    note: str = ""
    psnr_db: float | None = None

    @property
    def pixel_exact(self) -> bool:
        return self.frames > 0 and self.exact_frames == self.frames


@dataclass
class FrameSpool:
    """Frames kept uncompressed in a file, read back one at a time (the page cache holds them).

    Attributes:
        path: the spool file.
        size: (width, height) of every frame.
        metas: each frame's metadata (t, wall, monitor, reason), in recording order.
    """

    path: Path
    size: tuple[int, int]
    metas: list[dict[str, Any]] = field(default_factory=list)

    @property
    def frame_bytes(self) -> int:
        return self.size[0] * self.size[1] * 4

    def append(self, image: Image.Image, meta: dict[str, Any]) -> None:
        if image.size != self.size:
            raise ValueError("every spooled frame must have the spool's size")
        with self.path.open("ab") as out:
            out.write(image.tobytes("raw", "BGRX"))
        self.metas.append(meta)

    def bgrx(self, index: int) -> bytes:
        with self.path.open("rb") as src:
            src.seek(index * self.frame_bytes)
            return src.read(self.frame_bytes)

    def rgb(self, index: int) -> bytes:
        return to_rgb(self.bgrx(index), self.size).tobytes()

    def __len__(self) -> int:
        return len(self.metas)


def to_rgb(bgrx: bytes, size: tuple[int, int]) -> Image.Image:
    return Image.frombytes("RGB", size, bgrx, "raw", "BGRX")


def one_per_second(spool: FrameSpool, seconds: float) -> list[int]:
    """The frame on screen at each whole second (the latest one grabbed by then), as a
    fixed-rate recorder would sample it. Frame times are seconds since the session began."""
    by_time = sorted(range(len(spool)), key=lambda i: spool.metas[i]["t"])
    picked: list[int] = []
    cursor = 0
    for second in range(int(seconds)):
        while cursor + 1 < len(by_time) and spool.metas[by_time[cursor + 1]]["t"] <= second:
            cursor += 1
        picked.append(by_time[cursor])
    return picked


def _timed(encode: Callable[[], None]) -> float:
    started = time.process_time()
    encode()
    return time.process_time() - started


# --- still images, one file per frame ------------------------------------------------------------


def image_files(
    spool: FrameSpool, folder: Path, key: str, label: str, fmt: str, **options: Any
) -> Row:
    """Each frame as its own image file, as screenshot-per-step recorders store them."""
    folder.mkdir(parents=True)
    suffix = fmt.lower()

    def encode() -> None:
        for i in range(len(spool)):
            to_rgb(spool.bgrx(i), spool.size).save(folder / f"{i:06d}.{suffix}", fmt, **options)

    cpu = _timed(encode)
    exact = 0
    for i in range(len(spool)):
        with Image.open(folder / f"{i:06d}.{suffix}") as stored:
            exact += stored.convert("RGB").tobytes() == spool.rgb(i)
    size = sum(p.stat().st_size for p in folder.iterdir())
    note = ", ".join(f"{k}={v}" for k, v in options.items()) or "default settings"
    return Row(key, label, len(spool), size, cpu, exact, f"Pillow {fmt}, {note}")


def png_per_frame(spool: FrameSpool, folder: Path) -> Row:
    return image_files(
        spool, folder, "png_per_frame", "PNG per action frame plus 1 fps (OpenAdapt-style)", "PNG"
    )


def webp_per_frame(spool: FrameSpool, folder: Path) -> Row:
    return image_files(
        spool,
        folder,
        "webp_lossless_per_frame",
        "WebP lossless per frame, no delta coding",
        "WEBP",
        lossless=True,
        method=WEBP_METHOD,
        quality=WEBP_QUALITY,
        exact=True,
    )


# --- video through PyAV -----------------------------------------------------------------------


@dataclass(frozen=True)
class VideoCodec:
    """A video encoder set up as a recorder using it would be.

    Attributes:
        codec: FFmpeg encoder name.
        pix_fmt: the encoder's pixel format; BGRX frames are converted to it when it differs.
        options: encoder options (FFmpeg's names).
    """

    codec: str
    pix_fmt: str
    options: dict[str, str]

    def describe(self) -> str:
        opts = " ".join(f"-{k} {v}" for k, v in self.options.items())
        return f"PyAV {self.codec} {self.pix_fmt} {opts}".strip()


FFV1 = VideoCodec("ffv1", "bgr0", {"level": "3", "coder": "1", "context": "1", "slices": "4"})
X264RGB_QP0_ULTRAFAST = VideoCodec("libx264rgb", "bgr0", {"qp": "0", "preset": "ultrafast"})
X264RGB_QP0_MEDIUM = VideoCodec("libx264rgb", "bgr0", {"qp": "0", "preset": "medium"})
X264_CRF28 = VideoCodec("libx264", "yuv420p", {"crf": "28", "preset": "medium"})


def video(
    spool: FrameSpool, path: Path, key: str, label: str, codec: VideoCodec, order: list[int]
) -> Row:
    """The frames ``order`` names, as one video in a Matroska file, each at its own time
    (millisecond timestamps; a variable frame rate, as the recorder grabbed them)."""
    import av

    width, height = spool.size

    def encode() -> None:
        with av.open(str(path), "w", format="matroska") as container:
            stream = container.add_stream(codec.codec, options=dict(codec.options))
            stream.width, stream.height = width, height
            stream.pix_fmt = codec.pix_fmt
            stream.time_base = Fraction(1, 1000)
            stream.codec_context.time_base = Fraction(1, 1000)
            last_pts = -1
            for i in order:
                frame = av.VideoFrame(width, height, "bgr0")
                frame.planes[0].update(spool.bgrx(i))
                if codec.pix_fmt != "bgr0":
                    frame = frame.reformat(format=codec.pix_fmt)
                last_pts = max(last_pts + 1, round(spool.metas[i]["t"] * 1000))
                frame.pts = last_pts
                frame.time_base = Fraction(1, 1000)
                container.mux(stream.encode(frame))
            container.mux(stream.encode(None))

    cpu = _timed(encode)
    exact, psnrs, decoded = 0, [], 0
    with av.open(str(path)) as container:
        for frame, i in zip(container.decode(video=0), order, strict=False):
            got = frame.to_ndarray(format="rgb24").tobytes()
            want = spool.rgb(i)
            decoded += 1
            if got == want:
                exact += 1
            else:
                psnrs.append(psnr(got, want))
    if decoded != len(order):
        exact = min(exact, len(order) - 1)  # a frame that never came back is not exact
    mean_psnr = round(sum(psnrs) / len(psnrs), 1) if psnrs else None
    return Row(
        key,
        label,
        len(order),
        path.stat().st_size,
        cpu,
        exact,
        codec.describe() + f", {decoded} of {len(order)} frames decoded",
        mean_psnr,
    )


def psnr(got: bytes, want: bytes) -> float:
    """Peak signal-to-noise ratio of two equal-sized 8-bit images, in dB."""
    import numpy as np

    a = np.frombuffer(got, np.uint8).astype(np.int32)
    b = np.frombuffer(want, np.uint8).astype(np.int32)
    mse = float(np.mean((a - b) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


# --- Overt's own frame storage ------------------------------------------------------------------


def overt_frames(spool: FrameSpool, root: Path) -> Row:
    """The frames through a real SessionWriter (frame codec + encryption) into a new vault.

    The writer takes its fast WebP setting only while every encoder thread is busy, which
    frames fed back to back would force but the recorder at the office workload's rate
    rarely meets; the setting is held at the normal one, as bench_storage.py does.
    """
    from storage import Vault
    from storage.format import frame_codec

    vault = Vault.create(root / "vault", b"bench", log_n=10)
    consent = {"purpose": "benchmark", "captures": ["screen"]}
    steady = frame_codec.encode

    def encode() -> None:
        with (
            mock.patch.object(frame_codec, "encode", lambda plan, fast=False: steady(plan)),
            vault.begin_session(consent) as writer,
        ):
            for i in range(len(spool)):
                writer.append_frame(spool.bgrx(i), spool.size, dict(spool.metas[i]))

    cpu = _timed(encode)
    session = vault.sessions()[-1]
    stored = sum(
        p.stat().st_size
        for p in vault.session_dir(session.id).iterdir()
        if p.name.split(".")[0] in ("frames", "framemeta")
    )
    reader = vault.unlock(b"bench").open_session(session.id)
    exact = sum(reader.frame_image(i).tobytes() == spool.rgb(i) for i in range(len(spool)))
    return Row(
        "overt",
        "Overt: frame codec + encryption (frames and framemeta streams)",
        len(spool),
        stored,
        cpu,
        exact,
        "SessionWriter.append_frame, BGRX in, WebP lossless keyframes/patches, AES-GCM",
    )


# --- all of them -------------------------------------------------------------------------------


def compare(spool: FrameSpool, seconds: float) -> Iterator[Row]:
    """Every row, Overt's first, each encoded in a fresh folder removed afterwards."""
    every = list(range(len(spool)))
    steps: list[Callable[[Path], Row]] = [
        lambda d: overt_frames(spool, d),
        lambda d: png_per_frame(spool, d / "png"),
        lambda d: webp_per_frame(spool, d / "webp"),
        lambda d: video(spool, d / "v.mkv", "ffv1", "FFV1 lossless video", FFV1, every),
        lambda d: video(
            spool,
            d / "v.mkv",
            "x264rgb_qp0_ultrafast",
            "H.264 RGB lossless video, preset ultrafast",
            X264RGB_QP0_ULTRAFAST,
            every,
        ),
        lambda d: video(
            spool,
            d / "v.mkv",
            "x264rgb_qp0_medium",
            "H.264 RGB lossless video, preset medium",
            X264RGB_QP0_MEDIUM,
            every,
        ),
        lambda d: video(
            spool,
            d / "v.mkv",
            "x264_crf28_1fps_lossy",
            "lossy H.264 CRF 28 yuv420p at 1 fps (screenpipe-style; context only)",
            X264_CRF28,
            one_per_second(spool, seconds),
        ),
    ]
    for step in steps:
        with tempfile.TemporaryDirectory(prefix="overt-ref-") as tmp:
            yield step(Path(tmp))


def spool_from_vault(vault_dir: Path, passphrase: bytes, folder: Path) -> FrameSpool:
    """Every frame of the vault's only session, in recording order, into a spool."""
    from storage import Vault

    vault = Vault.open(vault_dir)
    (session,) = vault.sessions()
    reader = vault.unlock(passphrase).open_session(session.id)
    metas = reader.frames()
    spool: FrameSpool | None = None
    for meta in metas:
        image = reader.frame_image(meta["index"])
        if spool is None:
            spool = FrameSpool(folder / "frames.bgrx", image.size)
        keep = {k: meta[k] for k in ("t", "wall", "monitor", "reason")}
        spool.append(image, keep)
    if spool is None:
        raise ValueError("the office session holds no frames")
    return spool
