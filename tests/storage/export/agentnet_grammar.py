"""AgentNet's action grammar and trajectory schema, written from the public description.

Sources (read, not copied): the AgentNet dataset card (huggingface.co/datasets/xlangai/AgentNet,
README.md: task_id, instruction, traj[{index, image, value: {code, ...}}], PyAutoGUI action
space plus computer.terminate), OpenCUA's data/README.md (github.com/xlang-ai/OpenCUA: each
action is paired with the last visually distinct frame before it) and the AgentNetBench sample
trajectories (AgentNetBench/sample_data/*.json: keyword arguments, coordinates in [0, 1] with
4 decimals, ``write(message=...)``, ``press(keys=['enter'])``, ``hotkey(keys=['ctrl', 'c'])``,
``moveTo`` then ``dragTo(..., button='left')``). Never derived from Overt's writer.
"""

from __future__ import annotations

import ast
from typing import Any

POINTS = {"click", "rightClick", "middleClick", "doubleClick", "tripleClick", "moveTo", "dragTo"}
SCROLLS = {"scroll", "hscroll"}

#: The AgentNet task record as a small JSON Schema (type, required, properties, items).
AGENTNET_TASK: dict[str, Any] = {
    "type": "object",
    "required": ["task_id", "instruction", "traj"],
    "properties": {
        "task_id": {"type": "string"},
        "instruction": {"type": "string"},
        "task_completed": {"type": "boolean"},
        "traj": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["index", "image", "value"],
                "properties": {
                    "index": {"type": "integer"},
                    "image": {"type": "string"},
                    "value": {
                        "type": "object",
                        "required": ["code"],
                        "properties": {"code": {"type": "string"}},
                    },
                },
            },
        },
    },
}
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


class GrammarError(ValueError):
    """The code or record is not in AgentNet's grammar or schema."""


def check_schema(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """Validate ``value`` against the JSON Schema subset used above."""
    kind = schema.get("type")
    if kind is not None:
        ok = isinstance(value, _TYPES[kind])
        if kind in ("integer", "number") and isinstance(value, bool):
            ok = False
        if not ok:
            raise GrammarError(f"{where}: expected {kind}, got {type(value).__name__}")
    for name in schema.get("required", ()):
        if name not in value:
            raise GrammarError(f"{where}: missing {name!r}")
    for name, sub in schema.get("properties", {}).items():
        if isinstance(value, dict) and name in value:
            check_schema(value[name], sub, f"{where}.{name}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise GrammarError(f"{where}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            check_schema(item, schema.get("items", {}), f"{where}[{i}]")


def _number(node: ast.expr) -> float:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_number(node.operand)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    raise GrammarError(f"not a number: {ast.unparse(node)}")


def _keys(node: ast.expr) -> list[str]:
    if not isinstance(node, ast.List) or not node.elts:
        raise GrammarError(f"keys must be a non-empty list: {ast.unparse(node)}")
    out = []
    for elt in node.elts:
        if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
            raise GrammarError(f"a key must be a string: {ast.unparse(elt)}")
        out.append(elt.value)
    return out


def parse(code: str) -> list[tuple[str, dict[str, Any]]]:
    """The calls of one step's code as (name, arguments); GrammarError when outside the grammar."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise GrammarError(f"not Python: {error}") from None
    if not tree.body:
        raise GrammarError("no action")
    calls: list[tuple[str, dict[str, Any]]] = []
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            raise GrammarError(f"not a call: {ast.unparse(statement)}")
        owner = call.func.value
        if not isinstance(owner, ast.Name):
            raise GrammarError(f"not pyautogui.* or computer.*: {ast.unparse(call)}")
        name = f"{owner.id}.{call.func.attr}"
        kwargs = {k.arg: k.value for k in call.keywords}
        if None in kwargs:
            raise GrammarError(f"**kwargs: {ast.unparse(call)}")
        calls.append((name, _arguments(name, call.args, kwargs)))
    for position, (name, _) in enumerate(calls):
        if name in ("pyautogui.scroll", "pyautogui.hscroll", "pyautogui.dragTo"):
            before = [n for n, _ in calls[:position]]
            if "pyautogui.moveTo" not in before:
                raise GrammarError(f"{name} without a moveTo before it")
        if name == "computer.terminate" and len(calls) > 1:
            raise GrammarError("terminate is a step of its own")
    return calls


def _arguments(
    name: str, args: list[ast.expr], kwargs: dict[str | None, ast.expr]
) -> dict[str, Any]:
    owner, verb = name.split(".", 1)
    if owner == "computer":
        if verb != "terminate" or args or set(kwargs) != {"status"}:
            raise GrammarError(f"unknown computer action {name}")
        status = kwargs["status"]
        if not (isinstance(status, ast.Constant) and status.value in ("success", "failure")):
            raise GrammarError("terminate status is 'success' or 'failure'")
        return {"status": status.value}
    if owner != "pyautogui":
        raise GrammarError(f"unknown module {owner}")
    if verb in POINTS:
        if args or not {"x", "y"} <= set(kwargs) or set(kwargs) - {"x", "y", "button"}:
            raise GrammarError(f"{name} takes x=, y= (and button=) keywords only")
        out: dict[str, Any] = {"x": _number(kwargs["x"]), "y": _number(kwargs["y"])}
        if "button" in kwargs:
            button = kwargs["button"]
            if not (
                isinstance(button, ast.Constant) and button.value in ("left", "right", "middle")
            ):
                raise GrammarError(f"bad button in {name}")
            out["button"] = button.value
        return out
    if verb in SCROLLS:
        if len(args) != 1 or kwargs:
            raise GrammarError(f"{name} takes one amount, after a moveTo")
        return {"amount": _number(args[0])}
    if verb == "write":
        message = kwargs.get("message")
        if (
            args
            or set(kwargs) != {"message"}
            or not (isinstance(message, ast.Constant) and isinstance(message.value, str))
        ):
            raise GrammarError("write takes message='...'")
        return {"message": message.value}
    if verb in ("press", "hotkey"):
        if args or set(kwargs) != {"keys"}:
            raise GrammarError(f"{name} takes keys=[...]")
        keys = _keys(kwargs["keys"])  # type: ignore[arg-type]
        if verb == "press" and len(keys) != 1:
            raise GrammarError("press takes one key; hotkey takes several")
        return {"keys": keys}
    raise GrammarError(f"unknown action {name}")


def coordinates(code: str) -> list[float]:
    """Every x and y in the code."""
    return [v for _, arguments in parse(code) for k, v in arguments.items() if k in ("x", "y")]


def check_task(record: dict[str, Any]) -> None:
    """A whole AgentNet task: the schema, indices 0.., every code in the grammar, one
    terminate, last."""
    check_schema(record, AGENTNET_TASK)
    traj = record["traj"]
    if [s["index"] for s in traj] != list(range(len(traj))):
        raise GrammarError("traj indices are not 0, 1, 2...")
    names = [[n for n, _ in parse(s["value"]["code"])] for s in traj]
    if names[-1] != ["computer.terminate"] or any("computer.terminate" in n for n in names[:-1]):
        raise GrammarError("the last step, and only it, is computer.terminate")
