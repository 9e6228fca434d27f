"""A Tk window for the grounding tests (Tk has no AT-SPI support): prints its widgets' screen
rectangles as JSON once shown and per stdin line; quits at the end of stdin."""

import json
import os
import sys
import threading
import tkinter as tk

root = tk.Tk(className="OvertGroundingTk")
root.title("Overt grounding Tk")
root.geometry("400x200+1200+500")
button = tk.Button(root, text="Tk button")
button.pack(padx=20, pady=20, fill="x")
entry = tk.Entry(root)
entry.pack(padx=20, fill="x")
requests = []


def rect(widget):
    return [widget.winfo_rootx(), widget.winfo_rooty(), widget.winfo_width(), widget.winfo_height()]


def report():
    widgets = {"button": rect(button), "entry": rect(entry)}
    print(json.dumps({"pid": os.getpid(), "widgets": widgets}), flush=True)


def read_stdin():
    for _ in sys.stdin:
        requests.append(1)
    requests.append(None)


def poll():
    while requests:
        if requests.pop(0) is None:
            root.destroy()
            return
        report()
    root.after(30, poll)


threading.Thread(target=read_stdin, daemon=True).start()
root.after(500, report)
root.after(30, poll)
root.mainloop()
