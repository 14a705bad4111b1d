"""What a file really is, decided by its content, never by its name.

Accepted: PDF, Word (.docx, and legacy .doc), PNG and JPEG. A file whose content is something
else (an executable, HTML, a script, a zip that is not a Word document) is refused, whatever it
is called; so is a file whose name claims a different type from its content (report.pdf that is
really a Word document is accepted as Word and stored with the right extension and type — a
file named .pdf that is HTML is refused).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    content_type: str
    extension: str


PDF = FileKind("pdf", "PDF document", "application/pdf", "pdf")
DOCX = FileKind(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
DOC = FileKind("doc", "Word 97-2003 document", "application/msword", "doc")
PNG = FileKind("png", "PNG image", "image/png", "png")
JPEG = FileKind("jpeg", "JPEG image", "image/jpeg", "jpg")
ACCEPTED = (PDF, DOCX, DOC, PNG, JPEG)
ACCEPTED_LABEL = "PDF, Word (.docx or .doc), PNG or JPEG"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Things people disguise; named in the refusal so the user knows what the file really was.
KNOWN_BAD: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"#!", "a script"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


class RejectedFile(ValueError):
    pass


def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(
        (b"<!doctype", b"<html", b"<script", b"<?xml", b"<svg", b"<head", b"<body")
    )


# Limits on what a Word document may unpack to. A .docx is a zip archive: a few hundred KB can
# claim (or secretly hold) gigabytes. Members are read in chunks, counting the bytes really
# produced (the sizes an archive declares can lie), and reading stops at the first limit.
ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_MEMBER_BYTES = 30 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 60 * 1024 * 1024
# Word's XML packs 5-20 to 1; a bomb packs 1,000 to 1 and more. Ratios are only judged once a
# member (or the whole) unpacks to more than ZIP_RATIO_FLOOR, so tiny parts never trip it.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
ZIP_CHUNK = 64 * 1024
# An archive inside the archive is refused: its content would escape every limit above.
NESTED_ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"BZh",
    b"\xfd7zXZ",
    OLE2_MAGIC,
)


def _read_member_bounded(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int
) -> tuple[bytes, int]:
    """(the member's first 200 KB, bytes it unpacked to), streaming all of it within the
    limits; RejectedFile when it unpacks past a limit or is itself an archive."""
    member_limit = min(ZIP_MAX_MEMBER_BYTES, budget)
    head = b""
    produced = 0
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(ZIP_CHUNK)
            if not chunk:
                break
            if not produced and chunk.startswith(NESTED_ARCHIVE_MAGIC):
                raise RejectedFile(
                    "The Word document contains another archive or embedded file. Save it as a "
                    "plain document (without embedded files) and upload it again."
                )
            produced += len(chunk)
            if len(head) < 200_000:
                head += chunk[: 200_000 - len(head)]
            compressed = max(info.compress_size, 1)
            if produced > member_limit or (
                produced > ZIP_RATIO_FLOOR and produced / compressed > ZIP_MAX_RATIO
            ):
                raise RejectedFile(_BOMB_MESSAGE)
    return head, produced


_BOMB_MESSAGE = (
    "The file unpacks to far more than a Word document does (it may be a zip bomb), so it was "
    "refused."
)


def _check_archive_limits(archive: zipfile.ZipFile, compressed_total: int) -> dict[str, bytes]:
    """Stream every member within the limits; the heads of the members, by name."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise RejectedFile(_BOMB_MESSAGE)
    declared = sum(info.file_size for info in infos)
    if declared > ZIP_MAX_TOTAL_BYTES or any(
        info.file_size > ZIP_MAX_MEMBER_BYTES for info in infos
    ):
        raise RejectedFile(_BOMB_MESSAGE)
    heads: dict[str, bytes] = {}
    produced_total = 0
    for info in infos:
        if info.is_dir():
            continue
        heads[info.filename], produced = _read_member_bounded(
            archive, info, ZIP_MAX_TOTAL_BYTES - produced_total
        )
        produced_total += produced
        if produced_total > ZIP_MAX_TOTAL_BYTES or (
            produced_total > ZIP_RATIO_FLOOR
            and produced_total / max(compressed_total, 1) > ZIP_MAX_RATIO
        ):
            raise RejectedFile(_BOMB_MESSAGE)
    return heads


def _is_docx(data: bytes) -> bool:
    """True for a Word document; False for another zip; RejectedFile for a bomb or a nest."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            heads = _check_archive_limits(archive, len(data))
            # A macro-enabled document (.docm) declares a different main part; refuse it.
            types = heads.get("[Content_Types].xml", b"")
            return (
                b"macroEnabled" not in types
                and b"vbaProject" not in types
                and "word/vbaProject.bin" not in names
            )
    except RejectedFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RuntimeError, EOFError, zlib.error):
        return False


def _is_word97(data: bytes) -> bool:
    # An OLE2 compound file holds Word, Excel, PowerPoint, installers...: Word's stream is named
    # "WordDocument" (UTF-16LE in the directory).
    return "WordDocument".encode("utf-16-le") in data[:2_000_000]


def sniff(data: bytes) -> FileKind:
    """The kind of `data`, or RejectedFile with what it seems to be instead."""
    if not data:
        raise RejectedFile("The file is empty.")
    head = data[:64]
    if head.startswith(b"%PDF-"):
        # A real PDF ends with %%EOF (possibly followed by whitespace); a stub that merely starts
        # like one is not a report.
        if b"%%EOF" not in data[-2048:]:
            raise RejectedFile(
                "The file starts like a PDF but is incomplete or damaged (no end-of-file marker)."
            )
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return DOCX
        raise RejectedFile(
            f"The file is a zip archive, not a Word document. Upload a {ACCEPTED_LABEL} file."
        )
    if head.startswith(OLE2_MAGIC):
        if _is_word97(data):
            return DOC
        raise RejectedFile(
            "The file is an Office file that is not a Word document (a spreadsheet or installer?)."
        )
    for magic, what in KNOWN_BAD:
        if head.startswith(magic):
            raise RejectedFile(
                f"The file's content is {what}, whatever its name says. Upload a {ACCEPTED_LABEL} file."
            )
    if _looks_like_html(data[:512]):
        raise RejectedFile(
            f"The file's content is a web page or markup, whatever its name says. Upload a {ACCEPTED_LABEL} file."
        )
    raise RejectedFile(
        f"The file's content is not a {ACCEPTED_LABEL} file, whatever its name says."
    )
