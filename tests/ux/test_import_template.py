"""The CSV import template is a file the import accepts as it is (its example UPN once had a
wrong check letter)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.gb import upn

from apps.exchange.mis_csv import COLUMNS
from apps.exchange.models import ImportBatch
from apps.pupils.models import Pupil
from tests.support import in_school


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


def test_template_example_upn_is_valid():
    example = next(c.example for c in COLUMNS if c.key == "upn")
    assert upn.is_valid(example)


def test_downloaded_template_imports_as_it_is(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    template = client.get("/imports/template.csv").content
    uploaded = client.post(
        "/imports/", {"file": SimpleUploadedFile("senco-hub-pupil-import-template.csv", template)}
    )
    assert uploaded.status_code == 302
    with in_school(school_a):
        batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.report
    done = client.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert b"Imported: 1 pupil" in done.content
    with in_school(school_a):
        pupil = Pupil.objects.get()
    assert (pupil.first_name, pupil.sen_provision, pupil.primary_need) == ("Aaliyah", "K", "SLCN")
