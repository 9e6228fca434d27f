"""A real recording grounds its clicks: real pynput, mss and X11 backend on Xvfb, a real
accessibility bus, real GTK3, Qt and Tk windows, and a real vault.

The script clicks GTK3 widgets (a button, an entry, a combo box and an entry of its list, the
File menu and one of its items, the password field), a Qt button and entry, and a Tk button;
each click's recorded element must have the widget's role, name and exact screen rectangle
(Tk exposes nothing: "app not accessible"). What was typed into the password field, and the
field's contents, must appear in no decrypted stream, no export and no file on disk.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from recorder.consent.record import ConsentScope, build_cli_consent
from recorder.platform.accessibility.lookup import platform_source
from recorder.session import Recorder
from storage import SessionReader, Vault
from storage.export import export_sessions
from tests.conftest import IN_CI
from tests.helpers.a11ybus import (
    SYSTEM_PYTHON,
    ReportingApp,
    SessionBus,
    centre,
    gtk_missing,
    missing_bus_tools,
    start_app,
    start_qt_app,
    start_session_bus,
    wait_registered,
)
from tests.helpers.xserver import XDisplay, XDoTool
from tests.recorder.fakes import wait_for
from tests.storage.helpers import PASS, make_vault

GTK_SECRET = "hunter2-gtk-REC"
QT_SECRET = "qt-secret-REC"
TYPED_SECRET = "typedsecretzq"
REST_S = 0.3  # a person's pause on a widget before clicking it


def need(problem: str | None) -> None:
    if problem:
        if IN_CI:
            pytest.fail(problem + " (CI=true: a missing accessibility bus is a failure)")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def bus(x_display: XDisplay) -> Iterator[SessionBus]:
    missing = missing_bus_tools()
    need(f"accessibility bus tools missing: {', '.join(missing)}" if missing else None)
    need(gtk_missing())
    started = start_session_bus(x_display.env)
    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = started.address
    try:
        yield started
    finally:
        started.stop()
        if saved is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


def poll(get: Callable[[], Any], ok: Callable[[Any], bool], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    value = get()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = get()
    assert ok(value), value
    return value


class Recording:
    """One session recorded into a real vault, and what each click should have found."""

    def __init__(self, home: Path, xdo: XDoTool) -> None:
        self.vault = make_vault(home)
        self.xdo = xdo
        self.expected: dict[tuple[int, int], dict[str, Any]] = {}
        consent = build_cli_consent(ConsentScope(), app_version="e2e")
        self.recorder = Recorder(consent, self._backend(), elements=platform_source)
        self.session_id = self.recorder.start(self.vault.begin_session)

    @staticmethod
    def _backend() -> Any:
        from recorder.platform.x11 import X11Backend

        return X11Backend()

    def click(self, rect: list[int], expect: dict[str, Any]) -> None:
        """Rest on the widget's centre, click it, and note what its element must be."""
        x, y = centre(rect)
        self.xdo.move(x, y)
        time.sleep(REST_S)
        self.xdo.click(1)
        time.sleep(0.5)  # past the double-click window: the next click is a click of its own
        self.expected[(x, y)] = expect

    def stop(self) -> SessionReader:
        self.recorder.stop()
        return self.vault.unlock(PASS).open_session(self.session_id)


def widget(role: str, name: str | None, rect: list[int]) -> dict[str, Any]:
    return {"role": role, "name": name, "bounds": rect}


@pytest.fixture(scope="module")
def recorded(
    bus: SessionBus, xdo: XDoTool, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Recording, SessionReader, Path]]:
    from recorder.platform.accessibility.atspi import AtspiClient

    gtk = start_app(SYSTEM_PYTHON, "gtk_widgets.py", bus.env, GTK_SECRET)
    qt = start_qt_app(bus.env, QT_SECRET)
    tk = start_app(SYSTEM_PYTHON, "tk_widgets.py", bus.env)
    registrar = AtspiClient(hints=False)
    try:
        assert wait_registered(registrar, gtk.pid) is not None, "GTK3 never registered"
        assert wait_registered(registrar, qt.pid) is not None, "Qt never registered"
        registrar.close()
        home = tmp_path_factory.mktemp("grounding") / "vault"
        rec = Recording(home, xdo)
        try:
            script(rec, gtk, qt, tk)
        finally:
            reader = rec.stop()
        yield rec, reader, home
    finally:
        for app in (gtk, qt, tk):
            app.stop()


