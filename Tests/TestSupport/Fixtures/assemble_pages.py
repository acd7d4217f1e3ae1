#!/usr/bin/env python3
"""Assembles the sample pages: copies the folder of page sources, replacing each include line.

    python3 assemble_pages.py SOURCES OUT

A page of a family (the RDV Préfecture pages, the legacy module's, Paris's) holds only what is its own;
the site's layout it shares with its family lives once in page-layouts/ and comes in through a line that
is exactly `<!--#include file="PATH"-->` (PATH relative to the folder of the file that holds the line,
as in SSI). That line, its line end included, is replaced by the bytes of the file, itself assembled
(a layout may include a part it shares with another family), so an assembled page is the same bytes as
the page the layout was cut from. Every other file, and every file with no include line, is copied as
it is. Tests (TestSupport's `Fixtures.pages`), the
demo, the bench, the fuzz seeds and the harden scripts all assemble through this one script.
"""

import os
import re
import shutil
import sys

INCLUDE = re.compile(rb'^<!--#include file="([^"\n]+)"-->(?:\r?\n|\Z)', re.MULTILINE)


def assemble_file(path, within=()):
    """The bytes of the file at `path` with its include lines replaced, depth first."""
    if path in within:
        raise SystemExit(f"{path}: includes itself through {' → '.join(within)}")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SystemExit(f"{within[-1] if within else path}: cannot read {path}: {e.strerror}")
    folder = os.path.dirname(path)

    def include(match):
        return assemble_file(os.path.normpath(os.path.join(folder, os.fsdecode(match.group(1)))), within + (path,))

    return INCLUDE.sub(include, data)


def assemble(sources, out):
    """Writes into `out` (created if missing) every file below `sources`, assembled."""
    for root, dirs, files in os.walk(sources):
        dirs.sort()
        target = os.path.join(out, os.path.relpath(root, sources))
        os.makedirs(target, exist_ok=True)
        for name in sorted(files):
            source = os.path.join(root, name)
            if name.endswith((".html", ".htm")):
                with open(os.path.join(target, name), "wb") as f:
                    f.write(assemble_file(source))
            else:
                shutil.copyfile(source, os.path.join(target, name))


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: assemble_pages.py SOURCES OUT")
    assemble(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv)
