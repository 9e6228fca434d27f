"""A step's action as pyautogui code in the AgentNet (OpenCUA) grammar, in the export's space.

Keyword arguments throughout, coordinates already in the chosen space (storage/export/steps.py
computes them): ``click(x=, y=)``, ``moveTo(x=, y=)`` then ``dragTo(x=, y=, button=)`` or
``scroll(n)``, ``write(message=)``, ``press(keys=[k])`` for one key, ``hotkey(keys=[...])``,
``computer.terminate(status=)`` at the end of an episode. storage/EXPORT_FORMATS.md has the table.
"""

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
#: The code of a type action whose text was not recorded (text mode "keys" or "none").
NOT_RECORDED = "# typed text was not recorded"


def key_name(key: str) -> str:
    """pynput's key name as pyautogui spells it."""
    return _KEY_NAMES.get(key, key)


def terminate_code(status: str) -> str:
    """The last step of an episode: ``status`` is 'success' or 'failure'."""
    return f"computer.terminate(status={status!r})"


def _at(x: Any, y: Any) -> str:
    return f"x={x!r}, y={y!r}"


def to_code(action: dict[str, Any]) -> str:
    """pyautogui code for one step's action (``Step["action"]``, coordinates in its space).

    Returns:
        One or more lines of Python; a comment when the action cannot be replayed.
    """
    kind = action.get("kind")
    button = str(action.get("button") or "left")
    if kind == "click":
        return f"pyautogui.{_CLICKS.get(button, 'click')}({_at(action['x'], action['y'])})"
    if kind == "double_click":
        extra = "" if button == "left" else f", button={button!r}"
        return f"pyautogui.doubleClick({_at(action['x'], action['y'])}{extra})"
    if kind == "drag":
        start, end = _at(action["x"], action["y"]), _at(action["x2"], action["y2"])
        return f"pyautogui.moveTo({start})\npyautogui.dragTo({end}, button={button!r})"
    if kind == "scroll":
        lines = [f"pyautogui.moveTo({_at(action['x'], action['y'])})"]
        if action.get("dy") or not action.get("dx"):
            lines.append(f"pyautogui.scroll({int(action.get('dy') or 0)})")
        if action.get("dx"):
            lines.append(f"pyautogui.hscroll({int(action['dx'])})")
        return "\n".join(lines)
    if kind == "type":
        text = action.get("text") or ""
        return f"pyautogui.write(message={text!r})" if text else NOT_RECORDED
    if kind == "hotkey":
        keys = [str(k) for k in action.get("keys") or ()]
        verb = "press" if len(keys) == 1 else "hotkey"
        return f"pyautogui.{verb}(keys={keys!r})"
    if kind == "terminate":
        return terminate_code(str(action.get("status") or "failure"))
    return f"# unsupported action kind {kind!r}"
