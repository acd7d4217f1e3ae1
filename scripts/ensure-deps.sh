#!/usr/bin/env bash
# Installs what temoin needs to build and test, when it is missing.
# Debian/Ubuntu: apt-get (as root, or through sudo). macOS: prints the Homebrew command.
set -euo pipefail

# gdk-pixbuf's loaders for the photo formats phones write (WEBP, HEIC, AVIF): the dossier draws proof
# photos with them. Without one, the pièce says plainly that the photo could not be drawn and why.
DEB_OPTIONAL=(webp-pixbuf-loader heif-gdk-pixbuf libavif-gdk-pixbuf)
DEB_PACKAGES=(pkg-config libxml2-dev libsqlite3-dev libdeflate-dev libcurl4-openssl-dev libcairo2-dev libpango1.0-dev libgdk-pixbuf-2.0-dev fonts-dejavu-core tzdata sqlite3 python3 python3-venv openssl wget poppler-utils chromium pandoc fontconfig patchelf binutils dpkg-dev lintian debootstrap faketime)

if [ "$(uname -s)" = "Darwin" ]; then
    missing=()
    for f in libxml2 libdeflate sqlite pkg-config cairo pango gdk-pixbuf poppler; do
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
    UPDATED=1
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
optional=()
for p in "${DEB_OPTIONAL[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || optional+=("$p")
done
if [ ${#optional[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    [ -n "${UPDATED:-}" ] || $SUDO apt-get update -qq || true
    # Older releases may lack one of them: the dossier then says which photos it could not draw.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${optional[@]}" \
        || echo "Optional image loaders not installed (${optional[*]}): some proof photos will be attached undrawn." >&2
fi
