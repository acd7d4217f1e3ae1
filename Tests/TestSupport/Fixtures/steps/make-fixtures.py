#!/usr/bin/env python3
"""Writes the proof files of these tests (run once; the results are committed). Standard library,
plus pdftoppm (poppler-utils) for the JPEG."""
import struct
import subprocess
import zlib

# A one-page PDF: the registered letter to the préfet, as a person would scan or print it.
text = [
    "Amina Diallo, 12 rue des Lilas, 94000 Creteil",
    "Monsieur le Prefet du Val-de-Marne",
    "Lettre recommandee avec avis de reception n. 1A01234567890",
    "Objet : demande de rendez-vous pour deposer ma demande de titre de sejour",
    "Monsieur le Prefet, depuis le 2 septembre 2026 je tente chaque jour",
    "d'obtenir un rendez-vous sur le site de la prefecture, sans succes.",
    "Je vous demande de m'accorder un rendez-vous. Amina Diallo",
]
stream = "BT /F1 11 Tf 60 780 Td 14 TL " + " ".join(f"({t}) '" for t in text) + " ET"
objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]
pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
offsets = []
for i, body in enumerate(objects, 1):
    offsets.append(len(pdf))
    pdf += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
xref = len(pdf)
pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
pdf += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
open("lettre-prefet.pdf", "wb").write(pdf)

# A PNG "photo" of La Poste's deposit receipt: grey paper with dark bars (a bar code), 240 x 120.
w, h = 240, 120
rows = b""
for y in range(h):
    row = bytearray([0])
    for x in range(w):
        bar = 40 <= y <= 80 and 20 <= x <= 220 and (x * 7 // 3) % 5 < 2
        row.append(30 if bar else 225)
    rows += bytes(row)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
open("preuve-de-depot.png", "wb").write(png)

# A JPEG of the avis de réception: the letter's PDF rendered small by poppler.
subprocess.run(["pdftoppm", "-jpeg", "-r", "24", "-singlefile", "lettre-prefet.pdf", "avis-de-reception"], check=True)

# Only the header of a HEIC photo (an ISO BMFF ftyp box, brand heic): what phones write first. temoin
# recognises formats by these bytes; no HEIC encoder is needed to test that.
ftyp = b"heic" + struct.pack(">I", 0) + b"mif1heicmiaf"
open("photo-guichet.heic", "wb").write(struct.pack(">I", 8 + len(ftyp)) + b"ftyp" + ftyp + b"\x00" * 64)

# The same letter photographed as phones save it, for the dossier's pièces: WEBP, HEIC and AVIF (cwebp,
# heif-enc from libheif-examples, avifenc from libavif-bin), from a 30 dpi rendering of the letter.
subprocess.run(["pdftoppm", "-png", "-r", "30", "-singlefile", "lettre-prefet.pdf", "/tmp/lettre-photo"], check=True)
subprocess.run(["cwebp", "-quiet", "-q", "80", "/tmp/lettre-photo.png", "-o", "photo-lettre.webp"], check=True)
subprocess.run(["heif-enc", "-q", "60", "/tmp/lettre-photo.png", "-o", "photo-lettre.heic"], check=True)
subprocess.run(["avifenc", "-s", "8", "/tmp/lettre-photo.png", "photo-lettre.avif"], check=True)

# A phone photo taken sideways: the pixels stored landscape (the letter turned a quarter left), and the
# EXIF orientation 6 that tells viewers to turn it a quarter right to read it.
rotated = pdf.replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 842] /Rotate 270")
open("/tmp/lettre-couchee.pdf", "wb").write(rotated)
subprocess.run(["pdftoppm", "-jpeg", "-r", "24", "-singlefile", "/tmp/lettre-couchee.pdf", "/tmp/lettre-couchee"],
               check=True)
jpeg = open("/tmp/lettre-couchee.jpg", "rb").read()
# TIFF header (big-endian), one IFD entry: Orientation (0x0112), SHORT, 1 value, 6.
tiff = b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x01" + b"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" + b"\x00\x00\x00\x00"
app1 = b"Exif\x00\x00" + tiff
open("avis-de-reception-couche.jpg", "wb").write(jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:])
