#!/usr/bin/env bash
# make dist: the portable folder (a USB stick, any folder; no install, no root) and its .tar.gz.
# Usage: scripts/dist.sh RELEASE_BINARY OUT_DIR
#
#   temoin/temoin.sh         launcher (works on a stick mounted without execute bits, or noexec)
#   temoin/bin/temoin        the release binary (Swift runtime linked in), RPATH $ORIGIN/../lib
#   temoin/lib/              every shared library it needs but those left to the host
#                            (packaging/dist/host-libraries.txt says which and why)
#   temoin/share/temoin/     resources (messages, dossier templates, profiles, bundle documents)
#   temoin/share/fonts/      the fonts the dossier embeds, and fonts.conf pointing at them
#   temoin/share/man, share/completions, doc/, LISEZ-MOI.txt, LICENSE
set -euo pipefail
bin="$1"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
here="$(cd "$(dirname "$0")/.." && pwd)"
pack="$here/packaging/dist"
resources="$(dirname "$bin")/temoin_TemoinKit.resources/Resources"

for tool in patchelf ldd objdump strip tar gzip fc-list python3; do
    command -v "$tool" >/dev/null || { echo "dist: $tool is needed (scripts/ensure-deps.sh installs it)" >&2; exit 1; }
done
[ -d "$resources/messages" ] || { echo "dist: no resources beside $bin" >&2; exit 1; }

version="$("$bin" --version)"
arch="$(uname -m)"
case "$arch" in
    x86_64) arch_name=x86_64 ;;
    aarch64 | arm64) arch_name=arm64 ;;
    *) arch_name="$arch" ;;
esac
loader="$(patchelf --print-interpreter "$bin")"

root="$out/temoin"
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib" "$root/share/temoin" "$root/share/fonts" "$root/doc/licences" "$root/config"

install -m 0755 "$bin" "$root/bin/temoin"
# No debugging symbols on a stick (a third of the size); Swift's runtime metadata stays.
strip --strip-unneeded "$root/bin/temoin"
# DT_RPATH (not RUNPATH): it also serves the bundled libraries' own dependencies, and wins over a
# host's LD_LIBRARY_PATH.
patchelf --force-rpath --set-rpath '$ORIGIN/../lib' "$root/bin/temoin"

# The libraries: the whole closure ldd resolves, minus the host's.
host_libs="$(grep -v '^#' "$pack/host-libraries.txt" | sed '/^$/d')"
packages=()
while read -r name path; do
    [ -n "$path" ] || continue
    if grep -qxF "$name" <<<"$host_libs"; then continue; fi
    real="$(readlink -f "$path")"
    install -m 0644 "$real" "$root/lib/$name"
    pkg="$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1 || true)"
    [ -n "$pkg" ] || pkg="$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 || true)"
    [ -n "$pkg" ] && packages+=("$pkg")
done < <(ldd "$root/bin/temoin" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')

# A library left out by mistake would be taken from the host, or be missing there: fail here instead.
missing="$(ldd "$root/bin/temoin" | awk '$2 == "=>" && $3 == "not" { print $1 }')"
[ -z "$missing" ] || { echo "dist: unresolved libraries: $missing" >&2; exit 1; }
while read -r name path; do
    case "$(readlink -f "$path")" in "$root/lib/"*) continue ;; esac
    grep -qxF "$name" <<<"$host_libs" || { echo "dist: $name resolves outside the bundle ($path)" >&2; exit 1; }
done < <(ldd "$root/bin/temoin" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')

# The glibc a host needs: the highest GLIBC_ version any carried file asks for.
glibc_floor="$(objdump -T "$root/bin/temoin" "$root"/lib/*.so* 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' \
    | sed 's/GLIBC_//' | sort -uV | tail -1)"

cp -R "$resources" "$root/share/temoin/Resources"

# Fonts: every face of the families the dossier asks for (DossierWriter, PageComposer, Charts).
font_packages=()
for family in "DejaVu Sans" "DejaVu Serif" "DejaVu Sans Mono"; do
    while IFS= read -r file; do
        [ -n "$file" ] || continue
        install -m 0644 "$(readlink -f "$file")" "$root/share/fonts/$(basename "$file")"
        font_packages+=("$(dpkg -S "$(readlink -f "$file")" 2>/dev/null | head -1 | cut -d: -f1 || true)")
    done < <(fc-list ":family=$family" file | sed 's/: *$//' | sort -u)
done
ls "$root"/share/fonts/*.ttf >/dev/null 2>&1 || { echo "dist: no DejaVu fonts found (fonts-dejavu-core)" >&2; exit 1; }
install -m 0644 "$pack/fonts.conf" "$root/share/fonts/fonts.conf"

# Manual and completions, from the argument parser (as make install does).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scripts_prefix="$tmp/prefix"
"$here/scripts/install-docs.sh" "$root/bin/temoin" "$scripts_prefix" >/dev/null
mkdir -p "$root/share/man/man1" "$root/share/completions"
cp "$scripts_prefix/share/man/man1/temoin.1" "$root/share/man/man1/"
cp "$scripts_prefix/share/bash-completion/completions/temoin" "$root/share/completions/temoin.bash"
cp "$scripts_prefix/share/zsh/site-functions/_temoin" "$root/share/completions/_temoin"
cp "$scripts_prefix/share/fish/vendor_completions.d/temoin.fish" "$root/share/completions/temoin.fish"

# What a recipient needs to read and check the evidence without temoin.
for doc in guide-fr.md guide-en.md FORMAT.md TRUST.md SECURITY.md verify_reference.py PORTABILITY.md; do
    [ -f "$here/docs/$doc" ] && install -m 0644 "$here/docs/$doc" "$root/doc/$doc"
done
install -m 0644 "$here/README.md" "$root/doc/README.md"
install -m 0644 "$here/LICENSE" "$root/LICENSE"

# Licences of what is carried: each Debian package's copyright file, and its exact version (the
# sources are in Debian's archive under that name and version).
{
    echo "Libraries and fonts carried in this folder, as Debian packages (name version):"
    printf '%s\n' "${packages[@]}" "${font_packages[@]}" | sed '/^$/d' | sort -u | while read -r p; do
        dpkg-query -W -f='${Package} ${Version}\n' "$p"
        [ -f "/usr/share/doc/$p/copyright" ] && install -m 0644 "/usr/share/doc/$p/copyright" "$root/doc/licences/$p.copyright"
    done
} > "$root/doc/licences/PACKAGES.txt"

sed -e "s|@LOADER@|$loader|" "$pack/temoin.sh" > "$root/temoin.sh"
chmod 0755 "$root/temoin.sh"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch_name|" "$pack/LISEZ-MOI.txt" > "$root/LISEZ-MOI.txt"
install -m 0644 "$pack/temoin-portable" "$root/.temoin-portable"
printf '%s\n' "$glibc_floor" > "$root/share/temoin/glibc-floor"

tarball="$out/temoin-$version-linux-$arch_name.tar.gz"
epoch="$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$out" -cf - temoin | gzip -9n > "$tarball"
echo "dist: $root ($(du -sh "$root" | cut -f1)), $tarball ($(du -h "$tarball" | cut -f1)); needs glibc $glibc_floor or later"
