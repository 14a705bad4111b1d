"""Type by content, never by name; private storage that cannot be walked out of."""

from __future__ import annotations

import pytest

from apps.documents import storage
from apps.documents.sniff import RejectedFile, sniff

from . import files


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (files.PDF, "pdf"),
        (files.PNG, "png"),
        (files.JPEG, "jpeg"),
        (files.DOCX, "docx"),
        (files.DOC, "doc"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(data, kind):
    assert sniff(data).key == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.EXE, "a Windows program"),
        (files.HTML, "web page or markup"),
        (files.SVG, "web page or markup"),
        (files.PLAIN_ZIP, "zip archive, not a Word document"),
        (files.DOCM, "zip archive, not a Word document"),
        (files.XLS, "not a Word document"),
        (b"%PDF-1.4 truncated", "incomplete or damaged"),
        (b"just some text", "is not a PDF, Word"),
        (b"", "empty"),
    ],
)
def test_disguised_or_unknown_content_is_refused(data, message):
    with pytest.raises(RejectedFile, match=message):
        sniff(data)


def test_files_are_saved_inside_the_schools_own_private_folder(settings, private_files):
    name = storage.save("alpha", "documents", b"data", "pdf")
    path = storage.path_for("alpha", name)
    assert path.parent.parent.parent == (private_files / "alpha").resolve()
    assert path.read_bytes() == b"data"
    assert oct(path.stat().st_mode)[-3:] == "600"
    assert "static" not in str(path) and "media" not in str(path)


@pytest.mark.parametrize(
    "name",
    [
        "../beta/documents/ab/" + "a" * 32 + ".pdf",
        "documents/../../beta/x.pdf",
        "/etc/passwd",
        "documents/ab/" + "a" * 32 + ".pdf/../../../../etc/passwd",
        "documents/ab/..%2f..%2fetc.pdf",
        "",
    ],
)
def test_stored_names_cannot_leave_the_school_folder(name):
    with pytest.raises(storage.UnsafePath):
        storage.path_for("alpha", name)


@pytest.mark.parametrize("schema", ["public", "../alpha", "alpha/../beta", "", "Alpha"])
def test_only_school_schemas_have_a_folder(schema):
    with pytest.raises(storage.UnsafePath):
        storage.school_root(schema)


def test_a_symlink_out_of_the_folder_is_refused(private_files, tmp_path):
    name = storage.save("alpha", "documents", b"x", "pdf")
    path = storage.path_for("alpha", name)
    secret = tmp_path / "secret.txt"
    secret.write_text("other school's file")
    path.unlink()
    path.symlink_to(secret)
    with pytest.raises(storage.UnsafePath):
        storage.path_for("alpha", name)


def test_demo_reports_are_real_pdfs():
    from apps.documents.demo import simple_pdf

    data = simple_pdf(
        ["Speech and language therapy report (synthetic demo document)", "Pupil: (brackets) \\ ok"]
    )
    assert sniff(data).key == "pdf"
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[start:].startswith(b"xref")
