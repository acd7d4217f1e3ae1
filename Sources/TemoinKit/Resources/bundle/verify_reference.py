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
    head_mismatch, capture_unreferenced, capture_missing, store_corrupt,
    and for the seals and attestations of FORMAT.md section 7: seal_invalid,
    seal_mismatch, attestation_invalid, attestation_mismatch.

Times (FORMAT.md section 8) are checked against the prefecture's server clock,
the order of the chain, the case's opening and the seals; time problems are
reported under "time" and never change the verdict or the exit code.

Seals and attestations (FORMAT.md section 7) are checked for their binding
only: a seal's DER response is parsed (status, imprint, nonce, genTime) and
its head compared with the chain; an attestation's statement is parsed and its
head compared with the chain. Their signatures (CMS, Ed25519) cannot be
checked with the standard library and are NOT checked here: use
`openssl ts -verify` and `openssl pkeyutl -verify` (docs/TRUST.md).
"""

import argparse
import bisect
import hashlib
import json
import os
import sqlite3
import sys
import time
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
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as e:  # an undecodable name in SQLite's message, too
        con.close()
        if isinstance(e, sqlite3.Error):
            check_busy(e)
        raise Unreadable("SQLite cannot read the database's schema: {}".format(e))
    return con


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


def verify(con):
    now_ms = int(time.time() * 1000)  # the verifier's clock, once, when verification starts (section 8)
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
        "seals": [],
        "attestations": [],
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
                "SELECT {}, {} FROM meta NOT INDEXED".format(as_bytes("key"), as_bytes("value"))):
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
        for seq, stored_hash, body in entry_rows(con):
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

    # Section 7: seals and attestations, binding only (signatures need OpenSSL).
    try:
        check_anchors(con, store_id, problem, report)
    except sqlite3.DatabaseError as e:
        check_busy(e)
        problem(None, "store_corrupt", "reading seals or attestations failed: {}".format(e))
    check_time(con, report, now_ms)
    return finish()


# FORMAT.md section 7: the anchor tables a verifier reads, and OIDs as DER content bytes.
ANCHOR_SCHEMA = (
    ("seals", (b"id", b"seq", b"head", b"tsa_url", b"nonce", b"requested_at", b"response")),
    ("attestations", (b"id", b"statement", b"signature", b"added_at")),
)
OID_SHA256 = bytes.fromhex("608648016503040201")
OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")
OID_TSTINFO = bytes.fromhex("2a864886f70d0109100104")


def der_items(data, start=0, end=None):
    """The TLVs between start and end, as (tag, content_start, content_end). DER only (definite lengths)."""
    end = len(data) if end is None else end
    items = []
    pos = start
    while pos < end:
        tag = data[pos]
        if tag & 0x1F == 0x1F:
            raise ValueError("multi-byte tags are not used here")
        if pos + 1 >= end:
            raise ValueError("truncated")
        length = data[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            if n == 0 or n > 4 or pos + n > end:
                raise ValueError("bad length")
            length = int.from_bytes(data[pos:pos + n], "big")
            pos += n
        if pos + length > end:
            raise ValueError("truncated")
        items.append((tag, pos, pos + length))
        pos += length
    return items


def der_children(data, item, tag):
    if item[0] != tag:
        raise ValueError("expected tag 0x{:02x}, found 0x{:02x}".format(tag, item[0]))
    return der_items(data, item[1], item[2])


def parse_seal(response):
    """status, imprint algorithm OID, imprint, nonce (int or None), genTime text; raises ValueError."""
    root = der_items(response)
    if len(root) != 1:
        raise ValueError("not one DER value")
    resp = der_children(response, root[0], 0x30)
    status_info = der_children(response, resp[0], 0x30)
    if status_info[0][0] != 0x02:
        raise ValueError("no status")
    status = int.from_bytes(response[status_info[0][1]:status_info[0][2]], "big", signed=True)
    if status not in (0, 1):
        return status, None, None, None, None
    if len(resp) < 2:
        raise ValueError("granted without a token")
    content_info = der_children(response, resp[1], 0x30)
    if response[content_info[0][1]:content_info[0][2]] != OID_SIGNED_DATA:
        raise ValueError("the token is not CMS SignedData")
    signed_data = der_children(response, der_children(response, content_info[1], 0xA0)[0], 0x30)
    encap = der_children(response, signed_data[2], 0x30)
    if response[encap[0][1]:encap[0][2]] != OID_TSTINFO:
        raise ValueError("the signed content is not a TSTInfo")
    octets = der_children(response, encap[1], 0xA0)[0]
    if octets[0] != 0x04:
        raise ValueError("eContent is not an OCTET STRING")
    tst = der_children(response, der_items(response, octets[1], octets[2])[0], 0x30)
    imprint = der_children(response, tst[2], 0x30)
    algorithm = der_children(response, imprint[0], 0x30)[0]
    if imprint[1][0] != 0x04 or tst[4][0] != 0x18:
        raise ValueError("malformed TSTInfo")
    nonce = None
    for tag, a, b in tst[5:]:
        if tag == 0x02:
            nonce = int.from_bytes(response[a:b], "big", signed=True)
    gen_time = response[tst[4][1]:tst[4][2]].decode("ascii", "replace")
    return (status, response[algorithm[1]:algorithm[2]], response[imprint[1][1]:imprint[1][2]], nonce, gen_time)


def check_anchors(con, store_id, problem, report):
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    report["seals"] = []
    report["attestations"] = []
    altered = False
    for table, columns in ANCHOR_SCHEMA:
        if table.encode() in tables:
            found = tuple(row[0] for row in con.execute(
                "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,)))
            if found != columns:
                altered = True
                problem(None, "schema_altered", "table {} has columns ({}), expected ({})".format(
                    table, ", ".join(show(c) for c in found), ", ".join(show(c) for c in columns)))
    if altered:
        return

    def hash_at(seq):
        row = con.execute("SELECT {} FROM entries WHERE seq = ?".format(as_bytes("body")), (seq,)).fetchone()
        if row is None:
            return None
        return sha256_hex(ENTRY_PREFIX, row[0] if row[0] is not None else b"")

    if b"seals" in tables:
        for sid, seq, head, nonce, response in con.execute(
                "SELECT id, seq, {}, {}, {} FROM seals ORDER BY id".format(
                    as_bytes("head"), as_bytes("nonce"), as_bytes("response"))):
            if not is_int(seq):
                raise sqlite3.DatabaseError("a seals row has a seq that is not an integer")
            head = show(head) or ""
            out = {"id": sid, "seq": seq, "head": head, "binds": False, "signature_checked": False,
                   "gen_time": None, "detail": None}
            report["seals"].append(out)
            try:
                status, algorithm, imprint, token_nonce, gen_time = parse_seal(response or b"")
            except (ValueError, IndexError) as e:
                out["detail"] = "the response is not a valid time-stamp response ({})".format(e)
                problem(seq, "seal_invalid", "seal {}: {}".format(sid, out["detail"]))
                continue
            out["gen_time"] = gen_time
            try:
                expected_imprint = bytes.fromhex(head)
            except ValueError:
                expected_imprint = None
            try:
                expected_nonce = int(nonce)
            except (TypeError, ValueError):
                expected_nonce = None
            if status not in (0, 1):
                out["detail"] = "the TSA refused the request (status {})".format(status)
            elif algorithm != OID_SHA256 or imprint != expected_imprint:
                out["detail"] = "the token stamps another imprint than the head"
            elif expected_nonce is None or token_nonce != expected_nonce:
                out["detail"] = "the token's nonce is not the one stored"
            if out["detail"] is not None:
                problem(seq, "seal_invalid", "seal {}: {}".format(sid, out["detail"]))
                continue
            actual = hash_at(seq)
            if actual is None:
                out["detail"] = "the chain has no entry #{} (entries deleted after the seal)".format(seq)
            elif actual != head:
                out["detail"] = "the sealed head is not entry #{}'s hash any more (chain rewritten)".format(seq)
            if out["detail"] is not None:
                problem(seq, "seal_mismatch", "seal {}: {}".format(sid, out["detail"]))
                continue
            out["binds"] = True
            out["detail"] = "binds; signature not checked here (openssl ts -verify, docs/TRUST.md)"

    if b"attestations" in tables:
        for aid, statement in con.execute(
                "SELECT id, {} FROM attestations ORDER BY id".format(as_bytes("statement"))):
            out = {"id": aid, "seq": None, "head": None, "binds": False, "signature_checked": False,
                   "name": None, "organisation": None, "verdict": None, "detail": None}
            report["attestations"].append(out)
            try:
                obj = json.loads((statement or b"").decode("utf-8"), object_pairs_hook=first_wins,
                                 parse_constant=reject_constant)
            except (UnicodeDecodeError, ValueError, RecursionError):
                obj = None
            if (not isinstance(obj, dict) or obj.get("type") != "temoin-attestation" or obj.get("v") != 1
                    or not is_int(obj.get("seq")) or not isinstance(obj.get("head"), str)
                    or not isinstance(obj.get("store_id"), str)):
                out["detail"] = "not a temoin attestation statement"
                problem(None, "attestation_invalid", "attestation {}: {}".format(aid, out["detail"]))
                continue
            seq = int(obj["seq"])
            out.update({"seq": seq, "head": obj["head"], "name": obj.get("name"),
                        "organisation": obj.get("organisation"), "verdict": obj.get("verdict")})
            actual = hash_at(seq)
            if obj["store_id"] != store_id:
                out["detail"] = "it attests another store ({})".format(obj["store_id"])
            elif actual is None:
                out["detail"] = "the chain has no entry #{}".format(seq)
            elif actual != obj["head"]:
                out["detail"] = "the attested head is not entry #{}'s hash any more (chain rewritten)".format(seq)
            if out["detail"] is not None:
                problem(seq, "attestation_mismatch", "attestation {}: {}".format(aid, out["detail"]))
                continue
            out["binds"] = True
            out["detail"] = "binds; Ed25519 signature not checked here (openssl pkeyutl -verify, docs/TRUST.md)"


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


def utc_text(ms):
    """The section 5 form of an instant."""
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
        "answered": False, "dated": 0, "offset": None, "offset_exchange": None,
        "after_seal_present": "after_seal" in obj, "after_seal": None,
    }
    ref = obj.get("after_seal")
    if isinstance(ref, dict) and is_int(ref.get("seq")) and isinstance(ref.get("token_sha256"), str):
        f["after_seal"] = (int(ref["seq"]), ref["token_sha256"])
    exchanges = obj.get("exchanges")
    for position, e in enumerate(exchanges if isinstance(exchanges, list) else (), 1):
        if not isinstance(e, dict):
            continue
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


def seal_token(response):
    """The TimeStampToken's bytes (the second element of the TimeStampResp, as stored) and its genTime."""
    root = der_items(response)
    resp = der_items(response, root[0][1], root[0][2])
    token = response[resp[0][2]:resp[1][2]]
    return token, parse_seal(response)[4]


