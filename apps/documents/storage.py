"""Private per-school file storage.

Files live under settings.PRIVATE_FILES_ROOT/<schema_name>/<area>/<random name>, outside STATIC
and MEDIA: no URL ever maps onto this tree, so a file can only be read through a view that has
checked who is asking. Names are generated here (random, with the extension of the *sniffed*
type); the uploader's file name is kept in the database only, as text, and never touches the
filesystem. Every path is checked to stay inside the school's own folder.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

SCHEMA_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
NAME_RE = re.compile(r"^[a-z]+/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]{2,4}$")


class UnsafePath(ValueError):
    pass


def school_root(schema_name: str) -> Path:
    if not SCHEMA_RE.match(schema_name or "") or schema_name == "public":
        raise UnsafePath("Private files belong to a school schema.")
    return Path(settings.PRIVATE_FILES_ROOT).resolve() / schema_name


def path_for(schema_name: str, name: str) -> Path:
    """The file's path, refusing anything that is not a name this module generated or that
    would resolve outside the school's folder (../, absolute paths, symlinks)."""
    if not NAME_RE.match(name or ""):
        raise UnsafePath("Not a stored file name.")
    root = school_root(schema_name)
    path = (root / name).resolve()
    if root not in path.parents:
        raise UnsafePath("The path leaves the school's folder.")
    return path


def save(schema_name: str, area: str, data: bytes, extension: str) -> str:
    if not re.match(r"^[a-z]+$", area) or not re.match(r"^[a-z]{2,4}$", extension):
        raise UnsafePath("Bad area or extension.")
    token = uuid.uuid4().hex
    name = f"{area}/{token[:2]}/{token}.{extension}"
    write(schema_name, name, data)
    return name


def write(schema_name: str, name: str, data: bytes) -> None:
    """Store `data` under a name this module generated earlier (a restore puts files back under
    their own names)."""
    path = path_for(schema_name, name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def names(schema_name: str) -> list[str]:
    """Every file stored for the school (for backups and exports), sorted."""
    root = school_root(schema_name)
    if not root.is_dir():
        return []
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            name = path.relative_to(root).as_posix()
            if NAME_RE.match(name):
                found.append(name)
    return sorted(found)


def read(schema_name: str, name: str) -> bytes:
    return path_for(schema_name, name).read_bytes()


def delete(schema_name: str, name: str) -> None:
    path_for(schema_name, name).unlink(missing_ok=True)
