#!/usr/bin/env bash
# Installs what EdgeTree Studio needs on a fresh Debian machine (run as root):
# Debian packages, then the npm packages. Safe to run again; skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-torch: the PyTorch recipes (recipes/pytorch) that train base models and compressed blocks on
# the CPU faster than TF.js can here; the tests run the block recipe on a small job.
apt_packages=(chromium adb openssh-server flatbuffers-compiler dataset-fashion-mnist python3-torch)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Electron's binary and onnxruntime's extra downloads cannot be fetched on machines
# without internet; the studio falls back to browser mode when Electron is absent.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip
stamp=node_modules/.edgetree-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (better-sqlite3 compiles from source, about a minute)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
