#!/usr/bin/env python3
"""Independent reference verifier for temoin evidence stores (format version 1).

This script was written from docs/FORMAT.md alone, without reading temoin's
code. It is the independent check for volunteers: anyone who is handed a
store.sqlite file can run it, with nothing but Python 3.8+ and its standard
library (no third-party imports), and see whether the evidence still holds
together. Where this script and FORMAT.md disagree, this script is wrong.

Usage:
    python3 verify_reference.py STORE.sqlite [--json] [--expect-head SEQ:HASH]

Exit codes (FORMAT.md section 6):
    0   intact      no problem found
    1   tampered    at least one problem (listed, with the seq where it shows)
    2   unreadable  not a temoin store this verifier can read; nothing can be
                    said about it (the reason goes to stderr)
    3   the verifier itself failed unexpectedly (a bug in this script)
    64  invalid arguments (a malformed --expect-head, an unknown option)

The file is opened read-only through a `file:` URI with `mode=ro`; nothing is
written to it. When no `-wal`, `-shm` or `-journal` file lies beside it (no
temoin is writing to it and nothing is pending), `immutable=1` is added as
well, so that SQLite does not even create empty `-wal`/`-shm` files next to
the store. Verifying a copy, or while temoin is not running, is best.

The checks follow FORMAT.md section 6 step by step, in the same order and
with the same problem codes:
    schema_altered, meta_invalid, entry_missing, hash_mismatch, body_invalid,
    seq_mismatch, prev_mismatch, capture_altered, entries_truncated,
    head_mismatch, capture_unreferenced, capture_missing, withholding_undated,
    store_corrupt, head_not_as_expected,
and for the seals and attestations of FORMAT.md section 7: seal_invalid,
seal_mismatch, attestation_invalid, attestation_mismatch, attestation_tampered.

Times (FORMAT.md section 8) are checked against the prefecture's server clock,
the order of the chain, the case's opening and the seals; time problems are
reported under "time" and never change the verdict or the exit code.

Seals and attestations (FORMAT.md section 7) are checked in full, signatures
included, with nothing but the standard library: Ed25519 (RFC 8032) for
attestations; for seals, the CMS signature (RFC 5652) with the certificate the
token carries, by RSA PKCS #1 v1.5, ECDSA on P-256, P-384 and P-521, or
Ed25519, and that certificate's timeStamping usage and validity at genTime.
Whether a seal's authority or an attestation's key is one YOU trust is not
decided here: compare the certificate or the key fingerprint shown with the
ones you trust (`openssl ts -verify -CAfile`, docs/TRUST.md).
"""

import argparse
import base64
import bisect
import datetime
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
import zlib

VERIFIER = "verify_reference.py 2"

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 1413827919  # 0x54454D4F, ASCII "TEMO"
FORMAT_VERSION = 1  # the only PRAGMA user_version this verifier knows

GENESIS_PREFIX = b"temoin.genesis.v1\x00"
ENTRY_PREFIX = b"temoin.entry.v1\x00"
ATTESTATION_PREFIX = b"temoin.attestation.v1\x00"

# FORMAT.md sections 2 and 7: every object a store may hold, each table with its exact CREATE TABLE
# text (SQLite keeps it as written) and its automatic indexes. Required tables first.
SCHEMA = (
    ("meta", True, ("sqlite_autoindex_meta_1",),
     "CREATE TABLE meta (\n    key TEXT PRIMARY KEY NOT NULL,\n    value TEXT NOT NULL\n)"),
    ("entries", True, (),
     "CREATE TABLE entries (\n    seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),\n    hash TEXT NOT NULL,\n"
     "    body BLOB NOT NULL\n)"),
    ("captures", True, ("sqlite_autoindex_captures_1",),
     "CREATE TABLE captures (\n    digest TEXT PRIMARY KEY NOT NULL,\n    size INTEGER NOT NULL,\n"
     "    encoding TEXT NOT NULL,\n    data BLOB,\n    withheld_at TEXT,\n    withheld_reason TEXT\n)"),
    ("seals", False, (),
     "CREATE TABLE seals (\n    id INTEGER PRIMARY KEY NOT NULL,\n    seq INTEGER NOT NULL,\n    head TEXT NOT NULL,\n"
     "    tsa_url TEXT NOT NULL,\n    nonce TEXT NOT NULL,\n    requested_at TEXT NOT NULL,\n"
     "    response BLOB NOT NULL\n)"),
    ("attestations", False, ("sqlite_autoindex_attestations_1",),
     "CREATE TABLE attestations (\n    id INTEGER PRIMARY KEY NOT NULL,\n    statement BLOB NOT NULL,\n"
     "    signature TEXT NOT NULL UNIQUE,\n    added_at TEXT NOT NULL\n)"),
    ("tsa_config", False, ("sqlite_autoindex_tsa_config_1",),
     "CREATE TABLE tsa_config (\n    url TEXT PRIMARY KEY NOT NULL,\n    name TEXT,\n    added_at TEXT NOT NULL\n)"),
    ("grdb_migrations", False, ("sqlite_autoindex_grdb_migrations_1",),
     "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)"),
)

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
MAX_DEPTH = 64  # FORMAT.md 6.4: arrays and objects nested deeper make a document invalid
INSTANT = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z\Z")
STORE_ID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
HASH = re.compile(r"[0-9a-f]{64}\Z")
GEN_TIME_FUTURE_SECONDS = 300  # FORMAT.md 7.1: no TSA stamps the future


class Unreadable(Exception):
    """FORMAT.md section 6 step 1 failed: nothing can be said about the file."""


class Corrupt(Exception):
    """SQLite reported an error while reading the store's rows (step 7)."""


class BadArgument(Exception):
    """An argument this verifier cannot use (exit 64)."""


def check_busy(error):
    """A locked store is not a corrupt one: give up as unreadable instead."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        raise Unreadable("the store is locked by another program; try again, or verify a copy")


def as_bytes(col):
    """SQL expression giving a column's value as FORMAT.md section 6 compares it ("Reading the tables").

    With `text_factory = bytes`, TEXT arrives as its bytes and BLOB as bytes; INTEGER and REAL values
    are turned into their text by SQLite itself. NULL stays NULL (None in Python).
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
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------------
# JSON as FORMAT.md 6.4 reads it.

class NonIntegral(object):
    """A JSON number that is not an integer of 64 bits (5.5, 1e19, 5.0000000000000001)."""
    __slots__ = ()

    def __repr__(self):
        return "NonIntegral"


NON_INTEGRAL = NonIntegral()
NUMBER = re.compile(r"(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([-+]?)([0-9]+))?\Z")
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
BRACKETS = re.compile(r"[\[\]{}]")


def exact_number(text):
    """FORMAT.md 6.4: a number read as an exact decimal; its value when it is an integer of 64 bits.

    Never calls int() on more than 19 digits: Python refuses to convert over 4,300 digits, and a body
    may hold any number. The exponent saturates beyond anything that could still be such an integer.
    """
    m = NUMBER.match(text)
    if m is None:
        return NON_INTEGRAL
    sign, whole, frac, exp_sign, exp_digits = m.groups()
    frac = frac or ""
    digits = (whole + frac).lstrip("0")
    if not digits:
        return 0
    significant = digits.rstrip("0")
    exponent = 0
    if exp_digits is not None:
        e = exp_digits.lstrip("0")
        exponent = int(e) if len(e) <= 15 else 10 ** 15
        if exp_sign == "-":
            exponent = -exponent
    scale = exponent - len(frac) + (len(digits) - len(significant))
    if scale < 0 or len(significant) + scale > 19:
        return NON_INTEGRAL
    value = int(significant) * 10 ** scale
    if sign:
        value = -value
    return value if INT64_MIN <= value <= INT64_MAX else NON_INTEGRAL


def is_int(value):
    """An integral number (never a boolean: json's true is a bool)."""
    return type(value) is int


def first_wins(pairs):
    """FORMAT.md 6.4: when a member name repeats in an object, its first occurrence counts."""
    obj = {}
    for key, value in pairs:
        if key not in obj:
            obj[key] = value
    return obj


def reject_constant(name):
    raise ValueError("NaN and Infinity are not JSON")


