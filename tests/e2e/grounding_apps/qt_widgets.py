"""A Qt window for the grounding tests, run by the venv's python (PySide6).

Like gtk_widgets.py: one JSON line of widget rectangles when shown, again per stdin line,
quit at the end of stdin.
"""

import json
import os
import sys
import threading

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

SECRET = sys.argv[1] if len(sys.argv) > 1 else "qt-secret-77"

app = QApplication(sys.argv[:1])
window = QWidget()
window.setWindowTitle("Overt grounding Qt")
layout = QVBoxLayout(window)
button = QPushButton("Send form")
layout.addWidget(button)
entry = QLineEdit("plain words")
entry.setAccessibleName("Qt field")
layout.addWidget(entry)
password = QLineEdit(SECRET)
password.setEchoMode(QLineEdit.EchoMode.Password)
password.setAccessibleName("Qt password")
layout.addWidget(password)
combo = QComboBox()
combo.addItems(["Red", "Green", "Blue"])
layout.addWidget(combo)
window.move(700, 120)
window.resize(360, 240)


def rect(widget):
    origin = widget.mapToGlobal(QPoint(0, 0))
    return [origin.x(), origin.y(), widget.width(), widget.height()]


def report():
    widgets = {"button": rect(button), "entry": rect(entry), "password": rect(password)}
    widgets["combo"] = rect(combo)
    print(json.dumps({"pid": os.getpid(), "widgets": widgets}), flush=True)


class Stdin:
    """Reads stdin in a thread; each line asks the GUI thread for a report."""

    def __init__(self):
        self.pending = 0
        self.done = False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        for _ in sys.stdin:
            self.pending += 1
        self.done = True

    def poll(self):
        while self.pending:
            self.pending -= 1
            report()
        if self.done:
            app.quit()


stdin = Stdin()
timer = QTimer()
timer.timeout.connect(stdin.poll)
timer.start(30)
window.show()
QTimer.singleShot(500, report)
app.exec()
