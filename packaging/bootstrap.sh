#!/usr/bin/env bash
# Installs what burnstation needs from Debian 12, builds it, and then either runs the
# service on its built-in defaults (`run`) or the whole test suite (`test`).
# Usage: bash packaging/bootstrap.sh run|test     (as root, or with sudo available)
set -euo pipefail

mode=${1:-}
case "$mode" in
  run|test) ;;
  *) echo "usage: bash packaging/bootstrap.sh run|test" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."

build_packages=(
  cmake g++ make pkg-config
  libdcmtk-dev             # DICOM networking, datasets, codecs
  libtomlplusplus-dev      # configuration file
  nlohmann-json3-dev       # --json output
  libxxhash-dev            # content hash of received instances
  libsqlite3-dev           # the index
  libisofs-dev libburn-dev # ISO 9660 images and (issue 4) optical drives
  libpango1.0-dev libcairo2-dev  # disc labels: text layout with font fallback, PNG output
  fonts-noto-cjk           # label fonts that cover Chinese, Japanese and Korean names
  libgtest-dev             # unit and integration tests (built with the project)
  libusb-1.0-0-dev         # USB sticks arriving and leaving (hotplug)
  zlib1g-dev               # inflating deflated data sets for the structural scan
  libmicrohttpd-dev        # the local API's HTTP server on a Unix socket (the kiosk's link)
  qt6-base-dev             # the kiosk (ui/): Qt Widgets, QLocalSocket to the local API, QtTest
  libavformat-dev libavcodec-dev libavutil-dev  # video objects re-wrapped as MP4 for the viewer
  libicu-dev               # patient search: names folded for case and accents in every script
  libsodium-dev            # the admin PIN's argon2id hash and the admin session tokens
  dosfstools               # mkfs.vfat: the service formats a refused stick FAT32 (and tests make images)
)
test_packages=(
  dcmtk                    # storescu/echoscu/storescp/dcmdump: real peers and readers
  dicom3tools              # dciodvfy
  python3-pydicom          # an independent reader
  sqlite3
  curl                     # drives the local API over its Unix socket (--unix-socket)
  xvfb xdotool             # the kiosk's end-to-end run with a real window and real clicks
  xorriso                  # reads our ISO images back (names, MD5)
  genisoimage              # isoinfo: the raw ISO 9660 names
  time                     # peak RSS in benchmarks
  mtools                   # mdir/mcopy: read stick images without mounting them
  fusefat fuse             # mount FAT images where the kernel has no vfat; fusermount
  exfatprogs               # mkfs.exfat: an exFAT stick that must be refused
  clang libclang-rt-14-dev # libFuzzer and its sanitizers for the fuzz targets
  dpkg-dev                 # dpkg-buildflags: the flags of a Debian package build
  chromium firefox-esr     # open the viewer and web content from file://, as a user does
  ffmpeg                   # makes the H.264 and MPEG-2 streams of test video objects
)

packages=("${build_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The browser tests drive chromium and firefox-esr with puppeteer-core (npm, pinned in
# tests/viewer_bundle/browser/package-lock.json); Debian's nodejs and npm run it.
if [ "$mode" = test ]; then
  if ! command -v npm >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  (cd tests/viewer_bundle/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

jobs=$(nproc)
if [ "$mode" = run ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
  cmake --build build -j"$jobs"
  exec build/app/burnstation serve
fi

# Tests: a normal build, then the same suite under AddressSanitizer and UBSan.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DBURNSTATION_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 120

# A user's Release build and a Debian package's build (dpkg-buildflags, no -Werror) must
# compile on this compiler too: GCC's -O3 warnings differ from -O2's.
CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS)" CFLAGS="$(dpkg-buildflags --get CFLAGS)" \
  LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" \
  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-release -j"$jobs"

# Fuzzing: the receive path, the DICOMDIR reader and the association request check with the
# PDU stream guard, each for a bounded time from the corpus
# in the repo (BURNSTATION_FUZZ_SECONDS, 60 by default, 0 skips). A crash fails the run and
# leaves its input in build-fuzz/.
fuzz_seconds=${BURNSTATION_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" != 0 ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=OFF -DBURNSTATION_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzz_receive fuzz_dicomdir fuzz_association
  for target in receive dicomdir association; do
    found=$(mktemp -d)  # new inputs go here, the corpus in the repo stays as committed
    build-fuzz/tests/fuzz/fuzz_$target -max_total_time="$fuzz_seconds" -timeout=10 \
      -max_len=16384 -print_final_stats=1 -artifact_prefix=build-fuzz/ \
      "$found" tests/fuzz/corpus/$target
    rm -rf "$found"
  done
fi

if [ "${BURNSTATION_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBURNSTATION_SANITIZE=ON -DBUILD_TESTING=ON \
    -DBURNSTATION_WERROR=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS=suppressions="$PWD/tests/lsan-dcmtk.supp":print_suppressions=0 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 300 \
      -E '^(ViewerBrowser|MediumInBrowsersTest)\.'
  # The browser tests run JavaScript in chromium and firefox-esr against content the normal
  # build made; the sanitizers cannot see into the browsers, so they run once, above.
fi
