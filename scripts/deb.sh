#!/usr/bin/env bash
# make deb: a Debian package of the release binary (built with --disable-local-rpath), installable
# with `apt install ./temoin_VERSION-1_ARCH.deb`. Depends come from dpkg-shlibdeps; the manual page
# and the completions are generated from the argument parser; copyright in the machine-readable format.
# Usage: scripts/deb.sh RELEASE_BINARY OUT_DIR
set -euo pipefail
bin="$1"
out="$2"
here="$(cd "$(dirname "$0")/.." && pwd)"
pack="$here/packaging/debian"
resources="$(dirname "$bin")/temoin_TemoinKit.resources/Resources"

for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture strip gzip python3; do
    command -v "$tool" >/dev/null || { echo "deb: $tool is needed (scripts/ensure-deps.sh installs it)" >&2; exit 1; }
done
if readelf -d "$bin" | grep -qE '\((RPATH|RUNPATH)\)'; then
    echo "deb: $bin carries an RPATH; build it with --disable-local-rpath (make release does)" >&2
    exit 1
fi

upstream="$("$bin" --version)"
revision="$(sed -n '1s/^temoin (\([^)]*\)).*/\1/p' "$pack/changelog")"
[ "${revision%-*}" = "$upstream" ] || {
    echo "deb: packaging/debian/changelog is at $revision, the binary at $upstream: add a changelog entry" >&2
    exit 1
}
arch="$(dpkg-architecture -qDEB_HOST_ARCH)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/temoin" "$stage/usr/share/doc/temoin"

install -m 0755 "$bin" "$stage/usr/bin/temoin"
# As dh_strip does: debugging symbols do not belong in the package.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/temoin"
cp -R "$resources" "$stage/usr/share/temoin/Resources"
find "$stage/usr/share/temoin" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +

# Manual page and completions where Debian's man, bash-completion, zsh and fish look.
docs="$work/docs"
"$here/scripts/install-docs.sh" "$stage/usr/bin/temoin" "$docs" >/dev/null
install -d "$stage/usr/share/man/man1" "$stage/usr/share/bash-completion/completions" \
    "$stage/usr/share/zsh/vendor-completions" "$stage/usr/share/fish/vendor_completions.d"
gzip -9n < "$docs/share/man/man1/temoin.1" > "$stage/usr/share/man/man1/temoin.1.gz"
# bash-completion sources the file: a #! line there means nothing (lintian: bash-completion-with-hashbang).
sed '1{/^#!/d}' "$docs/share/bash-completion/completions/temoin" > "$stage/usr/share/bash-completion/completions/temoin"
chmod 0644 "$stage/usr/share/bash-completion/completions/temoin"
install -m 0644 "$docs/share/zsh/site-functions/_temoin" "$stage/usr/share/zsh/vendor-completions/_temoin"
install -m 0644 "$docs/share/fish/vendor_completions.d/temoin.fish" \
    "$stage/usr/share/fish/vendor_completions.d/temoin.fish"

install -m 0644 "$pack/copyright" "$stage/usr/share/doc/temoin/copyright"
install -d "$stage/usr/share/lintian/overrides"
install -m 0644 "$pack/lintian-overrides" "$stage/usr/share/lintian/overrides/temoin"
gzip -9n < "$pack/changelog" > "$stage/usr/share/doc/temoin/changelog.Debian.gz"
for doc in guide-fr.md guide-en.md FORMAT.md TRUST.md SECURITY.md; do
    install -m 0644 "$here/docs/$doc" "$stage/usr/share/doc/temoin/$doc"
done
install -m 0644 "$here/docs/verify_reference.py" "$stage/usr/share/doc/temoin/verify_reference.py"

# Depends: what the binary links against, as dpkg-shlibdeps reads it from the installed packages.
mkdir -p "$work/src/debian"
printf 'Source: temoin\n\nPackage: temoin\nArchitecture: any\n' > "$work/src/debian/control"
depends="$(cd "$work/src" && dpkg-shlibdeps -O -e"$stage/usr/bin/temoin" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "deb: dpkg-shlibdeps found no dependency" >&2; exit 1; }
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s|@VERSION@|$revision|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
    "$pack/control.in" > "$stage/DEBIAN/control"
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/temoin_${revision}_${arch}.deb"
SOURCE_DATE_EPOCH="$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)" \
    dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "deb: $deb ($(du -h "$deb" | cut -f1)); Depends: $depends"
if command -v lintian >/dev/null; then
    lintian --tag-display-limit 0 "$deb" || true
fi
