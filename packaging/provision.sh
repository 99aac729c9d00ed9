#!/usr/bin/env bash
# Turn a blank Debian 12 / Ubuntu 24.04 machine into a locked-down Job Kiosk terminal.
#
#   sudo packaging/provision.sh --from https://hub.example.org/v1/releases/ \
#        --pubkey release.pub --config lyon-part-dieu-01.toml [--channel stable]
#
# Installs cage and the libraries Qt needs, creates the `job-kiosk` user, the data folder,
# the systemd units, the PAM session and the invisible cursor; trusts the operator's release
# key; installs the first release after checking its signature; starts the kiosk on tty1.
# Run it from a copy of the packaging/ folder (a release checkout or the release archive).
# The hub serves releases without a token (they are public, signed artefacts): a blank machine
# is provisioned first, then enrolled (`sudo kiosk enrol https://hub.example.org CODE`).
#
# For an image build or a test, the places can be moved and the system steps (packages, user,
# PAM session, boot, units) left out: PROVISION_SYSTEM=0, PROVISION_ROOT (/opt/job-kiosk),
# PROVISION_ETC (/etc/job-kiosk), PROVISION_DATA (/var/lib/job-kiosk), PROVISION_BIN
# (/usr/local/bin), PROVISION_USER (job-kiosk).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
system="${PROVISION_SYSTEM:-1}"
root="${PROVISION_ROOT:-/opt/job-kiosk}"
etc="${PROVISION_ETC:-/etc/job-kiosk}"
data="${PROVISION_DATA:-/var/lib/job-kiosk}"
bin="${PROVISION_BIN:-/usr/local/bin}"
user="${PROVISION_USER:-job-kiosk}"

from="" pubkey="" config="" channel=stable
while [ $# -gt 0 ]; do
    case "$1" in
        --from) from=$2; shift 2 ;;
        --pubkey) pubkey=$2; shift 2 ;;
        --config) config=$2; shift 2 ;;
        --channel) channel=$2; shift 2 ;;
        *) echo "provision: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$from" ] && [ -n "$pubkey" ] && [ -n "$config" ] || {
    echo "usage: provision.sh --from URL|FOLDER --pubkey release.pub --config kiosk.toml" >&2; exit 2; }
if [ "$system" = 1 ]; then
    [ "$(id -u)" -eq 0 ] || { echo "provision: run as root" >&2; exit 1; }
    echo "== packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The system libraries the bundle does not carry (packaging/kiosk.spec, SYSTEM_LIBRARIES).
    apt-get install -y -qq --no-install-recommends \
        cage minisign ca-certificates curl systemd-timesyncd dbus libpam-systemd \
        libegl1 libgl1 libgl1-mesa-dri libgbm1 libxkbcommon0 libwayland-client0 \
        libwayland-cursor0 libwayland-egl1 libfontconfig1 libfreetype6 fontconfig \
        fonts-dejavu-core fonts-noto-core libdbus-1-3 libpulse0 libstdc++6 libglib2.0-0 \
        speech-dispatcher speech-dispatcher-espeak-ng  # audio mode's voices (speechd engine)
    systemctl enable --now systemd-timesyncd.service   # manifests expire: the clock must be right

    echo "== user, folders, session"
    install -m 0644 "$here/systemd/job-kiosk.sysusers" /etc/sysusers.d/job-kiosk.conf
    install -m 0644 "$here/systemd/job-kiosk.tmpfiles" /etc/tmpfiles.d/job-kiosk.conf
    systemd-sysusers /etc/sysusers.d/job-kiosk.conf
    systemd-tmpfiles --create /etc/tmpfiles.d/job-kiosk.conf
    install -m 0644 "$here/cage/job-kiosk.pam" /etc/pam.d/job-kiosk
fi
group=$(id -gn "$user")   # the user's primary group (sysusers names it after the user)
install -d -m 0755 "$root" "$root/releases" "$etc" "$bin"
install -d -m 0700 -o "$user" -g "$group" "$data"
install -d -m 0755 "$root/bin" "$root/share/icons" "$root/share/doc"
install -m 0755 "$here/bin/kiosk-guard" "$here/cage/kiosk-session" "$root/bin/"
# `kiosk` on the PATH: the current release with this terminal's configuration and data folder.
sed -e "s|/opt/job-kiosk|$root|g" -e "s|/etc/job-kiosk|$etc|g" \
    -e "s|/var/lib/job-kiosk|$data|g" -e "s|JOB_KIOSK_USER:-job-kiosk|JOB_KIOSK_USER:-$user|" \
    "$here/bin/kiosk" > "$bin/kiosk.new"
chmod 0755 "$bin/kiosk.new" && mv -f "$bin/kiosk.new" "$bin/kiosk"
python3 "$here/cage/blank-cursor-theme.py" "$root/share/icons" >/dev/null 2>&1 \
    || echo "provision: no python3: the pointer stays visible until the kiosk hides it" >&2
[ -f "$here/../docs/operators.md" ] && install -m 0644 "$here/../docs/operators.md" "$root/share/doc/"

echo "== keys and configuration"
install -m 0644 "$pubkey" "$etc/release.pub"
install -m 0640 -g "$group" "$config" "$etc/kiosk.toml"   # readable by the kiosk, not by others

echo "== first release ($channel from $from)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fetch() {  # fetch NAME: from a URL or a folder into $scratch
    case "$from" in
        http://*|https://*) curl -fsS --max-time 600 -o "$scratch/$1" "${from%/}/$1" ;;
        *) cp "${from#file://}/$1" "$scratch/$1" ;;
    esac
}
fetch "$channel.json"; fetch "$channel.json.minisig"
minisign -Vq -p "$etc/release.pub" -m "$scratch/$channel.json"
archive=$(sed -n 's/^ *"name": "\(job-kiosk-[^"]*\.tar\.gz\)",*$/\1/p' "$scratch/$channel.json")
[ -n "$archive" ] || { echo "provision: $channel.json names no archive" >&2; exit 1; }
fetch "$archive"; fetch "$archive.minisig"
minisign -Vq -p "$etc/release.pub" -m "$scratch/$archive"
mkdir "$scratch/bundle" && tar -xzf "$scratch/$archive" -C "$scratch/bundle" --no-same-owner
# The release's own updater installs it properly (every file's SHA-256, the layout).
KIOSK_CONFIG="$etc/kiosk.toml" KIOSK_DATA_DIR="$data" \
    "$scratch/bundle/kiosk" update apply --from "$from" --channel "$channel" \
    --root "$root" --pubkey "$etc/release.pub" --selftest-user "$user"

if [ "$system" != 1 ]; then
    echo "provision: release installed under $root (PROVISION_SYSTEM=$system: no units, no boot)"
    exit 0
fi
echo "== boot"
if [ -d /etc/default/grub.d ]; then   # the text console never blanks (cage owns the screen)
    echo 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0"' \
        > /etc/default/grub.d/job-kiosk.cfg
    command -v update-grub >/dev/null && update-grub
fi
install -m 0644 "$here"/systemd/job-kiosk*.service "$here"/systemd/job-kiosk*.timer /etc/systemd/system/
systemctl daemon-reload
systemctl disable getty@tty1.service
systemctl set-default graphical.target
systemctl enable job-kiosk.service job-kiosk-update.timer job-kiosk-guard.timer
systemctl restart job-kiosk.service
echo "provision: done; the kiosk runs on tty1 (journalctl -u job-kiosk -f)"
echo "provision: enrol it with a code from the hub: sudo kiosk enrol https://hub.example.org CODE"
