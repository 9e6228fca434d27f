"""The office workload: a Tk editor that xdotool types into, clicks, scrolls and jumps in.

Shared by the office benchmark (tests/bench/bench_office.py) and the soak (tests/bench/soak.py),
so both record the same kind of screen and input.
"""

from __future__ import annotations

import threading

from tests.helpers.xserver import XDoTool

EDITOR = r"""
import tkinter as tk
root = tk.Tk(className="editor")
root.title("report.txt - Editor")
root.geometry("1200x800+100+100")
text = tk.Text(root, font=("DejaVu Sans Mono", 12))
text.pack(fill="both", expand=True)
text.insert("1.0", "\n".join(f"line {i}: quarterly figures and notes" for i in range(300)))
text.focus_set()
root.mainloop()
"""
OFFICE_SENTENCES = [
    "Meeting notes: revenue up 4 percent, hiring paused. ",
    "Follow up with Sam about the invoice. ",
    "Draft the summary for Friday. ",
]


def office_workload(xdo: XDoTool, stop: threading.Event) -> int:
    steps = 0
    while not stop.is_set():
        sentence = OFFICE_SENTENCES[steps % len(OFFICE_SENTENCES)]
        xdo.run(
            "mousemove", str(300 + 40 * (steps % 10)), str(200 + 30 * (steps % 12)), "click", "1"
        )
        xdo.type(sentence, delay_ms=90)
        xdo.key("Return")
        if steps % 3 == 0:
            xdo.click(5, repeat=4)
        if steps % 4 == 0:
            xdo.key("ctrl+Home")
        steps += 1
        stop.wait(1.5)  # reading and thinking
    return steps
