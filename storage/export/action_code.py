"""An action as pyautogui code in monitor-normalised coordinates (AgentNet/OpenCUA style)."""

from __future__ import annotations

from typing import Any

_KEY_NAMES = {
    "ctrl_l": "ctrl",
    "ctrl_r": "ctrl",
    "alt_l": "alt",
    "alt_r": "alt",
    "alt_gr": "altright",
    "shift_l": "shift",
    "shift_r": "shift",
    "super": "win",
    "super_l": "win",
    "super_r": "win",
    "cmd": "command",
    "cmd_l": "command",
    "cmd_r": "command",
    "page_up": "pageup",
    "page_down": "pagedown",
    "caps_lock": "capslock",
    "print_screen": "printscreen",
    "escape": "esc",
}
_CLICKS = {"left": "click", "right": "rightClick", "middle": "middleClick"}


def normalise(x: float, y: float, monitor: dict[str, Any] | None) -> tuple[float, float]:
    """Global screen pixels to [0, 1] within ``monitor``; unchanged without a monitor."""
    if not monitor or not monitor.get("w") or not monitor.get("h"):
        return float(x), float(y)
    nx = (x - monitor.get("x", 0)) / monitor["w"]
    ny = (y - monitor.get("y", 0)) / monitor["h"]
    return round(min(max(nx, 0.0), 1.0), 4), round(min(max(ny, 0.0), 1.0), 4)


def key_name(key: str) -> str:
    """pynput's key name as pyautogui spells it."""
    return _KEY_NAMES.get(key, key)


def to_code(action: dict[str, Any], monitor: dict[str, Any] | None) -> str:
    """pyautogui code for one action (see storage/format/records.py for the action shapes).

    Args:
        action: an action record.
        monitor: the observation frame's monitor (global x, y, w, h) for normalising.

    Returns:
        One or more lines of Python; a comment when the action cannot be replayed.
    """
    kind = action.get("kind")
    if kind in ("click", "double_click", "drag", "scroll"):
        x, y = normalise(action.get("x", 0), action.get("y", 0), monitor)
        at = f"x={x}, y={y}"
    if kind == "click":
        verb = _CLICKS.get(str(action.get("button", "left")), "click")
        return f"pyautogui.{verb}({at})"
    if kind == "double_click":
        button = str(action.get("button", "left"))
        extra = "" if button == "left" else f", button={button!r}"
        return f"pyautogui.doubleClick({at}{extra})"
    if kind == "drag":
        x2, y2 = normalise(action.get("x2", 0), action.get("y2", 0), monitor)
        button = str(action.get("button", "left"))
        return f"pyautogui.moveTo({at})\npyautogui.dragTo(x={x2}, y={y2}, button={button!r})"
    if kind == "scroll":
        lines = []
        if action.get("dy"):
            lines.append(f"pyautogui.scroll({int(action['dy'])}, {at})")
        if action.get("dx"):
            lines.append(f"pyautogui.hscroll({int(action['dx'])}, {at})")
        return "\n".join(lines) or f"pyautogui.scroll(0, {at})"
    if kind == "type":
        text = action.get("text") or ""
        return f"pyautogui.write({text!r})" if text else "# typed text was not recorded"
    if kind == "hotkey":
        keys = ", ".join(repr(key_name(str(k))) for k in action.get("keys") or ())
        return f"pyautogui.hotkey({keys})"
    return f"# unsupported action kind {kind!r}"
