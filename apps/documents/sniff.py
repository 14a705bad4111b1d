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


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            # A macro-enabled document (.docm) declares a different main part; refuse it.
            types = archive.read("[Content_Types].xml")[:200_000]
            return (
                b"macroEnabled" not in types
                and b"vbaProject" not in types
                and "word/vbaProject.bin" not in names
            )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RuntimeError):
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
