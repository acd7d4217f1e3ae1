#!/bin/sh
# temoin, portable folder. Run it as:   sh /path/to/temoin/temoin.sh COMMAND ...
# ("sh" first: a USB stick formatted FAT32 or exFAT is mounted without execute permission, so
# "./temoin.sh" and "bin/temoin" are refused there; this launcher does not need it.)
#
# 1. bin/temoin can be executed: run it.
# 2. It cannot (no execute bit): have the system's dynamic loader run it, which needs only read access.
# 3. The stick is mounted "noexec" (the loader is refused too): copy bin/ and lib/ to a private
#    temporary folder, run from there, delete the copy afterwards.
# The store and the settings stay in this folder (the program is told where it is: TEMOIN_HOME).
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P) || exit 70
TEMOIN_HOME=$here
export TEMOIN_HOME
bin="$here/bin/temoin"
loader="@LOADER@"

if [ ! -r "$bin" ]; then
    echo "temoin : $bin est introuvable ; décompressez le dossier à nouveau." >&2
    echo "temoin: $bin is missing; unpack the folder again." >&2
    exit 70
fi

# True when folder $1 lies on a file system mounted noexec (longest matching mount point wins).
noexec() {
    awk -v dir="$1/" '
        { m = $2; gsub(/\\040/, " ", m); gsub(/\\011/, "\t", m); if (m != "/") m = m "/"
          if (index(dir, m) == 1 && length(m) >= best) { best = length(m); opts = $4 } }
        END { exit !(opts ~ /(^|,)noexec(,|$)/) }' /proc/self/mounts 2>/dev/null
}

if ! noexec "$here"; then
    if [ -x "$bin" ]; then exec "$bin" "$@"; fi
    if [ -r "$loader" ]; then exec "$loader" "$bin" "$@"; fi
fi

# noexec (or no loader where expected): run a private copy from a folder that allows execution.
for base in "${XDG_RUNTIME_DIR:-}" "${TMPDIR:-/tmp}" /tmp /var/tmp "$HOME"; do
    [ -n "$base" ] && [ -d "$base" ] && [ -w "$base" ] && ! noexec "$base" || continue
    copy=$(mktemp -d "$base/temoin-run.XXXXXX") || continue
    trap 'rm -rf "$copy"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    if cp -R "$here/bin" "$here/lib" "$copy/" 2>/dev/null && chmod -R u+rx "$copy"; then
        "$copy/bin/temoin" "$@"
        exit $?
    fi
    rm -rf "$copy"
done
echo "temoin : ce support interdit d'exécuter des programmes (noexec) et aucun dossier temporaire ne le permet." >&2
echo "temoin: this medium forbids running programs (noexec) and no temporary folder allows it." >&2
exit 70
