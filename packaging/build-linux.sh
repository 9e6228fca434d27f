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

# Run a command; with strace available, exit 99 instead if it touched an internet socket
# (Overt opens none: X and D-Bus are local AF_UNIX sockets).
NETWORK_USED=99
traced() {
  command -v strace >/dev/null || { "$@"; return; }
  local log="$home/strace.log" status
  strace -f -qq -e trace=connect,bind,sendto,sendmsg -e signal=none -o "$log" "$@" && status=0 || status=$?
  if grep -qE 'AF_INET6?[,}]' "$log"; then
    grep -E 'AF_INET6?[,}]' "$log" | head -3 >&2
    return $NETWORK_USED
  fi
  return $status
}

if [ ! -x "$py" ]; then
  echo "Creating $venv and installing Overt into it"
  python3 -m venv "$venv"
  "$py" -m pip install -q -e .
fi
"$py" -c 'import app.cli.main' 2>/dev/null || "$py" -m pip install -q -e .
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

# --- what is inside: backends chosen at run time are there, other platforms' are not ---------
contents=$("$venv/bin/pyi-archive_viewer" -r -b "$exe" 2>/dev/null | sed 's/^ *//')
for module in app.cli.commands.doctor pynput.keyboard._xorg pynput.mouse._xorg pynput._util.xorg \
  mss.linux.xlib mss.linux.xshmgetimage Xlib.ext.record Xlib.ext.xtest; do
  grep -qx "$module" <<<"$contents" || fail "the bundle lacks $module"
done
for module in pynput.keyboard._win32 pynput.mouse._darwin mss.windows tkinter; do
  if grep -qx "$module" <<<"$contents"; then fail "the bundle carries $module, unneeded on Linux"; fi
done
for unneeded in PySide6/QtNetwork.abi3.so PySide6/QtQml.abi3.so libgtk-3.so.0; do
  [ ! -e "$bundle/_internal/$unneeded" ] || fail "the bundle carries $unneeded, which Overt never loads"
done
echo "ok: the bundle holds the X11 backends and no other platform's"

# --- smoke checks: run the bundle as a person would ------------------------------------------
expected_version=$("$py" -c 'from importlib.metadata import version; print(version("overt"))')
out=$("$exe" --version 2>&1) || fail "'overt --version' failed: $out"
[ "$out" = "overt $expected_version" ] || fail "'overt --version' printed '$out', not 'overt $expected_version'"
echo "ok: $exe --version -> $out"

out=$("$exe" --help 2>&1) || fail "'overt --help' failed: $out"
grep -q 'doctor' <<<"$out" || fail "'overt --help' lists no doctor command (app.cli.commands not collected?)"
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

# On a real (virtual) X display with a tray host, the bundle must be able to record: doctor
# exits 0 only when input capture, screen capture work; the tray app must start and stay up.
if command -v Xvfb >/dev/null && command -v trayer >/dev/null; then
  pids=()
  cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$home"; }
  trap cleanup EXIT
  exec {fd}< <(Xvfb -displayfd 1 -screen 0 1920x1080x24 -nolisten tcp 2>/dev/null & echo "pid $!")
  read -r -u "$fd" _ xvfb_pid; pids+=("$xvfb_pid")
  read -r -t 15 -u "$fd" number || fail "Xvfb did not start"
  export DISPLAY=":$number" XDG_SESSION_TYPE=x11
  unset WAYLAND_DISPLAY
  if command -v openbox >/dev/null; then openbox --sm-disable >/dev/null 2>&1 & pids+=($!); fi
  trayer >/dev/null 2>&1 & pids+=($!)
  sleep 1
  set +e
  out=$(OVERT_HOME="$home" traced timeout 120 "$exe" doctor 2>&1)
  status=$?
  set -e
  echo "$out" | sed 's/^/  | /'
  [ $status -ne $NETWORK_USED ] || fail "'overt doctor' used an internet socket; Overt opens none"
  [ $status -eq 0 ] || fail "'overt doctor' on Xvfb $DISPLAY exited $status: recording would not work"
  grep -q '^system tray: ok' <<<"$out" || fail "'overt doctor' on Xvfb found no tray"
  echo "ok: $exe doctor on Xvfb $DISPLAY: input, screen capture and the tray work"
  set +e
  OVERT_HOME="$home" traced timeout 5 "$exe" >/dev/null 2>&1
  status=$?
  set -e
  [ $status -ne $NETWORK_USED ] || fail "the bundled tray app used an internet socket"
  [ $status -eq 124 ] || fail "the bundled tray app exited with $status within 5 s on Xvfb"
  echo "ok: the bundled tray app starts and stays up on Xvfb"
  command -v strace >/dev/null && echo "ok: neither opened an internet socket (strace)"
elif [ "${CI:-}" = "true" ]; then
  fail "Xvfb or trayer missing (CI=true: the bundle must be tested on a display)"
else
  echo "skipped: the Xvfb smoke test (Xvfb or trayer missing; 'make deps' installs them)"
fi

size=$(du -sh "$bundle" | cut -f1)
echo "Built $bundle in ${elapsed}s: $size on disk (du -sh); $(find "$bundle" -type f | wc -l) files."
