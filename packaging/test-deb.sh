#!/usr/bin/env bash
# Installs the package as a clerk would, on a clean Debian 12 root, and checks what a clerk
# sees: `apt-get install ./tucai_….deb` pulls what it needs, `tucai --version`, `tucai profiles`
# and `man tucai` work, the installed window opens its first-run screen (a screenshot is taken
# on an Xvfb display shared into the root), kiosk mode opens fullscreen, and removing (and
# purging) the package leaves the user's data folder alone. Needs root (or sudo) and Debian's
# package mirror; prints the package size, the install time and the program's start times.
#
#   packaging/test-deb.sh [PACKAGE.deb]     # default: the newest in $CARGO_TARGET_DIR/debian/
#
# The clean root comes from debootstrap (minbase, plus man-db as on any desktop); a pristine
# copy is cached as a tarball so that later runs start from the same clean state in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tucai-target}"
deb="${1:-$(ls -t "$CARGO_TARGET_DIR"/debian/tucai_*.deb 2>/dev/null | head -n 1)}"
[ -f "$deb" ] || { echo "test-deb: no package; run packaging/build-deb.sh first" >&2; exit 2; }
deb="$(realpath "$deb")"
mirror="${TUCAI_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base="${TUCAI_DEBIAN_BASE:-$HOME/.cache/tucai-debian12-base.tar}"
root="${TUCAI_TEST_ROOT:-/tmp/tucai-deb-root}"
shots="$(dirname "$deb")"
display=":$(( 90 + RANDOM % 9 ))"

SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'; }
# The host's tools for the test (not the package's dependencies).
host_tools=(debootstrap xvfb imagemagick xdotool openbox)
missing=()
for pkg in "${host_tools[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mounted=()
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do $SUDO umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
in_root() { $SUDO chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
as_clerk() { $SUDO chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/home/clerk USER=clerk LANG=zh_CN.UTF-8 \
  DISPLAY="$display" XDG_RUNTIME_DIR=/tmp/clerk-runtime setpriv --reuid=1000 --regid=1000 --init-groups "$@"; }

echo "== a clean Debian 12 root"
if [ ! -f "$base" ]; then
  tmp="$(mktemp -d)"
  $SUDO debootstrap --variant=minbase --include=man-db,util-linux bookworm "$tmp" "$mirror" > /tmp/tucai-debootstrap.log
  $SUDO tar -C "$tmp" -cf "$base" .
  $SUDO rm -rf "$tmp"
fi
$SUDO rm -rf "$root"
mkdir -p "$root"
$SUDO tar -C "$root" -xf "$base"
for fs in proc sys dev dev/pts; do
  $SUDO mount --bind "/$fs" "$root/$fs"; mounted+=("$root/$fs")
done
$SUDO cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root useradd -m -u 1000 -s /bin/bash clerk
in_root mkdir -p /tmp/clerk-runtime
in_root chown clerk /tmp/clerk-runtime

echo "== sudo apt install ./$(basename "$deb")"
$SUDO cp "$deb" "$root/tmp/"
in_root apt-get update -qq
started=$(date +%s.%N)
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./tmp/$(basename "$deb")" > /tmp/tucai-apt-install.log
install_s=$(since "$started")
echo "installed in ${install_s} s ($(grep -c '^Setting up' /tmp/tucai-apt-install.log) packages set up)"

echo "== the command line"
as_clerk tucai --version
as_clerk tucai --lang zh profiles | head -n 3
as_clerk tucai --lang en profiles > /dev/null
man_text="$(in_root man -P cat tucai 2>/dev/null)"
echo "$man_text" | grep -q "tucai-standardize" || { echo "test-deb: man tucai does not show the commands" >&2; exit 1; }
echo "man tucai: $(echo "$man_text" | wc -l) lines"
for f in /usr/share/applications/io.github.tucai.Tucai.desktop /usr/share/metainfo/io.github.tucai.Tucai.metainfo.xml \
  /usr/share/icons/hicolor/256x256/apps/io.github.tucai.Tucai.png /usr/share/bash-completion/completions/tucai \
  /usr/share/doc/tucai/copyright /usr/share/doc/tucai/crates-licences.txt /usr/share/tucai/autostart/tucai-kiosk.desktop; do
  [ -s "$root$f" ] || { echo "test-deb: $f missing" >&2; exit 1; }
done
cold=()
for _ in 1 2 3; do
  in_root sh -c 'sync; echo 3 > /proc/sys/vm/drop_caches' 2>/dev/null || true
  s=$(date +%s.%N); as_clerk tucai --lang en profiles > /dev/null; cold+=("$(since "$s")")
done
echo "tucai profiles: ${cold[*]} s"

echo "== the window, on display $display"
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp > /tmp/tucai-xvfb.log 2>&1 &
xvfb_pid=$!
sleep 1
$SUDO mkdir -p "$root/tmp/.X11-unix"
$SUDO mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"; mounted+=("$root/tmp/.X11-unix")
window_pid=""
open_window() { # NAME ARGS…: starts the installed program, waits for its window, takes a screenshot
  local name="$1"; shift
  local s; s=$(date +%s.%N)
  as_clerk tucai "$@" > "/tmp/tucai-window-$name.log" 2>&1 &
  window_pid=$!
  DISPLAY="$display" timeout 60 xdotool search --sync --name "Tucai" > /dev/null
  local shown; shown=$(since "$s")
  sleep 4 # the first frames: fonts, the camera, the store's first answer
  shot "$name"
  echo "$name: window after ${shown} s"
}
shot() { import -display "$display" -window root "$shots/test-deb-$1.png"; echo "screenshot $shots/test-deb-$1.png"; }
close_window() { $SUDO pkill -f "^tucai $1" || true; wait "$window_pid" 2>/dev/null || true; }

open_window first-run --camera demo
close_window "--camera demo"

# Kiosk mode under a window manager (openbox), as on a desktop: fullscreen, and the window
# manager's Alt+F4 answered with the admin form instead of closing.
DISPLAY="$display" openbox > /tmp/tucai-openbox.log 2>&1 &
wm_pid=$!
sleep 1
open_window kiosk --camera demo --kiosk
geometry="$(DISPLAY="$display" xdotool search --name "Tucai" getwindowgeometry | sed -n 's/.*Geometry: //p' | head -n 1)"
echo "kiosk window: $geometry (screen 1366x768)"
[ "$geometry" = "1366x768" ] || { echo "test-deb: the kiosk window is not fullscreen" >&2; exit 1; }
DISPLAY="$display" xdotool key alt+F4
sleep 2
kill -0 "$window_pid" 2>/dev/null || { echo "test-deb: Alt+F4 closed the kiosk window" >&2; exit 1; }
shot kiosk-alt-f4
echo "Alt+F4 in kiosk mode: still open, the admin form asked for"
close_window "--camera demo --kiosk"
kill "$wm_pid" 2>/dev/null || true

data=/home/clerk/.local/share/tucai/tucai.db
[ -s "$root$data" ] || { echo "test-deb: the first run made no store at $data" >&2; exit 1; }

echo "== removal keeps the data"
in_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tucai > /dev/null
[ ! -e "$root/usr/bin/tucai" ] || { echo "test-deb: /usr/bin/tucai left after removal" >&2; exit 1; }
[ -s "$root$data" ] || { echo "test-deb: removal took $data" >&2; exit 1; }
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./tmp/$(basename "$deb")" > /dev/null
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tucai > /dev/null
[ ! -e "$root/usr/bin/tucai" ] || { echo "test-deb: /usr/bin/tucai left after purging" >&2; exit 1; }
[ -s "$root$data" ] || { echo "test-deb: purging took $data" >&2; exit 1; }
echo "removed, reinstalled and purged; $data kept ($(stat -c %s "$root$data") bytes)"

echo "== test-deb: passed — $(basename "$deb"), $(du -h "$deb" | cut -f1), installed in ${install_s} s"