def script(rec: Recording, gtk: ReportingApp, qt: ReportingApp, tk: ReportingApp) -> None:
    w = gtk.first["widgets"]
    rec.click(w["button"], widget("push button", "Save report", w["button"]))
    rec.click(w["entry"], widget("text", "Subject", w["entry"]))
    # the combo box: its list opens on the press, over it; what was clicked is the combo box
    rec.click(w["combo"], widget("combo box", "Alpha", w["combo"]))
    beta = poll(gtk.report, lambda r: "combo:1" in r["items"])["items"]["combo:1"]
    rec.click(beta, widget("menu item", "Beta", beta))
    poll(gtk.report, lambda r: r["combo_text"] == "Beta" and not r["items"])
    rec.click(w["file"], widget("menu", "File", w["file"]))
    item = poll(gtk.report, lambda r: "Open report" in r["items"])["items"]["Open report"]
    rec.click(item, widget("menu item", "Open report", item))
    poll(gtk.report, lambda r: not r["items"])
    rec.click(w["password"], widget("password text", None, w["password"]))
    pipeline = rec.recorder.pipeline
    assert pipeline is not None
    wait_for(lambda: pipeline.sensitive, timeout=10)  # the AT-SPI guard saw the field
    rec.xdo.type(TYPED_SECRET)
    time.sleep(0.3)
    q = qt.first["widgets"]
    rec.click(q["button"], widget("push button", "Send form", q["button"]))
    rec.click(q["entry"], widget("text", "Qt field", q["entry"]))
    rec.click(tk.first["widgets"]["button"], {"missing": "app not accessible"})


def test_every_click_has_its_widget_s_role_name_and_bounds(
    recorded: tuple[Recording, SessionReader, Path],
) -> None:
    rec, reader, _ = recorded
    elements = reader.elements()
    clicks = [a for a in reader.actions() if a["kind"] == "click"]
    by_point = {(a["x"], a["y"]): a for a in clicks}
    listed = [(a["kind"], a.get("x"), a.get("y"), elements.get(a["seq"])) for a in reader.actions()]
    assert set(rec.expected) <= set(by_point), (sorted(rec.expected), listed)
    for point, expect in rec.expected.items():
        found = elements[by_point[point]["seq"]]
        got = {k: found.get(k) for k in expect}
        assert got == expect, (point, found, reader.element_records())
    at_combo = next(p for p, e in rec.expected.items() if e.get("role") == "combo box")
    combo = elements[by_point[at_combo]["seq"]]
    assert combo["selected"] == {"role": "menu item", "name": "Alpha"}
    item = next(e for e in elements.values() if e.get("name") == "Open report")
    assert [level["role"] for level in item["path"]][-3:] == ["menu bar", "menu", "menu item"]
    assert item["path"][0] == {"role": "application", "name": "gtk_widgets.py"}
    stats = reader.stats["elements"]
    assert stats["clicks"] >= len(rec.expected)
    assert stats["missing"].get("app not accessible", 0) >= 1


def test_a_password_field_s_contents_are_nowhere_on_disk_or_in_exports(
    recorded: tuple[Recording, SessionReader, Path], tmp_path: Path
) -> None:
    rec, reader, home = recorded
    secrets = [GTK_SECRET, QT_SECRET, TYPED_SECRET]
    decrypted = json.dumps(
        [
            list(reader.events()),
            list(reader.actions()),
            reader.element_records(),
            reader.stats,
            reader.consent,
        ]
    )
    assert "password text" in decrypted  # the field was recorded, as a role
    assert rec.recorder.summary().suppressed >= len(TYPED_SECRET)
    vault = Vault.open(home)
    vault.unlock(PASS).approve(rec.session_id)
    readers = [vault.unlock(PASS).open_session(rec.session_id)]
    for fmt in ("folder", "trajectory"):
        export_sessions(readers, fmt, tmp_path / fmt)
    files = [p for p in [*home.rglob("*"), *tmp_path.rglob("*")] if p.is_file()]
    assert len(files) > 10
    for secret in secrets:
        assert secret not in decrypted
        for path in files:
            data = path.read_bytes()
            assert secret.encode() not in data, (secret, path)
            assert secret.encode("utf-16-le") not in data, (secret, path)


def test_doctor_names_the_apps_that_expose_elements_and_those_that_do_not(
    recorded: tuple[Recording, SessionReader, Path],
) -> None:
    from app.cli.commands.doctor import probe_accessibility

    found = probe_accessibility()
    assert found.ok, found.detail
    exposes, _, silent = found.detail.partition("; none from ")
    assert "gtk_widgets.py (gtk)" in exposes
    assert "(Qt)" in exposes
    assert "Overtgroundingtk" in silent or "OvertGroundingTk" in silent, found.detail


def test_show_stats_gives_the_share_of_clicks_with_an_element_per_app(
    recorded: tuple[Recording, SessionReader, Path], tmp_path: Path
) -> None:
    from tests.helpers.overt_cli import run_overt

    rec, _, home = recorded
    (tmp_path / "pw").write_bytes(PASS + b"\n")
    out = run_overt(
        "show", rec.session_id, "--stats", "--home", str(home),
        "--passphrase-file", str(tmp_path / "pw"), env=os.environ,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(
        line.startswith("Elements  ") and "clicks have their UI element" in line for line in lines
    ), out.stdout
    gtk = next(line for line in lines if "gtk_widgets.py:" in line.lower())  # WM_CLASS
    assert gtk.endswith("(100%) clicks"), out.stdout
    assert any("none found: " in line and "app not accessible" in line for line in lines)
