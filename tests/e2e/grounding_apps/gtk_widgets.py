"""A GTK3 window for the grounding tests, run by Debian's python3 (python3-gi, gir1.2-gtk-3.0).

It prints one JSON line with its widgets' screen rectangles (x, y, w, h) when it is on screen,
and again for every line on stdin (then with the items of any open menu or combo box list);
it quits at the end of stdin.
"""

import json
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402

SECRET = sys.argv[1] if len(sys.argv) > 1 else "hunter2-secret"

window = Gtk.Window(title="Overt grounding GTK")
window.set_default_size(520, 360)
window.move(100, 80)
box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=8)
window.add(box)
bar = Gtk.MenuBar()
file_item = Gtk.MenuItem(label="File")
menu = Gtk.Menu()
for label in ("Open report", "Quit now"):
    menu.append(Gtk.MenuItem(label=label))
file_item.set_submenu(menu)
bar.append(file_item)
box.pack_start(bar, False, False, 0)
button = Gtk.Button(label="Save report")
box.pack_start(button, False, False, 0)
entry = Gtk.Entry()
entry.set_text("plain words")
entry.get_accessible().set_name("Subject")
box.pack_start(entry, False, False, 0)
password = Gtk.Entry()
password.set_visibility(False)
password.set_text(SECRET)
password.get_accessible().set_name("Password")
box.pack_start(password, False, False, 0)
combo = Gtk.ComboBoxText()
for label in ("Alpha", "Beta", "Gamma"):
    combo.append_text(label)
combo.set_active(0)
box.pack_start(combo, False, False, 0)


def rect(widget):
    top = widget.get_toplevel()
    _, ox, oy = top.get_window().get_origin()
    tx, ty = widget.translate_coordinates(top, 0, 0)
    allocation = widget.get_allocation()
    return [ox + tx, oy + ty, allocation.width, allocation.height]


def open_items():
    """Mapped menu items of open popups: by label, or "combo:N" for a combo box's row N."""
    items = {}
    for top in Gtk.Window.list_toplevels():
        if top is window or not top.get_mapped():
            continue
        stack = [top]
        while stack:
            widget = stack.pop()
            if isinstance(widget, Gtk.MenuItem) and widget.get_mapped():
                child = widget.get_child()
                if isinstance(child, Gtk.CellView):
                    items[f"combo:{child.get_displayed_row()}"] = rect(widget)
                else:
                    items[widget.get_label()] = rect(widget)
            if isinstance(widget, Gtk.Container):
                stack.extend(widget.get_children())
    return items


def report():
    widgets = {
        "button": rect(button),
        "entry": rect(entry),
        "password": rect(password),
        "combo": rect(combo),
        "file": rect(file_item),
    }
    state = {"combo_text": combo.get_active_text(), "focus": type(window.get_focus()).__name__}
    message = {"pid": os.getpid(), "widgets": widgets, "items": open_items(), **state}
    print(json.dumps(message), flush=True)


def on_stdin(source, condition):
    if condition & GLib.IO_HUP or not sys.stdin.readline():
        Gtk.main_quit()
        return False
    report()
    return True


def on_mapped(*_):
    GLib.timeout_add(300, lambda: report() and False)
    return False


GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, on_stdin)
window.connect("destroy", Gtk.main_quit)
window.connect("map-event", on_mapped)
window.show_all()
Gtk.main()
