"""A local S3 server (moto in server mode: the real HTTP S3 API) and buckets for tests.

Import the fixtures into a test module: `from tests.s3 import s3_bucket, s3_server  # noqa: F401`.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support import free_port


@pytest.fixture(scope="session")
def s3_server():
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str, key_id: str = "testing", secret: str = "testing"):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )


@pytest.fixture
def s3_bucket(settings, s3_server):
    """A fresh bucket, and the settings that send private files to it."""
    name = f"sencohub-{uuid.uuid4().hex[:12]}"
    s3_client(s3_server).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    settings.PRIVATE_FILES_S3_BUCKET = name
    settings.PRIVATE_FILES_S3_ENDPOINT_URL = s3_server
    settings.PRIVATE_FILES_S3_REGION = "eu-west-2"
    settings.PRIVATE_FILES_S3_ACCESS_KEY_ID = "testing"
    settings.PRIVATE_FILES_S3_SECRET_ACCESS_KEY = "testing"
    settings.PRIVATE_FILES_S3_PREFIX = "private"
    return name
