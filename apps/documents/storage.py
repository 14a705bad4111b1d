"""Private per-school file storage.

Files live under settings.PRIVATE_FILES_ROOT/<schema_name>/<area>/<random name>, outside STATIC
and MEDIA: no URL ever maps onto this tree, so a file can only be read through a view that has
checked who is asking. Names are generated here (random, with the extension of the *sniffed*
type); the uploader's file name is kept in the database only, as text, and never touches the
filesystem. Every path is checked to stay inside the school's own folder.

Object storage: when PRIVATE_FILES_S3_BUCKET is set, the same names live in an S3-compatible
bucket instead (django-storages), under `<PRIVATE_FILES_S3_PREFIX>/<schema_name>/<name>`: one
prefix per school, server-side encryption on every object (PRIVATE_FILES_S3_SSE, AES256 by
default, or aws:kms with PRIVATE_FILES_S3_KMS_KEY_ID), no ACL ever sent (objects belong to the
bucket owner; the bucket should block public access). Downloads still go through the authorised,
audited view, which reads the object and streams it; `download_url()` makes a presigned URL of
PRIVATE_FILES_S3_URL_SECONDS (60) for a view that has already authorised and audited the request.
A store that refuses (wrong credentials, missing bucket, unreachable) raises StorageUnavailable
with a message an operator can act on.
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


class StorageUnavailable(RuntimeError):
    """The document store refused or could not be reached; nothing was stored or read."""


def uses_object_storage() -> bool:
    return bool(getattr(settings, "PRIVATE_FILES_S3_BUCKET", ""))


def _checked_key(schema_name: str, name: str) -> str:
    if not SCHEMA_RE.match(schema_name or "") or schema_name == "public":
        raise UnsafePath("Private files belong to a school schema.")
    if not NAME_RE.match(name or ""):
        raise UnsafePath("Not a stored file name.")
    return f"{schema_name}/{name}"


_s3_storages: dict[tuple, object] = {}


def _s3():
    """The django-storages S3 backend for the current settings (one per configuration)."""
    config = (
        settings.PRIVATE_FILES_S3_BUCKET,
        getattr(settings, "PRIVATE_FILES_S3_PREFIX", "private"),
        getattr(settings, "PRIVATE_FILES_S3_ENDPOINT_URL", "") or None,
        getattr(settings, "PRIVATE_FILES_S3_REGION", "") or None,
        getattr(settings, "PRIVATE_FILES_S3_ACCESS_KEY_ID", "") or None,
        getattr(settings, "PRIVATE_FILES_S3_SECRET_ACCESS_KEY", "") or None,
        getattr(settings, "PRIVATE_FILES_S3_SSE", "AES256"),
        getattr(settings, "PRIVATE_FILES_S3_KMS_KEY_ID", ""),
        int(getattr(settings, "PRIVATE_FILES_S3_URL_SECONDS", 60)),
    )
    if config not in _s3_storages:
        from botocore.config import Config
        from storages.backends.s3 import S3Storage

        bucket, prefix, endpoint, region, key_id, secret, sse, kms_key, seconds = config
        parameters = {"ServerSideEncryption": sse}
        if sse == "aws:kms" and kms_key:
            parameters["SSEKMSKeyId"] = kms_key
        _s3_storages[config] = S3Storage(
            bucket_name=bucket,
            location=prefix,
            endpoint_url=endpoint,
            region_name=region,
            access_key=key_id,
            secret_key=secret,
            default_acl=None,  # never a canned ACL: objects stay the bucket owner's alone
            object_parameters=parameters,
            querystring_auth=True,
            querystring_expire=seconds,
            file_overwrite=True,  # names are random; a restore puts a file back under its name
            client_config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2}),
        )
    return _s3_storages[config]


def _unavailable(exc: Exception) -> StorageUnavailable:
    code = ""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code", "")
    reason = {
        "InvalidAccessKeyId": "the access key is not known to the store",
        "SignatureDoesNotMatch": "the secret key is wrong",
        "AccessDenied": "the credentials may not use this bucket",
        "NoSuchBucket": "the bucket does not exist",
    }.get(code, code or type(exc).__name__)
    return StorageUnavailable(
        f"The document store refused the request ({reason}). Check the PRIVATE_FILES_S3_* "
        "settings; nothing was stored."
    )


def _s3_call(fn):
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return fn()
    except FileNotFoundError:
        raise
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404 and exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            raise FileNotFoundError("No such stored file.") from None
        raise _unavailable(exc) from None
    except BotoCoreError as exc:
        raise _unavailable(exc) from None


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
    if uses_object_storage():
        from django.core.files.base import ContentFile

        key = _checked_key(schema_name, name)
        _s3_call(lambda: _s3().save(key, ContentFile(data)))
        return
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
    if uses_object_storage():
        school_root(schema_name)  # the same check of the schema name
        store = _s3()
        prefix = f"{store.location}/{schema_name}/" if store.location else f"{schema_name}/"

        def listing() -> list[str]:
            return [
                obj.key[len(prefix) :]
                for obj in store.bucket.objects.filter(Prefix=prefix)
                if NAME_RE.match(obj.key[len(prefix) :])
            ]

        return sorted(_s3_call(listing))
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
    if uses_object_storage():
        key = _checked_key(schema_name, name)

        def fetch() -> bytes:
            with _s3().open(key, "rb") as fh:
                return fh.read()

        return _s3_call(fetch)
    return path_for(schema_name, name).read_bytes()


def delete(schema_name: str, name: str) -> None:
    if uses_object_storage():
        key = _checked_key(schema_name, name)
        _s3_call(lambda: _s3().delete(key))
        return
    path_for(schema_name, name).unlink(missing_ok=True)


def download_url(schema_name: str, name: str, filename: str) -> str | None:
    """A presigned URL valid for PRIVATE_FILES_S3_URL_SECONDS, or None with local storage. Only
    for a view that has authorised and audited this download: the URL is the permission."""
    if not uses_object_storage():
        return None
    key = _checked_key(schema_name, name)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename)[:100] or "document"
    return _s3_call(
        lambda: _s3().url(
            key, parameters={"ResponseContentDisposition": f'attachment; filename="{safe}"'}
        )
    )
