#!/usr/bin/env bash
# Installs the Debian packages that building, running and testing Tucai need.
# Idempotent: installs only what is missing; uses sudo when not run as root.
set -euo pipefail

BUILD=(build-essential pkg-config ca-certificates)
# The station window (glow over X11 or Wayland), Chinese text, and headless runs under Xvfb.
RUN=(libgl1-mesa-dri libegl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 fonts-noto-cjk xvfb xauth)

missing=()
for pkg in "${BUILD[@]}" "${RUN[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps-debian: all packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "deps-debian: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "deps-debian: cargo not found. Install Rust 1.95 with rustup (rust-toolchain.toml pins it)." >&2
  exit 1
fi
