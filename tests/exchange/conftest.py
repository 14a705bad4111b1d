import pytest


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Each test stores private files in its own folder."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT
