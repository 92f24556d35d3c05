#!/usr/bin/env bash
# Installs what Batch Lab's build and tests need, skipping whatever is already there at the
# right version. Safe to run again and again; scripts/serve and scripts/test source it.
#
#   Debian packages  chromium, chromium-driver, fonts-nanum, jekyll (+ nodejs/npm, python3, a C
#                    compiler if missing)
#   rustup           the wasm32-unknown-unknown target, rustfmt and clippy
#   cargo install    trunk 0.21.14 (--locked), wasm-bindgen-cli 0.2.130
#                    (wasm-bindgen, wasm-bindgen-test-runner)
#   npm              binaryen@132.0.0 (wasm-opt version_132) and axe-core@4.14.1 (the e2e phase's
#                    accessibility audit) into $BATCH_LAB_TOOLS; lighthouse@12.2.3 there too, but
#                    only when scripts/bench asks (`batch_lab_lighthouse`), never for scripts/test
#
# Run it directly (`scripts/install.sh`) or source it: it then also exports PATH (with
# cargo's bin directory and the wasm-opt directory) and BATCH_LAB_TOOLS.
#
# Pins, kept in step with Cargo.toml (`wasm-bindgen = "=0.2.130"`) and Trunk.toml ([tools]):
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_NPM_VERSION=132.0.0
WASM_OPT_VERSION=132
AXE_CORE_VERSION=4.14.1
# Lighthouse 13 needs Node 22 (Debian 12 has 20) and npm refuses the locks of 12.3-13.4 here.
LIGHTHOUSE_VERSION=12.2.3

_bl_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Project-local tools (inside target/, so git ignores them and `cargo clean` resets them).
export BATCH_LAB_TOOLS="${BATCH_LAB_TOOLS:-$_bl_root/target/tools}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$BATCH_LAB_TOOLS/node_modules/.bin:$PATH"

_bl_log() { printf '[install] %s\n' "$*"; }
_bl_die() {
  printf '[install] error: %s\n' "$*" >&2
  return 1
}

# `as_root CMD...`: run as root (directly, or through sudo when not root).
_bl_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    _bl_die "need root (or sudo) to run: $*"
  fi
}

