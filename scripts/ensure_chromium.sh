#!/usr/bin/env bash
# The dashboards' browser tests drive Debian's Chromium (/usr/bin/chromium): install it when
# missing (as root, or with sudo where that works without a password).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "Chromium is missing and cannot be installed without root: apt-get install chromium" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium >/dev/null || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q chromium >/dev/null
}
/usr/bin/chromium --version
