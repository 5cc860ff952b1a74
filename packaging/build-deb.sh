#!/usr/bin/env bash
# Builds the booth PC's package from this checkout: a release binary, its man pages, shell
# completions and the licences of every crate compiled into it, then the .deb (cargo-deb, at a
# pinned version, reads [package.metadata.deb] in Cargo.toml). Prints the package's path.
#
#   packaging/build-deb.sh            # → $CARGO_TARGET_DIR/debian/tucai_<version>-1_<arch>.deb
#
# The release build compiles everything once more (about 25 minutes on 2 cores the first time).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tucai-target}"
export CARGO_TERM_COLOR=never

# Build tools and the libraries the build links (libssl-dev, libclang-dev for the webcam
# bindings); dpkg-dev brings dpkg-shlibdeps, which turns `$auto` into the linked libraries.
bash packaging/deps-debian.sh
if ! command -v dpkg-shlibdeps >/dev/null 2>&1; then
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev
fi
if ! cargo deb --version 2>/dev/null | grep -q "$CARGO_DEB_VERSION"; then
  echo "== cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked
fi

echo "== release build"
cargo build --release --locked
bin="$CARGO_TARGET_DIR/release/tucai"

# What cargo-deb packages from target/release/package/ (see the assets in Cargo.toml).
out="$CARGO_TARGET_DIR/release/package"
rm -rf "$out"
mkdir -p "$out"
echo "== man pages and completions"
"$bin" --lang en docs "$out"

echo "== licences of the crates compiled in"
# Every crate the binary is built from (normal dependencies for this machine's target; build
# scripts and proc-macros run only at build time), its SPDX expression and licence files;
# each distinct text once.
host="$(rustc -vV | sed -n 's/^host: //p')"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
index="$out/index.txt"
texts="$out/texts.txt"
: > "$index"
: > "$texts"
declare -A seen=()
while IFS='|' read -r crate licence; do
  name="${crate% v*}"
  version="${crate##* v}"
  echo "$name $version: $licence" >> "$index"
  dir="$(find "$registry" -maxdepth 2 -type d -name "$name-$version" -print -quit 2>/dev/null || true)"
  [ -n "$dir" ] || continue
  while IFS= read -r -d '' file; do
    hash="$(sha256sum "$file" | cut -c1-12)"
    echo "    $(basename "$file"): text $hash" >> "$index"
    if [ -z "${seen[$hash]:-}" ]; then
      seen[$hash]=1
      { printf '\n==== text %s (from %s %s, %s)\n\n' "$hash" "$name" "$version" "$(basename "$file")"; cat "$file"; } >> "$texts"
    fi
  done < <(find "$dir" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'LICENCE*' -o -iname 'COPYING*' -o -iname 'NOTICE*' -o -iname 'UNLICENSE' \) -print0 | sort -z)
done < <(cargo tree --locked -e normal --target "$host" --prefix none --format '{p}|{l}' \
  | grep -v '(proc-macro)' | grep -v '^tucai ' | sed 's/ (\*)$//' | sort -u)
{
  echo "Crates compiled into /usr/bin/tucai, with their licences (SPDX) and licence files."
  echo "Each distinct licence text follows once, after the list."
  echo
  cat "$index"
  cat "$texts"
} > "$out/crates-licences.txt"
echo "$(grep -c '^[^ ]' "$index") crates, $(grep -c '^==== text' "$texts") distinct licence texts"
rm "$index" "$texts"

echo "== package"
# Stripped: the release profile keeps line tables for our own backtraces and profiles, which
# would make the installed binary 370 MB instead of 82 MB.
cargo deb --no-build --locked --strip --output "$CARGO_TARGET_DIR/debian/"
deb="$(ls -t "$CARGO_TARGET_DIR"/debian/tucai_*.deb | head -n 1)"
echo "$deb ($(du -h "$deb" | cut -f1))"
