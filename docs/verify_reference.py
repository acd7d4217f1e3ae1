#!/usr/bin/env python3
"""Independent reference verifier for temoin evidence stores (format version 1).

This script was written from docs/FORMAT.md alone, without reading temoin's
code. It is the independent check for volunteers: anyone who is handed a
store.sqlite file can run it, with nothing but Python 3.8+ and its standard
library (no third-party imports), and see whether the evidence still holds
together. Where this script and FORMAT.md disagree, this script is wrong.

Usage:
    python3 verify_reference.py STORE.sqlite [--json]

Exit codes (FORMAT.md section 6):
    0  intact      no problem found
    1  tampered    at least one problem (listed, with the seq where it shows)
    2  unreadable  not a temoin store this verifier can read; nothing can be
                   said about it (the reason goes to stderr)
    3  the verifier itself failed unexpectedly (a bug in this script)

The file is opened read-only through a `file:` URI with `mode=ro`; nothing is
written to it. When no `-wal`, `-shm` or `-journal` file lies beside it (no
temoin is writing to it and nothing is pending), `immutable=1` is added as
well, so that SQLite does not even create empty `-wal`/`-shm` files next to
the store. Verifying a copy, or while temoin is not running, is best.

The checks follow FORMAT.md section 6 step by step, in the same order and
with the same problem codes:
    schema_altered, meta_invalid, entry_missing, hash_mismatch, body_invalid,
    seq_mismatch, prev_mismatch, capture_altered, entries_truncated,
    head_mismatch, capture_unreferenced, capture_missing, store_corrupt.
"""

import argparse
import hashlib
import json
import os
import sqlite3
import sys
import uuid
import zlib

VERIFIER = "verify_reference.py 1"

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 1413827919  # 0x54454D4F, ASCII "TEMO"
FORMAT_VERSION = 1  # the only PRAGMA user_version this verifier knows

GENESIS_PREFIX = b"temoin.genesis.v1\x00"
ENTRY_PREFIX = b"temoin.entry.v1\x00"

# FORMAT.md section 2: the column lists, in this order, are part of the format.
SCHEMA = (
    ("meta", (b"key", b"value")),
    ("entries", (b"seq", b"hash", b"body")),
    ("captures", (b"digest", b"size", b"encoding", b"data", b"withheld_at", b"withheld_reason")),
)


class Unreadable(Exception):
    """FORMAT.md section 6 step 1 failed: nothing can be said about the file."""


def check_busy(error):
    """A locked store is not a corrupt one: give up as unreadable instead."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        raise Unreadable("the store is locked by another program; try again, or verify a copy")


class Corrupt(Exception):
    """SQLite reported an error while reading the store's rows (step 7)."""


def as_bytes(col):
    """SQL expression giving a column's value as bytes-comparable text.

    With `text_factory = bytes`, TEXT arrives as its UTF-8 bytes and BLOB as
    bytes; INTEGER (and REAL) values are turned into their decimal text by
    SQLite itself. NULL stays NULL (None in Python).
    """
    return "CASE WHEN typeof({0}) IN ('integer', 'real') THEN CAST({0} AS TEXT) ELSE {0} END".format(col)


def show(value):
    """Bytes from the store, as text for a report (never raises)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def short(value, n=16):
    text = show(value)
    if text is None:
        return "NULL"
    return text if len(text) <= n else text[:n] + "…"


def sha256_hex(prefix, data):
    h = hashlib.sha256()
    h.update(prefix)
    h.update(data)
    return h.hexdigest()


def to_key(text):
    """A JSON string as bytes, to compare with bytes read from the store."""
    return text.encode("utf-8", "surrogatepass")


def is_int(value):
    """An integral JSON number that is not a boolean: 2, 2.0 and 2e0 all count as 2 (FORMAT.md 6.4)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def first_wins(pairs):
    """FORMAT.md 6.4: when a member name repeats in an object, its first occurrence counts."""
    obj = {}
    for key, value in pairs:
        if key not in obj:
            obj[key] = value
    return obj


def reject_constant(name):
    raise ValueError("NaN and Infinity are not JSON")


