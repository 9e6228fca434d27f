"""Real study files for the app's tests (a fresh age key each, written with study_to_toml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyrage

from recorder.consent.study import CaptureRequest, Study, study_to_toml


def make_study(**overrides: Any) -> Study:
    """A valid study that asks for keys without text at 2 frames/s, kept 14 days."""
    fields: dict[str, Any] = {
        "id": "uxlab-forms",
        "title": "Filling in forms",
        "researcher": "UX Lab, Example University",
        "contact": "lab@example.org",
        "recipient": str(pyrage.x25519.Identity.generate().to_public()),
        "purposes": ("study how people fill in web forms",),
        "ethics_ref": "IRB-2026-042",
        "complaints": "dpo@example.org",
        "retention_days": 14,
        "after_export": "kept for one year, then deleted",
        "capture": CaptureRequest(text_mode="keys", frame_rate=2.0),
    }
    fields.update(overrides)
    return Study(**fields)


def write_study(path: Path, **overrides: Any) -> Study:
    """Write a valid study file at ``path``; the Study written."""
    study = make_study(**overrides)
    path.write_text(study_to_toml(study), encoding="utf-8")
    return study