_bl_apt_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v cc >/dev/null 2>&1 || missing+=(build-essential)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  # A Korean font, so screenshots of the page (title "Batch Lab — 배치 실험실") show Hangul.
  [ -n "$(fc-list :lang=ko 2>/dev/null)" ] || missing+=(fonts-nanum)
  # Jekyll 4.3 (Debian's), for the e2e test that builds the example blog (embed/jekyll/example);
  # 50 packages, about 10 MB, ~10 s on a warm mirror.
  command -v jekyll >/dev/null 2>&1 || missing+=(jekyll)
  if [ ${#missing[@]} -eq 0 ]; then
    _bl_log "apt: chromium, chromium-driver, node/npm, python3, cc, a Korean font, jekyll present (skip)"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || _bl_die "missing ${missing[*]} and no apt-get: install them by hand" || return 1
  _bl_log "apt: installing ${missing[*]}"
  _bl_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
  _bl_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" ca-certificates || return 1
}

_bl_rust() {
  command -v rustup >/dev/null 2>&1 || _bl_die "rustup not found: install it first (https://rustup.rs)" || return 1
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    _bl_log "rustup: wasm32-unknown-unknown present (skip)"
  else
    _bl_log "rustup: adding wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown || return 1
  fi
  local comps=()
  cargo fmt --version >/dev/null 2>&1 || comps+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || comps+=(clippy)
  if [ ${#comps[@]} -gt 0 ]; then
    _bl_log "rustup: adding ${comps[*]}"
    rustup component add "${comps[@]}" || return 1
  fi
}

_bl_trunk() {
  if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
    _bl_log "trunk $TRUNK_VERSION present (skip)"
    return 0
  fi
  _bl_log "cargo install trunk $TRUNK_VERSION (takes ~8 min on 2 cores)"
  cargo install trunk --locked --version "$TRUNK_VERSION" --force
}

_bl_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
    [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]; then
    _bl_log "wasm-bindgen-cli $WASM_BINDGEN_VERSION present (skip)"
    return 0
  fi
  # Without --locked (as verified with rustc 1.95); Cargo.toml pins the matching wasm-bindgen.
  _bl_log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes ~5 min on 2 cores)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

# Installs one pinned npm package (name@version) into $BATCH_LAB_TOOLS, the project's own
# node_modules (never global).
_bl_npm() {
  _bl_log "npm: installing $1 into $BATCH_LAB_TOOLS"
  mkdir -p "$BATCH_LAB_TOOLS" || return 1
  [ -f "$BATCH_LAB_TOOLS/package.json" ] ||
    printf '{ "name": "batch-lab-tools", "private": true }\n' >"$BATCH_LAB_TOOLS/package.json"
  npm install --prefix "$BATCH_LAB_TOOLS" --no-audit --no-fund --save-exact "$1"
}

_bl_wasm_opt() {
  local bin="$BATCH_LAB_TOOLS/node_modules/.bin/wasm-opt"
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "(version_$WASM_OPT_VERSION)"; then
    _bl_log "wasm-opt version_$WASM_OPT_VERSION (npm binaryen@$BINARYEN_NPM_VERSION) present (skip)"
    return 0
  fi
  # Never Debian's binaryen (108): its wasm-opt produces a broken module for this app.
  _bl_npm "binaryen@$BINARYEN_NPM_VERSION" || return 1
  "$bin" --version | grep -q "(version_$WASM_OPT_VERSION)" ||
    _bl_die "$bin is not wasm-opt version_$WASM_OPT_VERSION"
}

# Installs npm package $1 at version $2 into $BATCH_LAB_TOOLS unless that version is there;
# $3: a file below node_modules/ the package must provide.
_bl_npm_pinned() {
  local pkg="$BATCH_LAB_TOOLS/node_modules/$1/package.json"
  if [ -f "$pkg" ] && grep -q "\"version\": \"$2\"" "$pkg"; then
    _bl_log "$1 $2 present (skip)"
    return 0
  fi
  _bl_npm "$1@$2" || return 1
  [ -e "$BATCH_LAB_TOOLS/node_modules/$3" ] || _bl_die "no $3 in $BATCH_LAB_TOOLS/node_modules"
}

# axe-core (npm, pinned): the accessibility rules the e2e phase runs inside the page
# (tests/e2e/src/lib.rs injects $BATCH_LAB_TOOLS/node_modules/axe-core/axe.min.js).
_bl_axe() { _bl_npm_pinned axe-core "$AXE_CORE_VERSION" axe-core/axe.min.js; }

# Lighthouse (npm, pinned), for scripts/bench's `lighthouse` part only: it drives the installed
# Chromium (CHROME_PATH) and never downloads a browser of its own.
batch_lab_lighthouse() { _bl_npm_pinned lighthouse "$LIGHTHOUSE_VERSION" .bin/lighthouse; }

batch_lab_install() {
  local t0=$SECONDS
  # Without a C compiler the cargo installs below cannot build: then apt must finish first.
  if ! command -v cc >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1; then
    _bl_apt_packages || return 1
  fi
  # Otherwise the apt step (mostly download and unpack) overlaps the cargo compiles.
  local apt_log
  apt_log="$(mktemp)"
  _bl_apt_packages >"$apt_log" 2>&1 &
  local apt_pid=$!

  local ok=0
  _bl_rust && _bl_trunk && _bl_wasm_bindgen || ok=1

  if ! wait "$apt_pid"; then
    ok=1
    cat "$apt_log" >&2
    _bl_die "the Debian package install failed (log above)" || true
  else
    grep -F '[install]' "$apt_log" || true
  fi
  rm -f "$apt_log"
  [ $ok -eq 0 ] || return 1

  _bl_wasm_opt || return 1
  _bl_axe || return 1

  _bl_log "ready in $((SECONDS - t0)) s: $(trunk --version), $(wasm-bindgen --version)," \
    "wasm-opt $("$BATCH_LAB_TOOLS/node_modules/.bin/wasm-opt" --version | sed 's/.*(\(.*\))/\1/'),"
  _bl_log "  $(chromium --version 2>/dev/null | head -n 1), $(chromedriver --version | cut -d' ' -f1-2)"
}

# Executed (not sourced): install and report.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  batch_lab_install
fi