def has_lone_surrogate(value):
    """True if any string in the parsed value holds an unpaired UTF-16 surrogate (from a \\ud800 escape)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def valid_store_id(value):
    """A lowercase UUID with hyphens, 36 characters (FORMAT.md section 2, meta)."""
    if not isinstance(value, bytes) or len(value) != 36:
        return None
    try:
        text = value.decode("ascii")
        parsed = uuid.UUID(text)
    except (UnicodeDecodeError, ValueError):
        return None
    return text if str(parsed) == text else None


def parse_body(body):
    """FORMAT.md section 6 step 4: the parsed object, or None when body_invalid."""
    try:
        text = body.decode("utf-8")  # strict: invalid UTF-8 is body_invalid
        obj = json.loads(text, object_pairs_hook=first_wins, parse_constant=reject_constant)  # a str: no UTF-16/32 guess
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if has_lone_surrogate(obj):
        return None
    if not isinstance(obj, dict):
        return None
    if not is_int(obj.get("seq")):
        return None
    obj["seq"] = int(obj["seq"])
    if not isinstance(obj.get("prev"), str):
        return None
    if "type" in obj and not isinstance(obj["type"], str):
        return None
    if "captures" in obj:
        captures = obj["captures"]
        if not isinstance(captures, list):
            return None
        for item in captures:
            if not isinstance(item, dict):
                return None
            if not isinstance(item.get("digest"), str):
                return None
            if not is_int(item.get("size")):
                return None
            item["size"] = int(item["size"])
    return obj


def decode_capture(encoding, data, size):
    """Decoded raw bytes, or None when the capture counts as altered.

    Memory stays bounded: a zlib stream is never inflated beyond size + 1 bytes.
    """
    if not is_int(size) or size < 0:
        return None
    if encoding == b"identity":
        return data if len(data) == size else None
    if encoding == b"zlib":
        d = zlib.decompressobj()
        try:
            raw = d.decompress(data, size + 1)
        except zlib.error:
            return None
        if len(raw) != size or d.unconsumed_tail:
            return None  # too long (stopped at size + 1) or too short
        if not d.eof:
            try:
                raw += d.flush()
            except zlib.error:
                return None
            if not d.eof or len(raw) != size:
                return None  # incomplete or truncated stream
        return raw
    return None  # unknown encoding


def open_store(path):
    """FORMAT.md section 6 step 1. Returns an open read-only connection."""
    if not os.path.exists(path):
        raise Unreadable("no such file: {}".format(path))
    if not os.path.isfile(path):
        raise Unreadable("not a regular file: {}".format(path))
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise Unreadable("cannot read {}: {}".format(path, e.strerror or e))
    if header != SQLITE_HEADER:
        raise Unreadable("not an SQLite database (no 'SQLite format 3' header)")

    absolute = os.path.abspath(path)
    if os.sep != "/":
        absolute = "/" + absolute.replace(os.sep, "/")
    quoted = absolute.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    pending = any(os.path.exists(path + suffix) for suffix in ("-wal", "-shm", "-journal"))
    uri = "file://" + quoted + "?mode=ro" + ("" if pending else "&immutable=1")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=10)
    except sqlite3.Error as e:
        raise Unreadable("cannot open the database read-only: {}".format(e))
    con.text_factory = bytes
    try:
        application_id = con.execute("PRAGMA application_id").fetchone()[0]
        user_version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as e:
        con.close()
        raise Unreadable("cannot read the database: {}".format(e))
    if application_id != APPLICATION_ID:
        con.close()
        raise Unreadable("not a temoin store (application_id is {}, expected {})".format(
            application_id, APPLICATION_ID))
    if user_version > FORMAT_VERSION:
        con.close()
        raise Unreadable("store format version {} is newer than this verifier knows ({}); "
                         "use a newer verifier".format(user_version, FORMAT_VERSION))
    if user_version < 1:
        con.close()
        raise Unreadable("not a temoin store (user_version is {})".format(user_version))
    return con


def verify(con):
    problems = []
    withheld = []
    report = {
        "verdict": None,
        "store_id": None,
        "entries": 0,
        "attempts": 0,
        "head": None,
        "captures": {"checked": 0, "withheld": 0, "bytes": 0},
        "first_bad_seq": None,
        "problems": problems,
        "withheld": withheld,
        "verifier": VERIFIER,
    }

    def problem(seq, code, reason):
        problems.append({"seq": seq, "code": code, "reason": reason})

    def finish():
        problems.sort(key=lambda p: (p["seq"] is None, p["seq"] if p["seq"] is not None else 0, p["code"]))
        withheld.sort(key=lambda w: w["digest"])
        seqs = [p["seq"] for p in problems if p["seq"] is not None]
        report["first_bad_seq"] = min(seqs) if seqs else None
        report["verdict"] = "tampered" if problems else "intact"
        return report

    # Step 2: schema. Each table has exactly the columns of section 2, in order.
    try:
        altered = False
        for table, columns in SCHEMA:
            found = tuple(row[0] for row in con.execute(
                "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,)))
            if found != columns:
                altered = True
                if not found:
                    reason = "table {} is missing".format(table)
                else:
                    reason = "table {} has columns ({}), expected ({})".format(
                        table, ", ".join(show(c) for c in found), ", ".join(show(c) for c in columns))
                problem(None, "schema_altered", reason)
        if altered:
            return finish()

        # Step 3: meta.
        meta = {}
        for key, value in con.execute(
                "SELECT {}, {} FROM meta".format(as_bytes("key"), as_bytes("value"))):
            meta[key] = value
    except sqlite3.Error as e:
        check_busy(e)
        problem(None, "store_corrupt", "SQLite reported an error reading the schema or meta: {}".format(e))
        return finish()

    fmt = meta.get(b"format")
    if fmt != b"temoin-store":
        problem(None, "meta_invalid", "meta format is {}, expected 'temoin-store'".format(
            "missing" if fmt is None else repr(show(fmt))))
    raw_store_id = meta.get(b"store_id")
    report["store_id"] = show(raw_store_id)
    store_id = valid_store_id(raw_store_id)
    if store_id is None:
        problem(None, "meta_invalid", "meta store_id is {}, expected a lowercase UUID with hyphens "
                "(the chain is checked against the empty string)".format(
                    "missing" if raw_store_id is None else repr(show(raw_store_id))))
    genesis = sha256_hex(GENESIS_PREFIX, (store_id or "").encode("ascii"))
    raw_head = meta.get(b"head_seq")
    head_seq = None
    if isinstance(raw_head, bytes) and raw_head and raw_head.isdigit():
        head_seq = int(raw_head)
    else:
        problem(None, "meta_invalid", "meta head_seq is {}, expected a non-negative decimal integer".format(
            "missing" if raw_head is None else repr(show(raw_head))))

    # Step 4: entries, in ascending seq.
    expected = 1
    prev_hash = None  # unset
    last_seq = 0
    referenced = {}  # digest bytes -> [size, [seqs]]
    try:
        cursor = con.execute("SELECT seq, {}, {} FROM entries ORDER BY seq".format(
            as_bytes("hash"), as_bytes("body")))
        for seq, stored_hash, body in cursor:
            if not is_int(seq):
                raise Corrupt("an entries row has a non-integer seq ({})".format(short(seq)))
            stored_hash = stored_hash if stored_hash is not None else b""
            body = body if body is not None else b""
            report["entries"] += 1
            report["head"] = {"seq": seq, "hash": show(stored_hash)}
            last_seq = seq

            if seq > expected:
                if seq == expected + 1:
                    reason = "entry #{} is missing".format(expected)
                else:
                    reason = "entries #{} to #{} are missing".format(expected, seq - 1)
                problem(expected, "entry_missing", reason)

            computed = sha256_hex(ENTRY_PREFIX, body)
            if stored_hash != computed.encode("ascii"):
                problem(seq, "hash_mismatch", "stored hash {} but the body hashes to {}".format(
                    short(stored_hash), short(computed)))

            obj = parse_body(body)
            if obj is None:
                problem(seq, "body_invalid", "body is not a JSON object with an integer seq, a string "
                        "prev, an optional string type and optional captures [{digest, size}]")
            else:
                if obj["seq"] != seq:
                    problem(seq, "seq_mismatch", "body says seq {} but the row is #{}".format(obj["seq"], seq))
                want = genesis.encode("ascii") if seq == 1 else prev_hash
                if want is None or to_key(obj["prev"]) != want:
                    if seq == 1:
                        what = "the store's genesis value {}".format(short(genesis))
                    elif prev_hash is None:
                        what = "a previous entry, but none was read before it"
                    else:
                        what = "the previous entry's hash {}".format(short(prev_hash))
                    problem(seq, "prev_mismatch", "prev is {}, expected {}".format(short(obj["prev"]), what))
                if obj.get("type") == "attempt":
                    report["attempts"] += 1
                for item in obj.get("captures", ()):
                    digest = to_key(item["digest"])
                    size = item["size"]
                    ref = referenced.get(digest)
                    if ref is None:
                        referenced[digest] = [size, [seq]]
                    else:
                        if ref[0] != size:
                            problem(seq, "capture_altered", "capture {} is referenced with size {}, earlier "
                                    "with size {}".format(short(digest), size, ref[0]))
                        if ref[1][-1] != seq:
                            ref[1].append(seq)
            prev_hash = stored_hash
            expected = seq + 1
    except (sqlite3.DatabaseError, Corrupt) as e:
        check_busy(e)
        problem(expected, "store_corrupt", "reading entries failed at #{}: {}".format(expected, e))
        return finish()

    # Step 5: head counter.
    if head_seq is not None:
        if head_seq > last_seq:
            problem(last_seq + 1, "entries_truncated", "meta head_seq is {} but the last entry is #{}".format(
                head_seq, last_seq))
        elif head_seq < last_seq:
            problem(head_seq + 1, "head_mismatch", "meta head_seq is {} but entries go up to #{}".format(
                head_seq, last_seq))

    # Step 6: captures, streamed row by row.
    seen = set()
    try:
        cursor = con.execute("SELECT {}, size, {}, {}, {} FROM captures".format(
            as_bytes("digest"), as_bytes("encoding"), as_bytes("data"), as_bytes("withheld_at")))
        for digest, size, encoding, data, withheld_at in cursor:
            digest = digest if digest is not None else b""
            ref = referenced.get(digest)
            if ref is None:
                problem(None, "capture_unreferenced", "capture {} is referenced by no entry".format(short(digest)))
                continue
            seen.add(digest)
            ref_size, seqs = ref
            if not is_int(size) or size != ref_size:
                for s in seqs:
                    problem(s, "capture_altered", "capture {} has size {}, the entry says {}".format(
                        short(digest), short(size), ref_size))
                continue
            if data is None:
                report["captures"]["withheld"] += 1
                withheld.append({"digest": show(digest), "seqs": sorted(seqs), "withheld_at": show(withheld_at)})
                continue
            raw = decode_capture(encoding, data, size)
            if raw is None:
                for s in seqs:
                    problem(s, "capture_altered", "capture {} does not decode to {} bytes (encoding {})".format(
                        short(digest), size, repr(show(encoding))))
                continue
            report["captures"]["checked"] += 1
            report["captures"]["bytes"] += size
            computed = hashlib.sha256(raw).hexdigest()
            del raw
            if computed.encode("ascii") != digest:
                for s in seqs:
                    problem(s, "capture_altered", "capture {} decodes to bytes hashing to {}".format(
                        short(digest), short(computed)))
    except sqlite3.DatabaseError as e:
        check_busy(e)
        problem(expected, "store_corrupt", "reading captures failed: {}".format(e))
        return finish()

    for digest, (ref_size, seqs) in referenced.items():
        if digest not in seen:
            for s in seqs:
                problem(s, "capture_missing", "capture {} ({} bytes) is referenced but not stored".format(
                    short(digest), ref_size))

    return finish()


def grouped(hash_text):
    return " ".join(hash_text[i:i + 4] for i in range(0, len(hash_text), 4))


def print_text(path, report):
    out = sys.stdout
    verdict = report["verdict"]
    if verdict == "intact":
        out.write("INTACT: {} verifies (FORMAT.md, format version 1)\n".format(path))
    else:
        n = len(report["problems"])
        first = report["first_bad_seq"]
        out.write("TAMPERED: {} has {} problem{}{}\n".format(
            path, n, "" if n == 1 else "s",
            "" if first is None else ", first bad entry #{}".format(first)))
    out.write("store_id  {}\n".format(report["store_id"] if report["store_id"] is not None else "(missing)"))
    head = report["head"]
    if head is None:
        out.write("head      (no entries)\n")
    else:
        out.write("head      #{} · {}\n".format(head["seq"], grouped(head["hash"])))
    out.write("entries   {} ({} attempt{})\n".format(
        report["entries"], report["attempts"], "" if report["attempts"] == 1 else "s"))
    c = report["captures"]
    out.write("captures  {} checked ({} bytes), {} withheld\n".format(c["checked"], c["bytes"], c["withheld"]))
    for w in report["withheld"]:
        out.write("  withheld {} at {} (entr{} {})\n".format(
            w["digest"], w["withheld_at"] or "(no time)", "y" if len(w["seqs"]) == 1 else "ies",
            ", ".join("#{}".format(s) for s in w["seqs"])))
    if report["problems"]:
        out.write("problems:\n")
        for p in report["problems"]:
            where = "#{}".format(p["seq"]) if p["seq"] is not None else "(store)"
            out.write("  {} {}: {}\n".format(where, p["code"], p["reason"]))


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Independent verifier for temoin evidence stores, written from docs/FORMAT.md alone.")
    parser.add_argument("store", help="path to the store (.sqlite)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass

    try:
        con = open_store(args.store)
        try:
            report = verify(con)
        finally:
            con.close()
    except Unreadable as e:
        sys.stderr.write("unreadable: {}\n".format(e))
        if args.json:
            sys.stdout.write(json.dumps({"verdict": "unreadable", "reason": str(e), "verifier": VERIFIER}) + "\n")
        return 2

    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        print_text(args.store, report)
    return 0 if report["verdict"] == "intact" else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException as e:  # never let a crash look like "tampered" (exit 1)
        sys.stderr.write("verify_reference.py: internal error: {!r}\n".format(e))
        sys.exit(3)
