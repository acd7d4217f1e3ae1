#!/usr/bin/env python3
"""Writes temoin(1) in mdoc from the argument parser's own description of the commands.

Usage: temoin --experimental-dump-help > help.json; python3 scripts/manpage.py help.json > temoin.1

The JSON is swift-argument-parser's ToolInfo (serialization version 0): every command, option, flag and
argument with its help text, so the manual never disagrees with `temoin --help`. Python standard library
only; the date is SOURCE_DATE_EPOCH's when set, so builds are reproducible.
"""
import datetime
import json
import os
import re
import sys


def esc(text):
    """mdoc-safe text: backslashes escaped, no line starting with a dot or an apostrophe."""
    text = text.replace("\\", "\\e")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def paragraphs(text):
    """Discussion text as mdoc paragraphs: blank lines separate them, other line breaks are joined."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        if not block.strip():
            continue
        lines = block.split("\n")
        # Lines aligned in columns (a table of commands, a list of codes) stay as they are written.
        if len(lines) > 1 and any(re.search(r"\S {2,}\S", line) or line.startswith("  ") for line in lines):
            out.append(".Bd -literal -offset indent\n" + esc(block) + "\n.Ed")
        else:
            out.append(esc(" ".join(line.strip() for line in lines)))
    return "\n.Pp\n".join(out)


def long_name(arg):
    names = arg.get("names") or []
    for kind in ("long", "longWithSingleDash", "short"):
        for n in names:
            if n.get("kind") == kind:
                return ("-" if kind == "long" else "") + n["name"], n
    pref = arg.get("preferredName")
    return (pref or {}).get("name", arg.get("valueName", "value")), pref


def flag_macro(arg):
    """`Fl -store Ar path`, `Fl -json`, or `Ar file` for a positional argument."""
    if arg["kind"] == "positional":
        text = "Ar " + arg.get("valueName", "value")
        return text + (" ..." if arg.get("isRepeating") else "")
    name, _ = long_name(arg)
    text = "Fl " + name
    if arg["kind"] == "option":
        text += " Ar " + arg.get("valueName", "value")
    return text


def synopsis(cmd):
    parts = []
    for arg in cmd.get("arguments") or []:
        if not arg.get("shouldDisplay", True) or (arg.get("preferredName") or {}).get("name") in ("help", "version"):
            continue
        macro = flag_macro(arg)
        parts.append(("Op " + macro) if arg.get("isOptional") or arg["kind"] == "flag" else macro)
    return parts


def options_list(cmd):
    rows = []
    for arg in cmd.get("arguments") or []:
        if not arg.get("shouldDisplay", True) or (arg.get("preferredName") or {}).get("name") == "help":
            continue
        help_text = arg.get("abstract", "")
        if arg.get("defaultValue") not in (None, "", "false"):
            help_text += " (default: %s)" % arg["defaultValue"]
        rows.append(".It " + flag_macro(arg) + "\n" + esc(help_text))
    if not rows:
        return ""
    return ".Bl -tag -width Ds\n" + "\n".join(rows) + "\n.El"


def commands(cmd, path):
    """Every runnable command under `cmd`, depth first, with its full name."""
    for sub in cmd.get("subcommands") or []:
        if sub.get("commandName") == "help" or not sub.get("shouldDisplay", True):
            continue
        full = path + [sub["commandName"]]
        if sub.get("subcommands"):
            yield full, sub
            yield from commands(sub, full)
        else:
            yield full, sub


def exit_codes(discussion):
    """The `Exit codes:` block of the root discussion as (code, meaning) pairs."""
    match = re.search(r"Exit codes:\n(.*)", discussion or "", re.S)
    if not match:
        return []
    codes = []
    for line in match.group(1).split("\n"):
        m = re.match(r"^\s+(\d+)\s+(?:– )?(.*)$", line)
        if m:
            codes.append([m.group(1), m.group(2).strip()])
        elif line.strip() and codes:
            codes[-1][1] += " " + line.strip()
    return codes


def main(path):
    with open(path, encoding="utf-8") as f:
        root = json.load(f)["command"]
    name = root["commandName"]
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", datetime.datetime.now(datetime.timezone.utc).timestamp()))
    date = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
    out = [
        '.Dd %s %d, %d' % (date.strftime("%B"), date.day, date.year),
        ".Dt %s 1" % name.upper(),
        ".Os",
        ".Sh NAME",
        ".Nm " + name,
        ".Nd " + esc(root.get("abstract", "").rstrip(".")),
        ".Sh SYNOPSIS",
    ]
    for full, cmd in commands(root, []):
        if cmd.get("subcommands"):
            continue
        out.append(".Nm\n.Cm " + " ".join(full) + "".join("\n." + part for part in synopsis(cmd)))
    out.append(".Nm\n.Op Fl -version\n.Op Fl -help")
    discussion = root.get("discussion", "")
    description = discussion.split("Exit codes:")[0]
    out += [".Sh DESCRIPTION", paragraphs(description), ".Sh COMMANDS", ".Bl -tag -width Ds"]
    for full, cmd in commands(root, []):
        out.append(".It Cm " + " ".join(full))
        text = esc(cmd.get("abstract", ""))
        if cmd.get("discussion"):
            text += "\n.Pp\n" + paragraphs(cmd["discussion"])
        if cmd.get("subcommands"):
            text += "\n.Pp\nSubcommands: " + ", ".join(
                s["commandName"] for s in cmd["subcommands"] if s.get("commandName") != "help") + "."
        options = options_list(cmd)
        if options:
            text += "\n.Pp\n" + options
        out.append(text)
    out.append(".El")
    out += [
        ".Sh ENVIRONMENT",
        ".Bl -tag -width Ds",
        ".It Ev TEMOIN_STORE",
        "The store used when no",
        ".Fl -store",
        "is given (otherwise",
        ".Pa ./temoin.sqlite ) .",
        ".It Ev LC_ALL , LC_MESSAGES , LANG",
        "Messages are in French when the first of these that is set starts with",
        ".Ql fr ,",
        "in English otherwise;",
        ".Fl -lang Ar fr|en",
        "overrides them.",
        ".El",
        ".Sh FILES",
        ".Bl -tag -width Ds",
        ".It Pa ./temoin.sqlite",
        "The default store: one SQLite file holding the case, the chain of entries and the captures.",
        "It can live on a USB stick.",
        ".El",
    ]
    codes = exit_codes(discussion)
    if codes:
        out += [".Sh EXIT STATUS", ".Bl -tag -width Ds"]
        for code, meaning in codes:
            out += [".It " + code, esc(meaning)]
        out.append(".El")
    out += [
        ".Sh SEE ALSO",
        ".Xr python3 1 ,",
        ".Xr sqlite3 1",
        ".Pp",
        "The independent verifier",
        ".Pa verify_reference.py",
        "and the store's format",
        ".Pa FORMAT.md ,",
        "in the documentation folder of the source tree.",
    ]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: manpage.py HELP.json  (from: temoin --experimental-dump-help)")
    main(sys.argv[1])