def check_time(con, report, now):
    """FORMAT.md section 8: every attempt's time against the server's clock, the order of the chain,
    the case's opening and the seals. Adds report["time"]; never changes the verdict."""
    if any(p["code"] in ("schema_altered", "store_corrupt") for p in report["problems"]):
        return
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
                except (ValueError, IndexError):
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
        "uncorroborated": {"declared": 0, "file_mtime": 0, "unreachable": 0, "no_server_date": 0, "unreadable": 0},
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
                why = "no_server_date" if f["answered"] else "unreachable"
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
    for w in report["withheld"]:
        out.write("  withheld {} at {} (entr{} {})\n".format(
            w["digest"], w["withheld_at"] or "(no time)", "y" if len(w["seqs"]) == 1 else "ies",
            ", ".join("#{}".format(s) for s in w["seqs"])))
    for seal in report.get("seals", []):
        out.write("  seal {} of #{} ({}): {}\n".format(
            seal["id"], seal["seq"], seal["gen_time"] or "no time", seal["detail"]))
    for att in report.get("attestations", []):
        out.write("  attestation {} of #{} by {} ({}): {}\n".format(
            att["id"], att["seq"], att["name"], att["organisation"], att["detail"]))
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
        sys.stderr.write("unreadable: {}\n".format(terminal_safe(str(e))))
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
