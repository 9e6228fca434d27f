"""PyInstaller runtime hook: let the frozen `overt` run `overt -c CODE` like `python -c CODE`.

`overt doctor` asks Qt whether a tray exists in a child process (`sys.executable -c ...`), since
Qt aborts a process whose platform plugin cannot load. In the bundle, sys.executable is `overt`,
which has no `-c`. Remove this hook once doctor runs its probe through an `overt` sub-command.
"""

import sys

if len(sys.argv) >= 3 and sys.argv[1] == "-c":
    _code = sys.argv[2]
    sys.argv = ["-c", *sys.argv[3:]]
    exec(compile(_code, "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    sys.exit(0)
