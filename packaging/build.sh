#!/usr/bin/env bash
# Build the terminal bundle reproducibly: dist/job-kiosk/ (PyInstaller, one folder), then check it.
#
#   packaging/build.sh
#   KIOSK_RELEASE_PUBKEY=keys/release.pub packaging/build.sh    # ship the operator's key inside
#
# Reproducible: a fresh virtual environment (build/bundle/venv) with the versions of
# packaging/constraints.txt, PYTHONHASHSEED=0, SOURCE_DATE_EPOCH from the last commit (or as
# given), UTC, C locale, umask 022. Two builds of one commit on one base image give the same
# dist/job-kiosk.sha256 (compare them before signing). Then, on the release machine:
#   kiosk make-release dist/job-kiosk --key release.key --out out/ --version "$(cat dist/VERSION)"
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
WORK=build/bundle
VENV=$WORK/venv
BUNDLE=dist/job-kiosk

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
fi
export SOURCE_DATE_EPOCH PYTHONHASHSEED=0 TZ=UTC LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1
export PIP_DISABLE_PIP_VERSION_CHECK=1
umask 022
if [ -n "${KIOSK_RELEASE_PUBKEY:-}" ]; then
    KIOSK_RELEASE_PUBKEY=$(realpath "$KIOSK_RELEASE_PUBKEY")
    export KIOSK_RELEASE_PUBKEY
fi
started=$(date +%s)

echo "== environment ($VENV)"
# Fresh every time: a venv left by an older build could hold packages the constraints no
# longer pin (or a hand-installed one), and the bundle would depend on it. KIOSK_BUILD_REUSE_VENV=1
# skips this while working on the spec, never for a release.
if [ "${KIOSK_BUILD_REUSE_VENV:-0}" != 1 ]; then
    rm -rf "$VENV"
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
constraints=()
[ -f packaging/constraints.txt ] && constraints=(-c packaging/constraints.txt)
"$VENV/bin/python" -m pip install -q "${constraints[@]}" ".[release]"
"$VENV/bin/python" -m kiosk.i18n build
"$VENV/bin/python" -m pip freeze --exclude job-kiosk > "$WORK/pip-freeze.txt"

echo "== PyInstaller"
rm -rf "$BUNDLE" "$WORK/pyinstaller"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath "$WORK/pyinstaller" packaging/kiosk.spec

echo "== checks"
leftover=$(cd "$BUNDLE/_internal" && find . -maxdepth 1 \( -name 'libstdc++.so*' \
    -o -name 'libfontconfig.so*' -o -name 'libdbus-1.so*' -o -name 'libpulse*.so*' \
    -o -name 'libgtk-3.so*' \) -print | head -5)
if [ -n "$leftover" ]; then
    echo "build: system libraries the base image provides are in the bundle: $leftover" >&2
    exit 1
fi
"$BUNDLE/kiosk" --version | awk '{print $2}' > dist/VERSION
echo "version $(cat dist/VERSION)"
leaked=$(find "$BUNDLE" \( -path '*/hub/*' -o -path '*/tests/*' -o -name 'test_*.py' \
    -o -name '*Designer*' -o -name '*WebEngine*' \) -print | head -5)
if [ -n "$leaked" ]; then
    echo "build: the bundle holds what a terminal must not carry:" >&2
    echo "$leaked" >&2
    exit 1
fi
missing=$(find kiosk/ui/qml -type f 2>/dev/null | while read -r f; do
    [ -e "$BUNDLE/_internal/$f" ] || echo "$f"; done | head -5)
if [ -n "$missing" ]; then
    echo "build: QML files missing from the bundle (pyproject package-data?): $missing" >&2
    exit 1
fi
if "$BUNDLE/kiosk" --help | grep -q -- '--selftest'; then
    scratch=$(mktemp -d)
    QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software KIOSK_DATA_DIR="$scratch" \
        KIOSK_CONFIG= timeout 300 "$BUNDLE/kiosk" --selftest
    rm -rf "$scratch"
    echo "self-test passed"
else
    echo "build: WARNING: this kiosk has no --selftest yet; the bundle was not self-tested" >&2
fi

# One line per file (path, SHA-256), sorted: what two reproducible builds must agree on.
(cd "$BUNDLE" && find . \( -type f -o -type l \) -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum) > dist/job-kiosk.sha256
echo "size $(du -sh "$BUNDLE" | cut -f1), $(wc -l < dist/job-kiosk.sha256) files," \
     "tree sha256 $(sha256sum dist/job-kiosk.sha256 | cut -c1-16), $(( $(date +%s) - started )) s"
