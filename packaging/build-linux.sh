#!/usr/bin/env bash
# Build Overt's Linux one-folder bundle (dist/overt/) with PyInstaller, then smoke-test it:
# the bundled `overt --version` and `overt doctor` must run without a traceback.
# Run from anywhere: `make package` or `bash packaging/build-linux.sh`. Exit status is the truth.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${VENV:-.venv}
py="$venv/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

fail() { echo "build-linux: $*" >&2; exit 1; }

if [ ! -x "$py" ]; then
  echo "Creating $venv and installing Overt into it"
  python3 -m venv "$venv"
  "$py" -m pip install -q -e .
fi
"$py" -c 'import app.cli' 2>/dev/null || "$py" -m pip install -q -e .
if ! "$py" -c 'import PyInstaller' 2>/dev/null; then
  echo "Installing PyInstaller into $venv"
  "$py" -m pip install -q 'pyinstaller>=6.10'
fi

start=$(date +%s)
"$py" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/overt.spec
elapsed=$(( $(date +%s) - start ))

bundle=dist/overt
exe="$bundle/overt"
[ -x "$exe" ] || fail "the build produced no $exe"

# --- smoke checks: run the bundle as a person would ------------------------------------------
expected_version=$("$py" -c 'from importlib.metadata import version; print(version("overt"))')
out=$("$exe" --version 2>&1) || fail "'overt --version' failed: $out"
[ "$out" = "overt $expected_version" ] || fail "'overt --version' printed '$out', not 'overt $expected_version'"
echo "ok: $exe --version -> $out"

out=$("$exe" --help 2>&1) || fail "'overt --help' failed: $out"
grep -q 'doctor' <<<"$out" || fail "'overt --help' lists no doctor command (app.commands not collected?)"
echo "ok: $exe --help lists the commands"

# doctor exits non-zero when recording cannot work here (no display, no tray): that is an
# answer, not a failure. A traceback, or a missing report, is a failure.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
set +e
out=$(OVERT_HOME="$home" timeout 120 "$exe" doctor 2>&1)
status=$?
set -e
echo "$out" | sed 's/^/  | /'
[ $status -le 1 ] || fail "'overt doctor' exited $status (crash or timeout)"
grep -q '^display server: ' <<<"$out" || fail "'overt doctor' printed no 'display server:' line"
if grep -qE 'Traceback|Unexpected internal error|ModuleNotFoundError' <<<"$out"; then
  fail "'overt doctor' hit an internal error in the bundle"
fi
echo "ok: $exe doctor (exit $status) reports the display server, no traceback"

size=$(du -sh "$bundle" | cut -f1)
echo "Built $bundle in ${elapsed}s: $size on disk (du -sh); $(find "$bundle" -type f | wc -l) files."
