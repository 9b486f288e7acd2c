#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, test and demo the project.
# Idempotent: does nothing (and needs no network) when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev libavfilter-dev
  libyaml-dev libcjson-dev libebur128-dev libfftw3-dev libspeexdsp-dev
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us libcurl4-openssl-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core libxml2-dev libsqlite3-dev sqlite3
  opencv-data python3-skimage python-matplotlib-data libaubio-dev
  ffmpeg espeak-ng flite sox jq time valgrind python3
  # Beat tests and bench: MIDI rendered with real sampled instruments, and
  # aubio's own beat tracker to compare against.
  fluidsynth fluid-soundfont-gm aubio-tools
  # The report test renders analytics/report.html in a real browser; the
  # review editor serves it over HTTP (libmicrohttpd) and its test drives the
  # browser over the DevTools protocol from node (npm modules below).
  chromium libmicrohttpd-dev
  # make graph draws the library's layers.
  graphviz
  # Burned-in captions: emoji by fontconfig fallback; the caption test reads
  # the rendered frames back with OCR (numpy/imageio: where the box is).
  fonts-noto-color-emoji tesseract-ocr tesseract-ocr-eng python3-numpy python3-imageio
  # Captions in Chinese, Japanese and Korean (corrected words, HTTP recognisers).
  fonts-noto-cjk
  # The scale-out test starts a one-node Slurm cluster on localhost.
  slurmctld slurmd slurm-client munge
  # make fuzz: clang-14 and its libFuzzer runtime (libclang_rt.fuzzer*.a).
  clang libclang-rt-14-dev
)

# The review test's DevTools client: chrome-remote-interface (tests/browser/
# package.json, pinned; no engines limit, so Node 18+ of any origin works),
# installed into tests/browser/node_modules (ignored by git). Debian's npm
# is only added where no npm exists (a NodeSource node brings its own).
install_browser_modules() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  [ -d "$dir/node_modules/chrome-remote-interface" ] && return 0
  echo "install-deps: npm install in $dir" >&2
  (cd "$dir" && npm install --no-audit --no-fund --no-package-lock >/dev/null) ||
    echo "install-deps: npm install failed; the review browser test will be skipped" >&2
}
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  install_browser_modules
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_browser_modules