def depth_ok(text):
    """Arrays and objects nested at most MAX_DEPTH deep (checked before json.loads, which recurses)."""
    depth = 0
    for m in BRACKETS.finditer(JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        else:
            depth -= 1
    return True


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


def parse_json(raw):
    """FORMAT.md 6.4: the document, or None when it breaks a rule.

    Strict UTF-8 without a byte order mark (bytes.decode is strict: no overlong form, no encoded
    surrogate); RFC 8259 (json's default strict mode refuses raw control characters in strings); no
    NaN or Infinity; no unpaired escaped surrogate; nesting at most MAX_DEPTH; numbers as exact decimals.
    """
    if not isinstance(raw, bytes) or raw.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        text = raw.decode("utf-8")
        if not depth_ok(text):
            return None
        obj = json.loads(text, object_pairs_hook=first_wins, parse_int=exact_number, parse_float=exact_number,
                         parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if has_lone_surrogate(obj):
        return None
    return obj


def parse_body(body):
    """FORMAT.md section 6 step 4: the parsed object, or None when body_invalid."""
    obj = parse_json(body)
    if not isinstance(obj, dict):
        return None
    if not is_int(obj.get("seq")):
        return None
    if not isinstance(obj.get("prev"), str):
        return None
    if "type" in obj and not isinstance(obj["type"], str):
        return None
    if "captures" in obj:
        captures = obj["captures"]
        if not isinstance(captures, list):
            return None
        for item in captures:
            if not isinstance(item, dict) or not isinstance(item.get("digest"), str) or not is_int(item.get("size")):
                return None
    return obj


def decode_capture(encoding, data, size):
    """Decoded raw bytes, or None when the capture counts as altered.

    Memory stays bounded: a zlib stream is never inflated beyond size + 1 bytes. A stream followed by
    any byte counts as altered (FORMAT.md 6.6).
    """
    if not is_int(size) or size < 0 or not isinstance(data, bytes):
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
        if d.unused_data:
            return None  # bytes after the stream
        return raw
    return None  # unknown encoding


def is_store_id(value):
    """FORMAT.md section 2: 36 bytes, lowercase hexadecimal digits and hyphens as a UUID writes them."""
    return isinstance(value, bytes) and STORE_ID.match(value) is not None


def is_hash(value):
    return isinstance(value, str) and HASH.match(value) is not None


def strict_b64(text):
    """FORMAT.md 7.2: canonical base64 with padding (encoding the bytes gives the same text), else None."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def parse_expected_head(text):
    """FORMAT.md 6.8: SEQ:HASH with SEQ 1 or more and HASH 8 to 64 hexadecimal digits; whitespace ignored, a leading '#'
    and the display form's '·' accepted. (seq, lowercase prefix) or None."""
    s = "".join(ch for ch in text if not ch.isspace())
    if s.startswith("#"):
        s = s[1:]
    cut = [i for i in (s.find(":"), s.find("·")) if i >= 0]
    if not cut:
        return None
    i = min(cut)
    seq_text, prefix = s[:i], s[i + 1:].lower()
    if not seq_text or not all("0" <= c <= "9" for c in seq_text) or len(seq_text.lstrip("0")) > 19:
        return None
    seq = int(seq_text)
    if not 1 <= seq <= INT64_MAX or not 8 <= len(prefix) <= 64 or not all(c in "0123456789abcdef" for c in prefix):
        return None
    return seq, prefix


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
    pending = any(os.path.exists(path + suffix) for suffix in ("-wal", "-shm", "-journal"))
    try:
        con = sqlite3.connect(file_uri(path, immutable=not pending), uri=True, timeout=10)
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
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as e:  # an undecodable name in SQLite's message, too
        con.close()
        if isinstance(e, sqlite3.Error):
            check_busy(e)
        raise Unreadable("SQLite cannot read the database's schema: {}".format(e))
    return con


def file_uri(path, immutable):
    absolute = os.path.abspath(path)
    if os.sep != "/":
        absolute = "/" + absolute.replace(os.sep, "/")
    quoted = absolute.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return "file://" + quoted + "?mode=ro" + ("&immutable=1" if immutable else "")


def schema_deviations(con):
    """FORMAT.md 6.2: (name, what) for every object of the schema that is not as SCHEMA declares it,
    one per name: a name the format does not know, a known one with another type, table or SQL text
    (or listed twice), a required table or the automatic index of a table present that is missing."""
    rows = con.execute("SELECT {}, {}, {}, {} FROM sqlite_master".format(
        as_bytes("type"), as_bytes("name"), as_bytes("tbl_name"), as_bytes("sql"))).fetchall()
    count = {}
    for row in rows:
        count[row[1]] = count.get(row[1], 0) + 1
    expected = {}
    for name, required, indexes, sql in SCHEMA:
        if required or name.encode() in count:
            expected[name.encode()] = (b"table", name.encode(), sql.encode())
            for index in indexes:
                expected[index.encode()] = (b"index", name.encode(), None)
    found = {}
    for kind, name, table, sql in rows:
        want = expected.get(name)
        if want is None:
            found[name] = "{} {} is not part of the format".format(show(kind), show(name))
        elif count[name] != 1 or (kind, table, sql) != want:
            found[name] = "{} {} is not as the format declares it".format(show(kind), show(name))
    for name in expected:
        if name not in count:
            found[name] = "{} is missing".format(show(name))
    return sorted(found.items())


def entry_rows(con):
    """The rows of entries in ascending seq. Python's sqlite3 steps to the next row before it returns
    one, so when SQLite fails on a damaged row the row read just before it is not returned: it is
    read again alone (LIMIT 1 never steps past it) and yielded, then the error is raised, so that
    store_corrupt stands at the first row SQLite cannot read (FORMAT.md section 6 step 7)."""
    sql = "SELECT seq, {}, {} FROM entries".format(as_bytes("hash"), as_bytes("body"))
    last = None
    try:
        for row in con.execute(sql + " ORDER BY seq"):
            last = row[0]
            yield row
    except sqlite3.DatabaseError:
        if last is None or is_int(last):
            try:
                if last is None:
                    row = con.execute(sql + " ORDER BY seq LIMIT 1").fetchone()
                else:
                    row = con.execute(sql + " WHERE seq > ? ORDER BY seq LIMIT 1", (last,)).fetchone()
            except sqlite3.DatabaseError:
                row = None
            if row is not None:
                yield row
        raise


class Report(object):
    """The report of FORMAT.md section 6, and the one place where problems are recorded."""

    def __init__(self):
        self.problems = []
        self.keys = set()
        self.stopped = False
        self.data = {
            "verdict": None, "store_id": None, "entries": 0, "attempts": 0, "head": None,
            "captures": {"checked": 0, "withheld": 0, "bytes": 0}, "first_bad_seq": None,
            "problems": self.problems, "withheld": [], "seals": [], "attestations": [],
            "expected_head": None, "wal": None, "time": None, "verifier": VERIFIER,
        }

    def problem(self, seq, code, reason, subject=None, stops=False):
        """Once per seq, code and subject (a digest, a seal, a schema object...), FORMAT.md section 6."""
        if stops:
            self.stopped = True
        key = (seq, code, subject)
        if key in self.keys:
            return
        self.keys.add(key)
        self.problems.append({"seq": seq, "code": code, "reason": reason})

    def finish(self):
        self.problems.sort(key=lambda p: (p["seq"] is None, p["seq"] if p["seq"] is not None else 0, p["code"]))
        seqs = [p["seq"] for p in self.problems if p["seq"] is not None]
        self.data["first_bad_seq"] = min(seqs) if seqs else None
        self.data["verdict"] = "tampered" if self.problems else "intact"
        return self.data


def verify(con, path=None, expected_head=None, now=None):
    """FORMAT.md sections 6, 7 and 8 on an open store; `path` for the -wal notice (step 9)."""
    now = now if now is not None else time.time()  # the verifier's clock, read once when verification starts
    now_ms = int(now * 1000)
    report = Report()
    data = report.data
    problem = report.problem

    # Step 2: schema. Exactly the objects of FORMAT.md, then stop if not.
    try:
        deviations = schema_deviations(con)
        for name, what in deviations:
            problem(None, "schema_altered", what, subject=name, stops=True)
        if deviations:
            finish_expected(report, expected_head, None, False)
            return report.finish()

        # Step 3: meta, scanned (never through an index); the last row of a repeated key counts.
        meta = {}
        for key, value in con.execute(
                "SELECT {}, {} FROM meta NOT INDEXED".format(as_bytes("key"), as_bytes("value"))):
            if key is not None:
                meta[key] = value
    except sqlite3.Error as e:
        check_busy(e)
        problem(None, "store_corrupt", "SQLite reported an error reading the schema or meta: {}".format(e),
                stops=True)
        finish_expected(report, expected_head, None, False)
        return report.finish()

    fmt = meta.get(b"format")
    if fmt != b"temoin-store":
        problem(None, "meta_invalid", "meta format is {}, expected 'temoin-store'".format(
            "missing" if fmt is None else repr(show(fmt))), subject="format")
    raw_store_id = meta.get(b"store_id")
    store_id = raw_store_id.decode("ascii") if is_store_id(raw_store_id) else None
    data["store_id"] = store_id
    if store_id is None:
        problem(None, "meta_invalid", "meta store_id is {}, expected a lowercase UUID with hyphens "
                "(the chain is checked against the empty string)".format(
                    "missing" if raw_store_id is None else repr(show(raw_store_id))), subject="store_id")
    genesis = sha256_hex(GENESIS_PREFIX, (store_id or "").encode("ascii"))
    raw_head = meta.get(b"head_seq")
    head_seq = None
    if isinstance(raw_head, bytes) and raw_head and all(48 <= b <= 57 for b in raw_head):
        # Beyond 19 digits it is beyond any entry (and int() of over 4,300 digits would raise).
        head_seq = int(raw_head) if len(raw_head.lstrip(b"0")) <= 19 else 10 ** 19
    else:
        problem(None, "meta_invalid", "meta head_seq is {}, expected a non-negative decimal integer".format(
            "missing" if raw_head is None else repr(show(raw_head))), subject="head_seq")

    # Step 4: entries, in ascending seq.
    expected = 1
    prev_hash = None  # unset
    last_seq = 0
    hash_at_expected = None
    referenced = {}  # digest bytes -> [size, [seqs]]
    try:
        for seq, stored_hash, body in entry_rows(con):
            if not is_int(seq):
                raise Corrupt("an entries row has a non-integer seq ({})".format(short(seq)))
            stored_hash = stored_hash if stored_hash is not None else b""
            body = body if body is not None else b""
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
                problem(seq, "body_invalid", "body is not a strict JSON object with an integral seq, a string "
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
                    data["attempts"] += 1
                for item in obj.get("captures", ()):
                    digest = to_key(item["digest"])
                    size = item["size"]
                    ref = referenced.get(digest)
                    if ref is None:
                        referenced[digest] = [size, [seq]]
                    else:
                        if ref[0] != size:
                            problem(seq, "capture_altered", "capture {} is referenced with size {}, earlier "
                                    "with size {}".format(short(digest), size, ref[0]), subject=digest)
                        if ref[1][-1] != seq:
                            ref[1].append(seq)
            if expected_head is not None and seq == expected_head[0]:
                hash_at_expected = computed
            data["entries"] += 1
            data["head"] = {"seq": seq, "hash": show(stored_hash)}
            last_seq = seq
            prev_hash = stored_hash
            expected = seq + 1
    except (sqlite3.DatabaseError, Corrupt) as e:
        check_busy(e)
        problem(expected, "store_corrupt", "reading entries failed at #{}: {}".format(expected, e), stops=True)
        finish_expected(report, expected_head, hash_at_expected, False)
        return report.finish()

    # Step 5: head counter.
    if head_seq is not None:
        if head_seq > last_seq:
            problem(last_seq + 1, "entries_truncated", "meta head_seq is {} but the last entry is #{}".format(
                head_seq, last_seq))
        elif head_seq < last_seq:
            problem(head_seq + 1, "head_mismatch", "meta head_seq is {} but entries go up to #{}".format(
                head_seq, last_seq))

    # Step 6: captures, streamed row by row in rowid order. Its findings count only once the whole
    # table was read: if SQLite fails on it, store_corrupt after the last entry stands alone for it.
    findings = []
    withheld = []
    counts = {"checked": 0, "withheld": 0, "bytes": 0}
    seen = set()
    try:
        cursor = con.execute("SELECT {}, size, {}, {}, {} FROM captures ORDER BY rowid".format(
            as_bytes("digest"), as_bytes("encoding"), as_bytes("data"), as_bytes("withheld_at")))
        for digest, size, encoding, blob, withheld_at in cursor:
            digest = digest if digest is not None else b""
            if digest in seen:
                continue  # a second row with one digest: the first (smallest rowid) is the capture
            seen.add(digest)
            ref = referenced.get(digest)
            if ref is None:
                findings.append((None, "capture_unreferenced", "capture {} is referenced by no entry".format(
                    short(digest)), digest))
                continue
            ref_size, seqs = ref
            if not is_int(size) or size != ref_size:
                for s in seqs:
                    findings.append((s, "capture_altered", "capture {} has size {}, the entry says {}".format(
                        short(digest), short(size), ref_size), digest))
                continue
            if blob is None:
                withheld.append({"digest": show(digest), "seqs": sorted(set(seqs)), "withheld_at": show(withheld_at)})
                if not isinstance(withheld_at, bytes) or INSTANT.match(withheld_at) is None:
                    for s in seqs:
                        findings.append((s, "withholding_undated", "capture {} is withheld without a valid "
                                         "withheld_at time: nothing says when".format(short(digest)), digest))
                continue
            raw = decode_capture(encoding, blob, size)
            if raw is None or hashlib.sha256(raw).hexdigest().encode("ascii") != digest:
                for s in seqs:
                    findings.append((s, "capture_altered", "capture {} does not decode to {} bytes hashing to "
                                     "its digest (encoding {})".format(short(digest), size, repr(show(encoding))),
                                     digest))
                continue
            del raw
            counts["checked"] += 1
            counts["bytes"] += size
    except sqlite3.DatabaseError as e:
        check_busy(e)
        problem(last_seq + 1, "store_corrupt", "reading captures failed: {}".format(e), stops=True)
        finish_expected(report, expected_head, hash_at_expected, True)
        return report.finish()
    for seq, code, reason, digest in findings:
        problem(seq, code, reason, subject=digest)
    for digest, (ref_size, seqs) in referenced.items():
        if digest not in seen:
            for s in seqs:
                problem(s, "capture_missing", "capture {} ({} bytes) is referenced but not stored".format(
                    short(digest), ref_size), subject=digest)
    withheld.sort(key=lambda w: w["digest"].encode("utf-8", "surrogateescape"))
    counts["withheld"] = len(withheld)
    data["withheld"] = withheld
    data["captures"] = counts

    # Step 8: the head obtained independently.
    finish_expected(report, expected_head, hash_at_expected, True)

    # Step 9: a -wal beside the store holding entries the main file lacks (a notice, not a problem).
    if path is not None:
        data["wal"] = wal_notice(path, data["entries"])

    # Section 7: seals and attestations.
    try:
        check_anchors(con, store_id, report, now)
    except sqlite3.DatabaseError as e:
        check_busy(e)
        data["seals"] = []
        data["attestations"] = []
        problem(None, "store_corrupt", "reading seals or attestations failed: {}".format(e), stops=True)
    check_time(con, report, now_ms)
    return report.finish()


def finish_expected(report, expected_head, hash_at_expected, entries_read):
    """FORMAT.md 6.8: entry SEQ must exist and its hash, recomputed, start with HASH, else
    head_not_as_expected (seq null). Not checked ("matches": null) when the walk stopped before it."""
    if expected_head is None:
        return
    seq, prefix = expected_head
    out = {"seq": seq, "hash_prefix": prefix, "matches": None, "entries_after": 0}
    report.data["expected_head"] = out
    if hash_at_expected is None and not entries_read:
        return
    matches = hash_at_expected is not None and hash_at_expected.startswith(prefix)
    out["matches"] = matches
    if matches:
        head = report.data["head"]
        out["entries_after"] = max(0, (head["seq"] if head else 0) - seq)
    elif hash_at_expected is None:
        report.problem(None, "head_not_as_expected", "the expected head {}:{} is not in the chain: there is no "
                       "entry #{}".format(seq, prefix, seq))
    else:
        report.problem(None, "head_not_as_expected", "the expected head {}:{} is not the chain's: entry #{} hashes "
                       "to {}".format(seq, prefix, seq, short(hash_at_expected)))


def wal_notice(path, entries):
    """FORMAT.md 6.9: the main file read alone (immutable: SQLite then ignores the -wal) against what was
    verified with the -wal."""
    try:
        if os.path.getsize(path + "-wal") == 0:
            return None
    except OSError:
        return None
    alone = None
    try:
        con = sqlite3.connect(file_uri(path, immutable=True), uri=True)
        try:
            alone = con.execute("SELECT count(*) FROM entries").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        alone = None
    if alone is not None and alone >= entries:
        return None
    return {"entries_in_main_file": alone, "entries_with_wal": entries}


# ---------------------------------------------------------------------------------------------------
# DER (X.690), read strictly: definite and minimal lengths, low tag numbers, nothing left over.

class DERError(ValueError):
    pass


class Node(object):
    __slots__ = ("data", "tag", "start", "end", "header")

    def __init__(self, data, tag, header, start, end):
        self.data, self.tag, self.header, self.start, self.end = data, tag, header, start, end

    @property
    def constructed(self):
        return bool(self.tag & 0x20)

    @property
    def content(self):
        return self.data[self.start:self.end]

    @property
    def encoded(self):
        return self.data[self.header:self.end]

    def children(self, tag=None):
        if tag is not None and self.tag != tag:
            raise DERError("expected tag 0x{:02x}, found 0x{:02x}".format(tag, self.tag))
        if not self.constructed:
            raise DERError("a primitive value where a constructed one belongs")
        return der_nodes(self.data, self.start, self.end)


UNIVERSAL_PRIMITIVE = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x16, 0x17, 0x18, 0x1E}
UNIVERSAL_CONSTRUCTED = {0x10, 0x11}


def der_nodes(data, start, end):
    """The values between start and end, each with a definite, minimal length, nothing left over; the
    universal types in their only DER form (SEQUENCE and SET constructed, the others primitive)."""
    nodes = []
    pos = start
    while pos < end:
        header = pos
        tag = data[pos]
        if tag & 0x1F == 0x1F:
            raise DERError("high tag numbers are not used here")
        if tag & 0xC0 == 0:
            number, constructed = tag & 0x1F, bool(tag & 0x20)
            if (number in UNIVERSAL_CONSTRUCTED and not constructed) or (number in UNIVERSAL_PRIMITIVE and constructed):
                raise DERError("universal type 0x{:02x} in the wrong form".format(tag))
        if pos + 1 >= end:
            raise DERError("truncated")
        length = data[pos + 1]
        pos += 2
        if length == 0x80:
            raise DERError("indefinite length")
        if length & 0x80:
            n = length & 0x7F
            if n > 4 or pos + n > end or data[pos] == 0:
                raise DERError("bad length")
            length = int.from_bytes(data[pos:pos + n], "big")
            if length < 0x80:
                raise DERError("length not minimal")
            pos += n
        if pos + length > end:
            raise DERError("truncated")
        nodes.append(Node(data, tag, header, pos, pos + length))
        pos += length
    return nodes


def der_root(data):
    nodes = der_nodes(data, 0, len(data))
    if len(nodes) != 1:
        raise DERError("not one DER value")
    return nodes[0]


def der_int(node, minimal=True):
    if node.tag != 0x02 or not node.content:
        raise DERError("not an INTEGER")
    c = node.content
    if minimal and len(c) > 1 and ((c[0] == 0 and c[1] < 0x80) or (c[0] == 0xFF and c[1] >= 0x80)):
        raise DERError("INTEGER not minimal")
    return int.from_bytes(c, "big", signed=True)


def der_oid(node):
    if node.tag != 0x06 or not node.content or node.content[-1] & 0x80:
        raise DERError("not an OBJECT IDENTIFIER")
    return bytes(node.content)


def oid(dotted):
    """DER content bytes of an OID given in dotted form."""
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


OID_SHA256, OID_SHA384, OID_SHA512 = oid("2.16.840.1.101.3.4.2.1"), oid("2.16.840.1.101.3.4.2.2"), oid(
    "2.16.840.1.101.3.4.2.3")
OID_SIGNED_DATA = oid("1.2.840.113549.1.7.2")
OID_TSTINFO = oid("1.2.840.113549.1.9.16.1.4")
OID_CONTENT_TYPE = oid("1.2.840.113549.1.9.3")
OID_MESSAGE_DIGEST = oid("1.2.840.113549.1.9.4")
OID_RSA = oid("1.2.840.113549.1.1.1")
OID_RSA_SHA = {oid("1.2.840.113549.1.1.11"): "sha256", oid("1.2.840.113549.1.1.12"): "sha384",
               oid("1.2.840.113549.1.1.13"): "sha512"}
OID_EC = oid("1.2.840.10045.2.1")
OID_ECDSA_SHA = {oid("1.2.840.10045.4.3.2"): "sha256", oid("1.2.840.10045.4.3.3"): "sha384",
                 oid("1.2.840.10045.4.3.4"): "sha512"}
OID_ED25519 = oid("1.3.101.112")
OID_P256, OID_P384, OID_P521 = oid("1.2.840.10045.3.1.7"), oid("1.3.132.0.34"), oid("1.3.132.0.35")
OID_EKU, OID_SKI = oid("2.5.29.37"), oid("2.5.29.14")
OID_TIME_STAMPING = oid("1.3.6.1.5.5.7.3.8")
DIGESTS = {OID_SHA256: "sha256", OID_SHA384: "sha384", OID_SHA512: "sha512"}
DIGEST_INFO_PREFIX = {  # RFC 8017 9.2, note 1
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


def algorithm(node):
    """An AlgorithmIdentifier with absent or NULL parameters (a named curve after id-ecPublicKey)."""
    parts = node.children(0x30)
    if not 1 <= len(parts) <= 2:
        raise DERError("bad AlgorithmIdentifier")
    identifier = der_oid(parts[0])
    if len(parts) == 2:
        if identifier == OID_EC:
            der_oid(parts[1])
        elif parts[1].tag != 0x05 or parts[1].content:
            raise DERError("algorithm parameters are not NULL")
    return identifier, (parts[1] if len(parts) == 2 else None)


def der_time(node):
    """UTCTime or GeneralizedTime, in DER's forms, as a UTC datetime."""
    text = bytes(node.content).decode("ascii", "replace")
    if node.tag == 0x17:
        m = re.match(r"([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})Z\Z", text)
        if not m:
            raise DERError("bad UTCTime")
        year = int(m.group(1))
        year += 1900 if year >= 50 else 2000
        fields, fraction = [year] + [int(g) for g in m.groups()[1:]], ""
    elif node.tag == 0x18:
        m = re.match(r"([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})(?:\.([0-9]*[1-9]))?Z\Z", text)
        if not m:
            raise DERError("bad GeneralizedTime")
        fields, fraction = [int(g) for g in m.groups()[:6]], m.group(7) or ""
    else:
        raise DERError("not a time")
    try:
        moment = datetime.datetime(*fields, tzinfo=datetime.timezone.utc)
    except ValueError:
        raise DERError("impossible time")
    if fraction:
        moment += datetime.timedelta(microseconds=int((fraction + "000000")[:6]))
    return moment


def moment_text(moment):
    """A datetime in the form of FORMAT.md section 5."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "{:03d}Z".format(moment.microsecond // 1000)


class Cert(object):
    """The parts of an X.509 certificate (RFC 5280 4.1) a seal's check needs, read strictly."""

    def __init__(self, node):
        top = node.children(0x30)
        if len(top) != 3:
            raise DERError("a certificate is three values")
        # The issuer's signature must be of a known algorithm, and an ECDSA one a DER (r, s) pair; the
        # RSA algorithms take NULL or absent parameters, the others none.
        sig_algorithm, sig_params = algorithm(top[1])
        family = CERT_SIGNATURES.get(sig_algorithm)
        if family is None or (family != "rsa" and sig_params is not None):
            raise DERError("unsupported signature algorithm for a certificate")
        if top[2].tag != 0x03 or not top[2].content or top[2].content[0] != 0:
            raise DERError("a certificate's signature is not a whole number of octets")
        if family == "ecdsa":
            pair = der_root(bytes(top[2].content[1:])).children(0x30)
            if len(pair) != 2 or der_int(pair[0]) < 0 or der_int(pair[1]) < 0:
                raise DERError("bad ECDSA signature")
        tbs = top[0].children(0x30)
        i = 0
        if tbs and tbs[0].tag == 0xA0:
            version = tbs[0].children()
            if len(version) != 1 or der_int(version[0]) not in (0, 1, 2):
                raise DERError("bad certificate version")
            i = 1
        if len(tbs) < i + 6:
            raise DERError("short TBSCertificate")
        serial = tbs[i]
        if serial.tag != 0x02 or not serial.content:
            raise DERError("bad serial number")
        self.serial = bytes(serial.content)
        algorithm(tbs[i + 1])
        self.issuer = name(tbs[i + 2])
        validity = tbs[i + 3].children(0x30)
        if len(validity) != 2:
            raise DERError("bad validity")
        self.not_before, self.not_after = der_time(validity[0]), der_time(validity[1])
        self.subject = name(tbs[i + 4])
        self.key = public_key(tbs[i + 5])
        self.eku = None  # (critical, [purposes])
        self.ski_value = None  # read only when a signer names its certificate by it
        rest = tbs[i + 6:]
        for extra in rest:
            if extra.tag in (0x81, 0xA1, 0x82, 0xA2):
                continue
            if extra.tag != 0xA3 or extra is not rest[-1]:
                raise DERError("bad TBSCertificate")
            inner = extra.children()
            if len(inner) != 1:
                raise DERError("bad extensions")
            seen = set()
            for ext in inner[0].children(0x30):
                parts = ext.children(0x30)
                critical = False
                if len(parts) == 3:
                    if parts[1].tag != 0x01 or len(parts[1].content) != 1 or parts[1].content[0] not in (0, 0xFF):
                        raise DERError("bad critical flag")
                    critical = parts[1].content[0] == 0xFF
                elif len(parts) != 2:
                    raise DERError("bad extension")
                ext_id, value = der_oid(parts[0]), parts[-1]
                if value.tag != 0x04 or ext_id in seen:
                    raise DERError("bad or repeated extension")  # RFC 5280 4.2: each extension once
                seen.add(ext_id)
                if ext_id == OID_EKU:
                    self.eku = (critical, [der_oid(p) for p in der_root(bytes(value.content)).children(0x30)])
                elif ext_id == OID_SKI:
                    self.ski_value = bytes(value.content)

    @property
    def ski(self):
        """The subject key identifier, or None (also when its extension does not read)."""
        try:
            ski = der_root(self.ski_value) if self.ski_value is not None else None
        except DERError:
            return None
        return bytes(ski.content) if ski is not None and ski.tag == 0x04 else None


def name(node):
    """A Name (SEQUENCE OF SET OF AttributeTypeAndValue), as its DER bytes for comparison."""
    for rdn in node.children(0x30):
        for atv in rdn.children(0x31):
            parts = atv.children(0x30)
            if len(parts) != 2:
                raise DERError("bad name attribute")
            der_oid(parts[0])
    return bytes(node.encoded)


def public_key(node):
    parts = node.children(0x30)
    if len(parts) != 2 or parts[1].tag != 0x03 or not parts[1].content or parts[1].content[0] != 0:
        raise DERError("bad SubjectPublicKeyInfo")
    identifier, params = algorithm(parts[0])
    key = bytes(parts[1].content[1:])
    if identifier == OID_RSA:
        numbers = der_root(key).children(0x30)
        if len(numbers) != 2:
            raise DERError("bad RSA key")
        n, e = der_int(numbers[0]), der_int(numbers[1])
        if n <= 0 or not 2048 <= n.bit_length() <= 16384 or e < 3 or e % 2 == 0 or e >= 2 ** 33 or e >= n:
            raise DERError("RSA key refused (2048 to 16384 bits, an odd exponent below 2^33)")
        return ("rsa", n, e)
    if identifier == OID_EC:
        curve = CURVES.get(der_oid(params) if params is not None else None)
        if curve is None:
            raise DERError("unsupported curve")
        point = curve.decode(key)
        if point is None:
            raise DERError("not a point of the curve")
        return ("ec", curve, point)
    if identifier == OID_ED25519 and params is None:
        if len(key) != 32 or ed25519_point(key) is None:
            raise DERError("bad Ed25519 key")
        return ("ed25519", key)
    raise DERError("unsupported public key")


# ---------------------------------------------------------------------------------------------------
# Signatures: RSA PKCS #1 v1.5 (RFC 8017), ECDSA (FIPS 186-4) on the NIST curves, Ed25519 (RFC 8032).

class Curve(object):
    def __init__(self, p, a, b, n, gx, gy, size):
        self.p, self.a, self.b, self.n, self.g, self.size = p, a, b, n, (gx, gy, 1), size

    def decode(self, data):
        """An uncompressed point (0x04 || X || Y) on the curve, in Jacobian form; None otherwise."""
        if len(data) != 1 + 2 * self.size or data[0] != 4:
            return None
        x = int.from_bytes(data[1:1 + self.size], "big")
        y = int.from_bytes(data[1 + self.size:], "big")
        if x >= self.p or y >= self.p or (y * y - x * x * x - self.a * x - self.b) % self.p:
            return None
        return (x, y, 1)

    def double(self, P):
        x, y, z = P
        if z == 0 or y == 0:
            return (0, 1, 0)
        p = self.p
        yy = y * y % p
        s = 4 * x * yy % p
        zz = z * z % p
        m = (3 * x * x + self.a * zz * zz) % p
        x3 = (m * m - 2 * s) % p
        return (x3, (m * (s - x3) - 8 * yy * yy) % p, 2 * y * z % p)

    def add(self, P, Q):
        if P[2] == 0:
            return Q
        if Q[2] == 0:
            return P
        p = self.p
        z1z1, z2z2 = P[2] * P[2] % p, Q[2] * Q[2] % p
        u1, u2 = P[0] * z2z2 % p, Q[0] * z1z1 % p
        s1, s2 = P[1] * Q[2] * z2z2 % p, Q[1] * P[2] * z1z1 % p
        if u1 == u2:
            return self.double(P) if s1 == s2 else (0, 1, 0)
        h, r = (u2 - u1) % p, (s2 - s1) % p
        hh = h * h % p
        hhh = h * hh % p
        v = u1 * hh % p
        x3 = (r * r - hhh - 2 * v) % p
        return (x3, (r * (v - x3) - s1 * hhh) % p, h * P[2] * Q[2] % p)

    def mul(self, k, P):
        R = (0, 1, 0)
        for bit in bin(k)[2:]:
            R = self.double(R)
            if bit == "1":
                R = self.add(R, P)
        return R

    def affine_x(self, P):
        if P[2] == 0:
            return None
        zinv = pow(P[2], self.p - 2, self.p)
        return P[0] * zinv * zinv % self.p

    def verify(self, point, digest, signature):
        """ECDSA: the DER signature (r, s) of `digest` by `point`."""
        try:
            parts = der_root(signature).children(0x30)
            if len(parts) != 2:
                return False
            r, s = der_int(parts[0]), der_int(parts[1])
        except (DERError, IndexError):
            return False
        if not (1 <= r < self.n and 1 <= s < self.n):
            return False
        e = int.from_bytes(digest, "big")
        excess = len(digest) * 8 - self.n.bit_length()
        if excess > 0:
            e >>= excess
        w = pow(s, self.n - 2, self.n)
        X = self.add(self.mul(e * w % self.n, self.g), self.mul(r * w % self.n, point))
        x = self.affine_x(X)
        return x is not None and x % self.n == r


CURVES = {
    OID_P256: Curve(
        0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff,
        -3, 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
        0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551,
        0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
        0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5, 32),
    OID_P384: Curve(
        int("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff", 16),
        -3, int("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef", 16),
        int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973", 16),
        int("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7", 16),
        int("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f", 16),
        48),
    OID_P521: Curve(
        2 ** 521 - 1, -3,
        int("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf07357"
            "3df883d2c34f1ef451fd46b503f00", 16),
        int("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5"
            "c9b8899c47aebb6fb71e91386409", 16),
        int("00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b"
            "3c1856a429bf97e7e31c2e5bd66", 16),
        int("011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c"
            "7086a272c24088be94769fd16650", 16),
        66),
}


def rsa_verify(n, e, digest_name, digest, signature):
    """RSASSA-PKCS1-v1_5 (RFC 8017 8.2.2): the signature is as long as the modulus, and decodes to exactly
    the expected encoding of the digest."""
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    t = DIGEST_INFO_PREFIX[digest_name] + digest
    if k < len(t) + 11:
        return False
    return em == b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


# Ed25519 (RFC 8032 5.1), verification only: extended coordinates.
ED_P = 2 ** 255 - 19
ED_L = 2 ** 252 + 27742317777372353535851937790883648493
ED_D = -121665 * pow(121666, ED_P - 2, ED_P) % ED_P
ED_SQRT_M1 = pow(2, (ED_P - 1) // 4, ED_P)


def ed_add(P, Q):
    A, B = (P[1] - P[0]) * (Q[1] - Q[0]) % ED_P, (P[1] + P[0]) * (Q[1] + Q[0]) % ED_P
    C, D = 2 * P[3] * Q[3] * ED_D % ED_P, 2 * P[2] * Q[2] % ED_P
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F % ED_P, G * H % ED_P, F * G % ED_P, E * H % ED_P)


def ed_mul(s, P):
    Q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            Q = ed_add(Q, P)
        P = ed_add(P, P)
        s >>= 1
    return Q


def ed_encode(P):
    zinv = pow(P[2], ED_P - 2, ED_P)
    x, y = P[0] * zinv % ED_P, P[1] * zinv % ED_P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def ed25519_point(data):
    """The point a 32-byte encoding names (RFC 8032 5.1.3), or None."""
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= ED_P:
        return None
    x2 = (y * y - 1) * pow(ED_D * y * y + 1, ED_P - 2, ED_P) % ED_P
    if x2 == 0:
        if sign:
            return None
        return (0, y, 1, 0)
    x = pow(x2, (ED_P + 3) // 8, ED_P)
    if (x * x - x2) % ED_P:
        x = x * ED_SQRT_M1 % ED_P
    if (x * x - x2) % ED_P:
        return None
    if x & 1 != sign:
        x = ED_P - x
    return (x, y, 1, x * y % ED_P)


ED_B = ed25519_point((4 * pow(5, ED_P - 2, ED_P) % ED_P).to_bytes(32, "little"))


def ed25519_verify(public, message, signature):
    """RFC 8032 5.1.7, cofactorless: S below L, and [S]B - [k]A encodes exactly as R."""
    if len(public) != 32 or len(signature) != 64:
        return False
    A = ed25519_point(public)
    if A is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= ED_L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % ED_L
    minus_a = (ED_P - A[0], A[1], A[2], ED_P - A[3])
    return ed_encode(ed_add(ed_mul(s, ED_B), ed_mul(k, minus_a))) == signature[:32]


def verify_with_key(key, algorithm_name, digest_name, message, signature):
    """A signature over `message` by a certificate's key, under the named algorithm family."""
    if key[0] == "ed25519":
        return algorithm_name == "ed25519" and ed25519_verify(key[1], message, signature)
    if digest_name not in ("sha256", "sha384", "sha512"):
        return False
    digest = hashlib.new(digest_name, message).digest()
    if key[0] == "rsa":
        return algorithm_name == "rsa" and rsa_verify(key[1], key[2], digest_name, digest, signature)
    if key[0] == "ec":
        return algorithm_name == "ecdsa" and key[1].verify(key[2], digest, signature)
    return False


# ---------------------------------------------------------------------------------------------------
# Seals (FORMAT.md 7.1).

class SealError(ValueError):
    """Why a seal is invalid (the first reason found)."""


def signed_data(response):
    """The TimeStampResp of a seal, read strictly: (status, SignedData parts) or raises SealError."""
    try:
        resp = der_root(response).children(0x30)
        if not 1 <= len(resp) <= 2:
            raise DERError("not a TimeStampResp")
        info = resp[0].children(0x30)
        if not info:
            raise DERError("no status")
        status = der_int(info[0])
        if status not in (0, 1):
            raise SealError("the TSA refused the request (status {})".format(status))
        if len(resp) != 2:
            raise DERError("granted without a token")
        content_info = resp[1].children(0x30)
        if len(content_info) != 2 or der_oid(content_info[0]) != OID_SIGNED_DATA:
            raise DERError("the token is not CMS SignedData")
        wrapped = content_info[1].children(0xA0)
        if len(wrapped) != 1:
            raise DERError("the ContentInfo holds more than one SignedData")
        sd = wrapped[0].children(0x30)
        if len(sd) < 4 or der_int(sd[0]) != 3:
            raise DERError("SignedData version is not 3")
        digest_algorithms = [algorithm(a)[0] for a in sd[1].children(0x31)]
        encap = sd[2].children(0x30)
        if len(encap) != 2:
            raise DERError("eContent is not one OCTET STRING")
        e_type = der_oid(encap[0])
        octets = encap[1].children(0xA0)
        if len(octets) != 1 or octets[0].tag != 0x04:
            raise DERError("eContent is not one OCTET STRING")
        content = bytes(octets[0].content)
        i = 3
        certs = []
        if sd[i].tag == 0xA0:
            certs = [Cert(c) for c in sd[i].children()]
            i += 1
        if i < len(sd) and sd[i].tag == 0xA1:
            i += 1
        if i != len(sd) - 1:
            raise DERError("no signerInfos SET, or data after it")
        signers = [signer_info(s) for s in sd[i].children(0x31)]
        if len(signers) != 1:
            raise DERError("expected one signer, found {}".format(len(signers)))
        if signers[0]["digest"] not in digest_algorithms:
            raise DERError("the signer's digest algorithm is not among SignedData's digestAlgorithms")
        if e_type != OID_TSTINFO:
            raise DERError("the signed content is not a TSTInfo")
        return content, certs, signers[0]
    except (DERError, IndexError) as e:
        raise SealError("the response is not a valid time-stamp response ({})".format(e))


def signer_info(node):
    parts = node.children(0x30)
    if len(parts) < 5:
        raise DERError("short SignerInfo")
    version = der_int(parts[0])
    sid = parts[1]
    out = {"issuer": None, "serial": None, "ski": None, "attributes": [], "signed": None}
    if sid.tag == 0x30 and version == 1:
        inner = sid.children(0x30)
        if len(inner) != 2 or inner[1].tag != 0x02:
            raise DERError("bad issuerAndSerialNumber")
        out["issuer"], out["serial"] = name(inner[0]), bytes(inner[1].content)
    elif sid.tag == 0x80 and version == 3:
        out["ski"] = bytes(sid.content)
    else:
        raise DERError("bad signer identifier or SignerInfo version {}".format(version))
    out["digest"] = algorithm(parts[2])[0]
    i = 3
    if parts[i].tag == 0xA0:
        out["signed"] = b"\x31" + bytes(parts[i].encoded[1:])  # [0] IMPLICIT SET OF -> SET OF: what is signed
        for attribute in parts[i].children():
            pair = attribute.children(0x30)
            if len(pair) != 2:
                raise DERError("bad attribute")
            out["attributes"].append((der_oid(pair[0]), pair[1].children(0x31)))
        i += 1
    out["signature_algorithm"] = algorithm(parts[i])[0]
    signature = parts[i + 1]
    if signature.tag != 0x04:
        raise DERError("no signature")
    out["signature"] = bytes(signature.content)
    rest = parts[i + 2:]
    if rest and (len(rest) > 1 or rest[0].tag != 0xA1):
        raise DERError("data after the signature")
    return out


def tst_info(content):
    """(imprint algorithm, imprint, nonce bytes or None, genTime) of the TSTInfo (RFC 3161 2.4.2)."""
    try:
        parts = der_root(content).children(0x30)
        if len(parts) < 5 or der_int(parts[0]) != 1:
            raise DERError("TSTInfo version")
        der_oid(parts[1])
        imprint = parts[2].children(0x30)
        if len(imprint) != 2 or imprint[1].tag != 0x04:
            raise DERError("bad messageImprint")
        hash_algorithm = imprint[0].children(0x30)
        if not hash_algorithm:
            raise DERError("no hashAlgorithm")
        if parts[3].constructed:
            raise DERError("no serialNumber")
        gen_time = der_time(parts[4]) if parts[4].tag == 0x18 else None
        if gen_time is None:
            raise DERError("no genTime")
        nonce = None
        for extra in parts[5:]:
            if extra.tag == 0x02:
                nonce = bytes(extra.content)
        return der_oid(hash_algorithm[0]), bytes(imprint[1].content), nonce, gen_time
    except (DERError, IndexError) as e:
        raise SealError("the response is not a valid time-stamp response (TSTInfo: {})".format(e))


def nonce_bytes(value):
    """The content bytes of a DER INTEGER."""
    n = (value.bit_length() + 8) // 8
    return value.to_bytes(n, "big", signed=True)


CERT_SIGNATURES = {oid("1.2.840.113549.1.1.5"): "rsa", OID_ED25519: "ed25519"}
CERT_SIGNATURES.update({k: "rsa" for k in OID_RSA_SHA})
CERT_SIGNATURES.update({k: "ecdsa" for k in OID_ECDSA_SHA})
SIGNATURE_FAMILIES = {OID_ED25519: ("ed25519", None)}
SIGNATURE_FAMILIES.update({k: ("rsa", v) for k, v in OID_RSA_SHA.items()})
SIGNATURE_FAMILIES.update({k: ("ecdsa", v) for k, v in OID_ECDSA_SHA.items()})


def check_seal(head, nonce, response, now):
    """FORMAT.md 7.1 up to the chain: (gen_time text, None) when the seal is valid, else raises SealError."""
    content, certs, signer = signed_data(response)
    hash_oid, imprint, token_nonce, gen_time = tst_info(content)
    gen_text = moment_text(gen_time)
    if hash_oid != OID_SHA256 or imprint != bytes.fromhex(head):
        raise SealError("the token stamps another imprint than the head", gen_text)
    if gen_time.timestamp() - now > GEN_TIME_FUTURE_SECONDS:
        raise SealError("the TSA's time {} is ahead of this computer's clock".format(gen_text), gen_text)
    if token_nonce != nonce_bytes(nonce):
        raise SealError("the token's nonce is not the one stored", gen_text)
    cert = None
    for c in certs:
        if signer["issuer"] is not None and c.issuer == signer["issuer"] and c.serial == signer["serial"]:
            cert = c
            break
        if signer["ski"] is not None and c.ski == signer["ski"]:
            cert = c
            break
    if cert is None:
        raise SealError("the token does not carry the TSA's certificate", gen_text)
    if signer["signed"] is None:
        raise SealError("no signed attributes", gen_text)
    content_type = next((values for oid_, values in signer["attributes"] if oid_ == OID_CONTENT_TYPE), None)
    if not content_type or content_type[0].tag != 0x06 or bytes(content_type[0].content) != OID_TSTINFO:
        raise SealError("the content-type attribute is not TSTInfo", gen_text)
    digest_name = DIGESTS.get(signer["digest"])
    message_digest = next((values for oid_, values in signer["attributes"] if oid_ == OID_MESSAGE_DIGEST), None)
    if (digest_name is None or not message_digest or message_digest[0].tag != 0x04
            or bytes(message_digest[0].content) != hashlib.new(digest_name, content).digest()):
        raise SealError("the message digest does not match the TSTInfo", gen_text)
    family = SIGNATURE_FAMILIES.get(signer["signature_algorithm"])
    if family is None and signer["signature_algorithm"] in (OID_RSA, OID_EC):
        family = ("rsa" if signer["signature_algorithm"] == OID_RSA else "ecdsa", digest_name)
    if family is None or (family[0] != "ed25519" and family[1] is None):
        raise SealError("unknown signature algorithm", gen_text)
    if not verify_with_key(cert.key, family[0], family[1], signer["signed"], signer["signature"]):
        raise SealError("the signature does not verify with the TSA's key", gen_text)
    if cert.eku is None or not cert.eku[0] or OID_TIME_STAMPING not in cert.eku[1]:
        raise SealError("the signing certificate is not a TSA's (critical timeStamping usage)", gen_text)
    if not cert.not_before <= gen_time <= cert.not_after:
        raise SealError("the TSA's certificate was not valid at genTime {}".format(gen_text), gen_text)
    return gen_text


def check_anchors(con, store_id, report, now):
    """FORMAT.md section 7. Run only when section 6 did not stop; step 2 already checked the tables."""
    data = report.data
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def hash_at(seq):
        row = con.execute("SELECT {} FROM entries WHERE seq = ?".format(as_bytes("body")), (seq,)).fetchone()
        if row is None:
            return None
        return sha256_hex(ENTRY_PREFIX, row[0] if row[0] is not None else b"")

    seals = []
    attestations = []
    if b"seals" in tables:
        for sid, seq, head, nonce, response in con.execute(
                "SELECT id, seq, {}, {}, {} FROM seals ORDER BY id".format(
                    as_bytes("head"), as_bytes("nonce"), as_bytes("response"))):
            if not is_int(seq) or not is_int(sid):
                raise sqlite3.DatabaseError("a seals row has a seq that is not an integer")
            head = show(head) or ""
            out = {"id": sid, "seq": seq, "head": head, "binds": False, "signature_checked": True,
                   "signature_valid": False, "trusted": None, "gen_time": None, "detail": None}
            seals.append(out)
            code = "seal_invalid"
            try:
                if not is_hash(head) or not (isinstance(nonce, bytes) and re.match(rb"[1-9][0-9]{0,18}\Z", nonce)) \
                        or int(nonce) > INT64_MAX:
                    raise SealError("the seal's stored head or nonce is not as FORMAT.md 7.1 writes them")
                out["gen_time"] = check_seal(head, int(nonce), response if isinstance(response, bytes) else b"", now)
                out["signature_valid"] = True
                actual = hash_at(seq)
                code = "seal_mismatch"
                if actual is None:
                    raise SealError("the chain has no entry #{} (entries deleted after the seal)".format(seq))
                if actual != head:
                    raise SealError("the sealed head is not entry #{}'s hash any more (chain rewritten)".format(seq))
            except SealError as e:
                out["detail"] = e.args[0]
                if len(e.args) > 1:
                    out["gen_time"] = e.args[1]
                report.problem(seq, code, "seal {}: {}".format(sid, out["detail"]), subject="seal {}".format(sid))
                continue
            out["binds"] = True
            out["detail"] = "valid; whether you trust this TSA is yours to decide (openssl ts -verify -CAfile)"

    if b"attestations" in tables:
        for aid, statement, signature in con.execute(
                "SELECT id, {}, {} FROM attestations ORDER BY id".format(as_bytes("statement"), as_bytes("signature"))):
            out = {"id": aid, "seq": None, "head": None, "binds": False, "signature_checked": True,
                   "signature_valid": False, "name": None, "organisation": None, "verdict": None,
                   "key_fingerprint": None, "detail": None}
            attestations.append(out)
            subject = "attestation {}".format(aid)
            obj = parse_statement(statement)
            if obj is None:
                out["detail"] = "not a temoin attestation statement (FORMAT.md 7.3)"
                report.problem(None, "attestation_invalid", "attestation {}: {}".format(aid, out["detail"]),
                               subject=subject)
                continue
            seq = obj["seq"]
            key = strict_b64(obj["public_key"])
            out.update({"seq": seq, "head": obj["head"], "name": obj["name"], "organisation": obj["organisation"],
                        "verdict": obj["verdict"], "key_fingerprint": hashlib.sha256(key).hexdigest()})
            sig = strict_b64(show(signature) if isinstance(signature, bytes) else None)
            if sig is None or len(sig) != 64 or not ed25519_verify(key, ATTESTATION_PREFIX + statement, sig):
                out["detail"] = "the Ed25519 signature does not verify with the statement's key"
                report.problem(seq, "attestation_invalid", "attestation {}: {}".format(aid, out["detail"]),
                               subject=subject)
                continue
            out["signature_valid"] = True
            actual = hash_at(seq)
            if obj["store_id"] != store_id:
                out["detail"] = "it attests another store ({})".format(obj["store_id"])
            elif actual is None:
                out["detail"] = "the chain has no entry #{}".format(seq)
            elif actual != obj["head"]:
                out["detail"] = "the attested head is not entry #{}'s hash any more (chain rewritten)".format(seq)
            if out["detail"] is not None:
                report.problem(seq, "attestation_mismatch", "attestation {}: {}".format(aid, out["detail"]),
                               subject=subject)
                continue
            out["binds"] = True
            if obj["verdict"] == "tampered":
                out["detail"] = "valid, and its signer found the store NOT intact"
                report.problem(seq, "attestation_tampered", "attestation {}: {} signed that the store was NOT "
                               "intact at #{}".format(aid, obj["name"], seq), subject=subject)
            else:
                out["detail"] = "valid; whether you trust this key is yours to decide (its fingerprint)"
    data["seals"] = seals
    data["attestations"] = attestations


def parse_statement(raw):
    """FORMAT.md 7.3: the statement under the JSON rules of 6.4, every member present with its type."""
    obj = parse_json(raw) if isinstance(raw, bytes) else None
    if not isinstance(obj, dict):
        return None
    for member in ("type", "store_id", "head", "attested_at", "name", "organisation", "verdict", "public_key"):
        if not isinstance(obj.get(member), str):
            return None
    if obj["type"] != "temoin-attestation" or obj.get("v") != 1 or not is_int(obj.get("v")):
        return None
    if not is_int(obj.get("seq")) or obj["seq"] < 1 or not is_hash(obj["head"]):
        return None
    if obj["verdict"] not in ("intact", "tampered") or strict_b64(obj["public_key"]) is None:
        return None
    if len(strict_b64(obj["public_key"])) != 32:
        return None
    return obj


# FORMAT.md section 8: time. Every instant is an integer of milliseconds since 1970-01-01T00:00:00Z.
TIME_TOLERANCE_MS = 120000  # T
TIME_FUTURE_MS = 300000  # F
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def days_from_civil(y, m, d):
    """Days since 1970-01-01 of a proleptic Gregorian date."""
    y = y - 1 if m <= 2 else y
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def to_ms(year, month, day, hour, minute, second, millis):
    if not (1 <= year <= 9999 and 1 <= month <= 12 and hour < 24 and minute < 60 and second < 60):
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days_in = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    if not 1 <= day <= days_in:
        return None
    return ((days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60000 + second * 1000 + millis


def digits(text, start, count):
    part = text[start:start + count]
    if len(part) != count or not all("0" <= c <= "9" for c in part):
        return None
    return int(part)


def instant_ms(value):
    """A time of section 5, exactly YYYY-MM-DDTHH:MM:SS.mmmZ; None otherwise."""
    if not isinstance(value, str) or len(value) != 24:
        return None
    if (value[4], value[7], value[10], value[13], value[16], value[19], value[23]) != ("-", "-", "T", ":", ":", ".", "Z"):
        return None
    parts = [digits(value, a, n) for a, n in ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2), (20, 3))]
    return None if None in parts else to_ms(*parts)


def http_date_ms(value):
    """An HTTP Date in the IMF-fixdate form, exactly 'Sun, 06 Nov 1994 08:49:37 GMT'; None otherwise."""
    if not isinstance(value, str) or len(value) != 29:
        return None
    if (value[3:5], value[7], value[11], value[16], value[19], value[22], value[25:]) != (
            ", ", " ", " ", " ", ":", ":", " GMT"):
        return None
    if value[0:3] not in WEEKDAYS or value[8:11] not in MONTHS:
        return None
    parts = [digits(value, a, n) for a, n in ((12, 4), (5, 2), (17, 2), (20, 2), (23, 2))]
    if None in parts:
        return None
    year, day, hour, minute, second = parts
    return to_ms(year, MONTHS.index(value[8:11]) + 1, day, hour, minute, second, 0)


def utc_text(ms):
    """The section 5 form of an instant given in milliseconds."""
    days, rest = divmod(ms, 86400000)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z".format(
        y, m, d, rest // 3600000, rest // 60000 % 60, rest // 1000 % 60, rest % 1000)


def time_facts(obj):
    """What a parsed body says about time (section 8.1); members of another type count as absent."""
    f = {
        "type": obj.get("type") if isinstance(obj.get("type"), str) else None,
        "recorded": instant_ms(obj.get("recorded_at")),
        "observed": instant_ms(obj.get("observed_at")),
        "basis": obj.get("time_basis") if isinstance(obj.get("time_basis"), str) else None,
        "exchanges": 0, "answered": False, "dated": 0, "offset": None, "offset_exchange": None,
        "after_seal_present": "after_seal" in obj, "after_seal": None,
    }
    ref = obj.get("after_seal")
    if isinstance(ref, dict) and is_int(ref.get("seq")) and isinstance(ref.get("token_sha256"), str):
        f["after_seal"] = (int(ref["seq"]), ref["token_sha256"])
    exchanges = obj.get("exchanges")
    for position, e in enumerate(exchanges if isinstance(exchanges, list) else (), 1):
        if not isinstance(e, dict):
            continue
        f["exchanges"] += 1
        if is_int(e.get("status")):
            f["answered"] = True
        started = instant_ms(e.get("started_at"))
        server = http_date_ms(e.get("server_date"))
        if started is None or server is None:
            continue
        first_byte = 0
        timings = e.get("timings")
        if isinstance(timings, dict) and is_int(timings.get("first_byte_ms")) \
                and 0 <= timings["first_byte_ms"] <= 2147483647:
            first_byte = int(timings["first_byte_ms"])
        age = 0
        headers = e.get("response_headers")
        for h in headers if isinstance(headers, list) else ():
            if isinstance(h, dict) and isinstance(h.get("name"), str) and isinstance(h.get("value"), str) \
                    and h["name"].lower() == "age":
                v = h["value"]
                age = int(v) if 1 <= len(v) <= 9 and all("0" <= c <= "9" for c in v) else 0
        offset = server + age * 1000 - (started + first_byte)
        f["dated"] += 1
        if f["offset"] is None or abs(offset) > abs(f["offset"]):
            f["offset"], f["offset_exchange"] = offset, position
    return f


def generalized_time_ms(text):
    """A genTime YYYYMMDDHHMMSS[.f...]Z, the fraction truncated to milliseconds; None otherwise."""
    if not isinstance(text, str) or len(text) < 15 or not text.endswith("Z"):
        return None
    parts = [digits(text, a, n) for a, n in ((0, 4), (4, 2), (6, 2), (8, 2), (10, 2), (12, 2))]
    if None in parts:
        return None
    millis = 0
    if len(text) > 15:
        fraction = text[15:-1]
        if text[14] != "." or not fraction or not all("0" <= c <= "9" for c in fraction):
            return None
        millis = int((fraction + "00")[:3])
    return to_ms(*parts, millis)


def seal_token(response):
    """The TimeStampToken's bytes (the second element of the TimeStampResp, as stored, section 8.2) and
    its genTime as written in the TSTInfo."""
    token = bytes(der_root(response).children(0x30)[1].encoded)
    content = signed_data(response)[0]
    gen = der_root(content).children(0x30)[4]
    return token, bytes(gen.content).decode("ascii", "replace")


def check_time(con, report, now):
    """FORMAT.md section 8: every attempt's time against the server's clock, the order of the chain,
    the case's opening and the seals. Sets report.data["time"]; never changes the verdict. Not applied
    when section 6 or 7 stopped (schema_altered, store_corrupt): those tables cannot be trusted."""
    if report.stopped:
        return
    report = report.data
    T = TIME_TOLERANCE_MS
    # Section 8.2: the seals that bind, with their token digests and genTimes.
    seals = []
    binding = {s["id"] for s in report["seals"] if s["binds"]}
    if binding:
        try:
            for sid, seq, response, tsa_url in con.execute(
                    "SELECT id, seq, {}, {} FROM seals ORDER BY id".format(as_bytes("response"), as_bytes("tsa_url"))):
                if sid not in binding:
                    continue
                try:
                    token, gen_text = seal_token(response or b"")
                except (DERError, SealError, IndexError):
                    continue
                gen = generalized_time_ms(gen_text)
                if gen is not None:
                    seals.append({"id": sid, "seq": int(seq), "gen": gen, "token": hashlib.sha256(token).hexdigest(),
                                  "tsa_url": show(tsa_url)})
        except sqlite3.DatabaseError as e:
            check_busy(e)
            return
    by_seq = sorted(seals, key=lambda s: (s["seq"], s["id"]))
    sealed_seqs = [s["seq"] for s in by_seq]
    earliest_from = [None] * len(by_seq)  # earliest genTime among by_seq[i:], lowest (seq, id) on a tie
    for i in range(len(by_seq) - 1, -1, -1):
        best = earliest_from[i + 1] if i + 1 < len(by_seq) else None
        earliest_from[i] = by_seq[i] if best is None or by_seq[i]["gen"] <= best["gen"] else best
    by_token = {}
    for s_ in by_seq:
        by_token.setdefault(s_["token"], []).append(s_)

    def upper(n):
        i = bisect.bisect_left(sealed_seqs, n)
        return earliest_from[i] if i < len(by_seq) else None

    summary = {
        "tolerance_ms": T, "future_tolerance_ms": TIME_FUTURE_MS, "attempts": 0, "corroborated": 0,
        "by_server": 0, "by_seals_only": 0, "server_offset_max_ms": None,
        "uncorroborated": {"declared": 0, "file_mtime": 0, "unreachable": 0, "no_server_date": 0,
                           "no_exchange_recorded": 0, "unreadable": 0},
        "contradicted": 0, "contradicted_seqs": [],
        "windows": {"both": 0, "lower_only": 0, "upper_only": 0, "none": 0}, "problems": [],
    }

    def issue(entry, code, at, reference, reference_seq, reason):
        entry["problems"].append({
            "seq": entry["seq"], "code": code, "reason": reason,
            "at": None if at is None else utc_text(at), "reference": None if reference is None else utc_text(reference),
            "reference_seq": reference_seq, "difference_ms": None if at is None or reference is None else at - reference})

    def finalize(e):
        summary["problems"].extend(e["problems"])
        f = e["facts"]
        if f["type"] != "attempt":
            return
        summary["attempts"] += 1
        if any(p["code"] != "time_seal_unknown" for p in e["problems"]):
            summary["contradicted"] += 1
            summary["contradicted_seqs"].append(e["seq"])
        elif e["by_server"] or e["by_seals"]:
            summary["corroborated"] += 1
            if e["by_server"]:
                summary["by_server"] += 1
                m = summary["server_offset_max_ms"]
                summary["server_offset_max_ms"] = abs(f["offset"]) if m is None else max(m, abs(f["offset"]))
            else:
                summary["by_seals_only"] += 1
        else:
            if f["recorded"] is None or f["observed"] is None:
                why = "unreadable"
            elif f["basis"] in ("declared", "file_mtime"):
                why = f["basis"]
            elif f["basis"] == "witnessed":
                # Unreachable only when exchanges were recorded and none answered.
                why = "no_server_date" if f["answered"] else "unreachable" if f["exchanges"] else "no_exchange_recorded"
            else:
                why = "unreadable"
            summary["uncorroborated"][why] += 1
        kind = {(True, True): "both", (True, False): "lower_only", (False, True): "upper_only", (False, False): "none"}
        summary["windows"][kind[(e["lower"] is not None, e["upper"] is not None)]] += 1

    pending = None
    lower = None
    case_opened = None
    def entries():
        # Streamed, as in section 6; a store SQLite cannot read now is left without time (section 8).
        try:
            for row in con.execute("SELECT seq, {} FROM entries ORDER BY seq".format(as_bytes("body"))):
                yield row
        except sqlite3.DatabaseError as e:
            check_busy(e)
            unreadable.append(e)

    unreadable = []
    for seq, body in entries():
        obj = parse_body(body if body is not None else b"")
        if obj is None or not is_int(seq):
            continue  # body_invalid: left out (section 8)
        seq = int(seq)
        f = time_facts(obj)
        e = {"seq": seq, "facts": f, "problems": [], "by_server": False, "by_seals": False}
        r, o = f["recorded"], f["observed"]
        attempt = f["type"] == "attempt"
        on_tool_clock = attempt and f["basis"] == "witnessed"
        # Step 1: bounds.
        if f["after_seal_present"]:
            ref = f["after_seal"]
            named = None
            if ref is not None:
                named = next((s_ for s_ in by_token.get(ref[1], ()) if s_["seq"] == ref[0] and s_["seq"] < seq), None)
            if named is None:
                issue(e, "time_seal_unknown", None, None, None if ref is None else ref[0],
                      "after_seal names no seal of an earlier entry that binds: the lower bound is unchecked")
            elif lower is None or named["gen"] >= lower["gen"]:
                lower = named
        e["lower"], e["upper"] = lower, upper(seq)
        # Step 2: the server's clock.
        if on_tool_clock and f["offset"] is not None:
            if abs(f["offset"]) > T:
                issue(e, "time_server_offset", o, None if o is None else o + f["offset"], None,
                      "the server's Date (exchange {}) is {} ms {} the computer's clock".format(
                          f["offset_exchange"], abs(f["offset"]), "ahead of" if f["offset"] > 0 else "behind"))
                e["problems"][-1]["difference_ms"] = f["offset"]
            else:
                e["by_server"] = True
        # Step 3.
        if r is not None:
            if attempt and o is not None and o > r + T:
                issue(e, "time_observed_after_recorded", o, r, None, "observed_at is after recorded_at")
            latest = max(r, o) if attempt and o is not None else r
            if latest > now + TIME_FUTURE_MS:
                issue(e, "time_in_future", latest, now, None, "a time after the verifier's clock")
            up, low = e["upper"], e["lower"]
            if up is not None and r > up["gen"] + T:
                issue(e, "time_after_seal", r, up["gen"], up["seq"], "recorded after seal {} (of #{})".format(
                    up["id"], up["seq"]))
            if low is not None and r < low["gen"] - T:
                issue(e, "time_before_seal", r, low["gen"], low["seq"], "recorded before seal {} (of #{})".format(
                    low["id"], low["seq"]))
            if (on_tool_clock and low is not None and up is not None and up["gen"] - low["gen"] <= T
                    and o is not None and o >= low["gen"] - T and low["gen"] - T <= r <= up["gen"] + T):
                e["by_seals"] = True
        if any(p["code"] != "time_seal_unknown" for p in e["problems"]):
            e["by_server"] = e["by_seals"] = False
        confirmed = e["by_server"] or e["by_seals"]
        # Step 4: the case's opening.
        if r is not None and case_opened is not None and r < case_opened - T and not confirmed:
            issue(e, "time_before_case", r, case_opened, 1, "recorded before the case was opened (#1)")
        # 2 confirmed, 1 neither, 0 contradicted: what the entry's own evidence says, before the order.
        e["standing"] = 0 if any(p["code"] != "time_seal_unknown" for p in e["problems"]) else 2 if confirmed else 1
        # Step 5: order, against the entry read just before; the side(s) of lowest standing are named.
        if pending is not None:
            pr = pending["facts"]["recorded"]
            if r is not None and pr is not None and r < pr - T and not (pending["standing"] == 2 and confirmed):
                lowest = min(pending["standing"], e["standing"])
                if pending["standing"] == lowest:
                    issue(pending, "time_after_next", pr, r, seq, "recorded after the next entry #{}".format(seq))
                if e["standing"] == lowest:
                    issue(e, "time_before_previous", r, pr, pending["seq"],
                          "recorded before the previous entry #{}".format(pending["seq"]))
            pending["problems"].sort(key=lambda p: p["code"])
            finalize(pending)
        if seq == 1 and f["type"] == "case_opened":
            case_opened = r
        pending = e
    if unreadable:
        return
    if pending is not None:
        pending["problems"].sort(key=lambda p: p["code"])
        finalize(pending)
    summary["problems"].sort(key=lambda p: (p["seq"], p["code"]))
    report["time"] = summary


def grouped(hash_text):
    return " ".join(hash_text[i:i + 4] for i in range(0, len(hash_text), 4))


def terminal_safe(text):
    """Text from the store made harmless on a terminal, exactly as temoin shows it (TerminalText): C0,
    DEL and C1 controls and line separators become visible escapes (\\x1b, \\u2028), never obeyed;
    bidi embeddings, overrides and isolates left open are closed, stray closers escaped, and a text
    holding any of them is isolated (U+2068 ... U+2069)."""
    out = []
    for ch in text:
        c = ord(ch)
        out.append(("\\x%02x" % c if c <= 0xFF else "\\u%04x" % c)
                   if c < 0x20 or 0x7F <= c <= 0x9F or c in (0x2028, 0x2029) else ch)
    text = "".join(out)
    if not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in text):
        return text
    stack, out = [], []
    for ch in text:
        c = ord(ch)
        if c in (0x202A, 0x202B, 0x202D, 0x202E) or c in (0x2066, 0x2067, 0x2068):
            stack.append("I" if c >= 0x2066 else "E")
        elif c == 0x202C:
            if not stack or stack[-1] != "E":
                ch = "\\u%04x" % c
            else:
                stack.pop()
        elif c == 0x2069:
            if "I" not in stack:
                ch = "\\u%04x" % c
            else:
                del stack[len(stack) - 1 - stack[::-1].index("I"):]
        out.append(ch)
    closers = "".join("\u2069" if k == "I" else "\u202c" for k in reversed(stack))
    return "\u2068" + "".join(out) + closers + "\u2069"


class TerminalLines:
    """Each write is one line of the text report: all of it made safe but its final line feed."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, line):
        end = "\n" if line.endswith("\n") else ""
        self.stream.write(terminal_safe(line[:len(line) - len(end)]) + end)


def print_text(path, report):
    out = TerminalLines(sys.stdout)
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
    wal = report.get("wal")
    if wal:
        if wal["entries_in_main_file"] is None:
            out.write("note      {}-wal holds changes the main file alone may lack: send a bundle, or all three "
                      "files\n".format(path))
        else:
            out.write("note      {}-wal holds entries #{} to #{}, not yet in the main file: send a bundle, or all "
                      "three files\n".format(path, wal["entries_in_main_file"] + 1, wal["entries_with_wal"]))
    for w in report["withheld"]:
        out.write("  withheld {} at {} (entr{} {})\n".format(
            w["digest"], w["withheld_at"] or "(no time)", "y" if len(w["seqs"]) == 1 else "ies",
            ", ".join("#{}".format(s) for s in w["seqs"])))
    for seal in report.get("seals", []):
        out.write("  seal {} of #{} ({}): {}\n".format(
            seal["id"], seal["seq"], seal["gen_time"] or "no time", seal["detail"]))
    for att in report.get("attestations", []):
        out.write("  attestation {} of #{} by {} ({}), key {}: {}\n".format(
            att["id"], att["seq"], att["name"], att["organisation"], (att["key_fingerprint"] or "?")[:16],
            att["detail"]))
    expected = report.get("expected_head")
    if expected:
        what = {None: "not compared (verification stopped before it)", True: "is in this chain",
                False: "is NOT this chain's"}[expected["matches"]]
        out.write("expected  {}:{} {}{}\n".format(expected["seq"], expected["hash_prefix"], what,
                                                  "; {} entries after it".format(expected["entries_after"])
                                                  if expected["entries_after"] else ""))
    if report["problems"]:
        out.write("problems:\n")
        for p in report["problems"]:
            where = "#{}".format(p["seq"]) if p["seq"] is not None else "(store)"
            out.write("  {} {}: {}\n".format(where, p["code"], p["reason"]))
    t = report.get("time")
    if t is not None:
        u = t["uncorroborated"]
        out.write("time      {} attempt{}: {} corroborated ({} by the server's clock{}, {} by seals only), "
                  "{} uncorroborated ({}), {} contradicted (FORMAT.md section 8; not part of the verdict)\n".format(
                      t["attempts"], "" if t["attempts"] == 1 else "s", t["corroborated"], t["by_server"],
                      # The Date header counts whole seconds: one more second, rounded up (section 8.5).
                      "" if t["server_offset_max_ms"] is None else
                      ", within {} s".format((t["server_offset_max_ms"] + 1999) // 1000), t["by_seals_only"],
                      sum(u.values()), ", ".join("{} {}".format(v, k) for k, v in u.items() if v) or "none",
                      t["contradicted"]))
        for p in t["problems"]:
            out.write("  #{} {}: {} (at {}, compared with {}{})\n".format(
                p["seq"], p["code"], p["reason"], p["at"] or "-", p["reference"] or "-",
                "" if p["difference_ms"] is None else ", difference {} ms".format(p["difference_ms"])))
    if not expected and verdict == "intact" and head is not None:
        out.write("note      a consistent chain can still have been rebuilt whole: compare this head with one "
                  "obtained independently (--expect-head {}:{})\n".format(head["seq"], head["hash"][:8]))


class Arguments(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("verify_reference.py: {}\n".format(message))
        sys.exit(64)


def main(argv=None):
    parser = Arguments(
        description="Independent verifier for temoin evidence stores, written from docs/FORMAT.md alone.")
    parser.add_argument("store", help="path to the store (.sqlite)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--expect-head", metavar="SEQ:HASH",
                        help="a head obtained independently (8 to 64 hex digits of its hash)")
    args = parser.parse_args(argv)

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass

    expected = None
    if args.expect_head is not None:
        expected = parse_expected_head(args.expect_head)
        if expected is None:
            parser.error("--expect-head must be SEQ:HASH, the hash 8 to 64 hexadecimal digits")

    try:
        con = open_store(args.store)
        try:
            report = verify(con, path=args.store, expected_head=expected)
        finally:
            con.close()
    except Unreadable as e:
        sys.stderr.write("unreadable: {}\n".format(terminal_safe(str(e))))
        if args.json:
            sys.stdout.write(json.dumps({"verdict": "unreadable", "store": args.store, "reason": str(e),
                                         "verifier": VERIFIER}) + "\n")
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
