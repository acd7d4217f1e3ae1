#!/usr/bin/env bash
# Installs temoin(1) and the bash, zsh and fish completions, generated from the binary's argument
# parser. Usage: scripts/install-docs.sh BINARY PREFIX   (PREFIX already includes DESTDIR)
set -euo pipefail
bin="$1"
prefix="$2"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The manual and completions are in English whatever the installer's language (`--help` follows LANG).
export LC_ALL=C.UTF-8

install -d "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
    "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
"$bin" --experimental-dump-help > "$tmp/help.json"
python3 "$here/manpage.py" "$tmp/help.json" > "$tmp/temoin.1"
install -m 0644 "$tmp/temoin.1" "$prefix/share/man/man1/temoin.1"
"$bin" --generate-completion-script bash > "$tmp/temoin.bash"
"$bin" --generate-completion-script zsh > "$tmp/_temoin"
"$bin" --generate-completion-script fish > "$tmp/temoin.fish"
install -m 0644 "$tmp/temoin.bash" "$prefix/share/bash-completion/completions/temoin"
install -m 0644 "$tmp/_temoin" "$prefix/share/zsh/site-functions/_temoin"
install -m 0644 "$tmp/temoin.fish" "$prefix/share/fish/vendor_completions.d/temoin.fish"
echo "Installed: $prefix/bin/temoin, man page (man temoin), bash, zsh and fish completions."
