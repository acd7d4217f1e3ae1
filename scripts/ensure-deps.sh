#!/usr/bin/env bash
# Installs what temoin needs to build and test, when it is missing.
# Debian/Ubuntu: apt-get (as root, or through sudo). macOS: prints the Homebrew command.
set -euo pipefail

DEB_PACKAGES=(pkg-config libxml2-dev libsqlite3-dev libdeflate-dev libcurl4-openssl-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core tzdata sqlite3 python3 python3-venv openssl wget poppler-utils chromium pandoc fontconfig patchelf binutils dpkg-dev lintian debootstrap)

if [ "$(uname -s)" = "Darwin" ]; then
    missing=()
    for f in libxml2 libdeflate sqlite pkg-config cairo pango poppler; do
        brew list "$f" >/dev/null 2>&1 || missing+=("$f")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "temoin needs: brew install ${missing[*]}" >&2
        echo "then: export PKG_CONFIG_PATH=\"\$(brew --prefix libxml2)/lib/pkgconfig:\$(brew --prefix sqlite)/lib/pkgconfig:\$PKG_CONFIG_PATH\"" >&2
        exit 1
    fi
    exit 0
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "Swift 6 is needed: see https://www.swift.org/install/linux/ (or add /opt/swift/usr/bin to PATH)." >&2
    exit 1
fi

missing=()
for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
