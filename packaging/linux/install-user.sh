#!/usr/bin/env bash
# Install a built Overt bundle for the current person, under ~/.local (no root needed):
#   bash packaging/linux/install-user.sh [BUNDLE]       BUNDLE defaults to dist/overt
#   bash packaging/linux/install-user.sh --uninstall
# Installs: the bundle in ~/.local/lib/overt, ~/.local/bin/overt, the menu entry, the icons and
# the AppStream metainfo. It never installs the autostart entry (only Settings does) and never
# touches the vault (~/.local/share/overt): uninstalling leaves your recordings where they are.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
config=${XDG_CONFIG_HOME:-$HOME/.config}
libdir=$HOME/.local/lib/overt
bindir=$HOME/.local/bin
apps=$data/applications
icons=$data/icons/hicolor
metainfo=$data/metainfo

refresh() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" || true
}

icon_files() {  # the icon paths, relative to the hicolor folder
  (cd "$here/icons/hicolor" && find . -type f \( -name '*.png' -o -name '*.svg' \) | sed 's|^\./||')
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$libdir"
  if [ -L "$bindir/overt" ] && [ "$(readlink "$bindir/overt")" = "$libdir/overt" ]; then
    rm -f "$bindir/overt"
  fi
  rm -f "$apps/overt.desktop" "$metainfo/io.github.overt.Overt.metainfo.xml"
  rm -f "$config/autostart/overt-autostart.desktop"
  while read -r icon; do rm -f "$icons/$icon"; done < <(icon_files)
  refresh
  echo "Overt is uninstalled. Your vault, if any, is untouched (see 'overt doctor' for where)."
  exit 0
fi

bundle=${1:-dist/overt}
if [ ! -x "$bundle/overt" ]; then
  echo "install-user: no bundle at $bundle (build one with 'make package')." >&2
  exit 1
fi
mkdir -p "$libdir" "$bindir" "$apps" "$metainfo"
rm -rf "$libdir"
cp -a "$bundle" "$libdir"
ln -sfn "$libdir/overt" "$bindir/overt"
# An absolute Exec, so the menu entry works even when ~/.local/bin is not on PATH (quoted when
# the path has spaces, as the Desktop Entry spec wants; TryExec is never quoted).
exec_value="$libdir/overt"
[[ "$exec_value" =~ [[:space:]] ]] && exec_value="\"$exec_value\""
sed -e "s|^Exec=overt\$|Exec=$exec_value|" -e "s|^TryExec=overt\$|TryExec=$libdir/overt|" \
  "$here/overt.desktop" >"$apps/overt.desktop"
cp "$here/io.github.overt.Overt.metainfo.xml" "$metainfo/"
while read -r icon; do
  mkdir -p "$(dirname "$icons/$icon")"
  cp "$here/icons/hicolor/$icon" "$icons/$icon"
done < <(icon_files)
refresh
echo "Overt is installed: $bindir/overt and a menu entry. Start with 'overt doctor'."
