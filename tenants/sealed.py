"""Sealed files: a stream encrypted with AES-256-GCM in chunks, for school backups.

Layout: a magic line, a JSON header line (format, chunk size, a random nonce prefix and a key check
value), then chunks, each `<4-byte length><ciphertext and tag>`. Chunk i is sealed with the nonce
prefix + i, and its associated data binds the header, i and whether it is the last chunk, so
chunks cannot be reordered, dropped, or cut short without the reader noticing:

- a wrong key fails the key check before anything is decrypted;
- a changed byte fails a chunk's tag ("corrupted");
- a file that stops before its last chunk is "incomplete".

The key is 32 random bytes, written as URL-safe base64 (`new_key()`), and comes from the
environment (SCHOOL_BACKUP_KEY), never from the archive or the command line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"SENCOHUB SEALED\n"
FORMAT = 1
CHUNK = 1024 * 1024


class SealError(ValueError):
    """The archive cannot be opened: the message says why, in words an operator can act on."""


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str | None) -> bytes:
    if not text:
        raise SealError("No backup key: set SCHOOL_BACKUP_KEY (make one with --generate-key).")
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (ValueError, TypeError) as exc:
        raise SealError("The backup key is not valid base64.") from exc
    if len(key) != 32:
        raise SealError("The backup key must be 32 bytes (44 characters of base64).")
    return key


def _key_check(key: bytes, prefix: bytes) -> str:
    return hmac.new(key, b"sencohub key check" + prefix, hashlib.sha256).hexdigest()[:32]


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">I?", index, last)


class SealedWriter(io.RawIOBase):
    """A write-only file object: what is written to it is sealed into `out`."""

    def __init__(self, out: BinaryIO, key: bytes) -> None:
        self._out = out
        self._aes = AESGCM(key)
        self._prefix = os.urandom(8)
        self._buffer = bytearray()
        self._index = 0
        header = {
            "format": FORMAT,
            "cipher": "AES-256-GCM",
            "chunk": CHUNK,
            "nonce_prefix": self._prefix.hex(),
            "key_check": _key_check(key, self._prefix),
        }
        self._header = json.dumps(header, sort_keys=True).encode() + b"\n"
        out.write(MAGIC + self._header)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._index)
        sealed = self._aes.encrypt(nonce, plain, _aad(self._header, self._index, last))
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._out.flush()
        super().close()


def _read_exact(src: BinaryIO, n: int) -> bytes:
    data = src.read(n)
    return data if data is not None else b""


def open_chunks(src: BinaryIO, key: bytes) -> Iterator[bytes]:
    """The plaintext of a sealed stream, chunk by chunk. Raises SealError on a wrong key, a
    changed byte, a truncated file, or something that is not a sealed file at all."""
    if _read_exact(src, len(MAGIC)) != MAGIC:
        raise SealError("This is not a SENCo Hub backup archive.")
    header = src.readline(4096)
    try:
        meta = json.loads(header)
    except ValueError as exc:
        raise SealError("The archive's header is damaged.") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SealError(
            f"The archive was sealed in format {meta.get('format') if isinstance(meta, dict) else '?'}"
            f", which this version (format {FORMAT}) cannot read."
        )
    try:
        prefix = bytes.fromhex(meta["nonce_prefix"])
        check = meta["key_check"]
    except (KeyError, ValueError, TypeError) as exc:
        raise SealError("The archive's header is damaged.") from exc
    if not hmac.compare_digest(check, _key_check(key, prefix)):
        raise SealError("The key does not open this archive (it was sealed with another key).")
    aes = AESGCM(key)
    index = 0
    while True:
        size = _read_exact(src, 4)
        if not size:
            raise SealError("The archive is incomplete: it ends before its last part (truncated).")
        if len(size) < 4:
            raise SealError("The archive is incomplete (truncated).")
        (length,) = struct.unpack(">I", size)
        if length > CHUNK + 64:
            raise SealError("The archive is corrupted (a part has an impossible length).")
        sealed = _read_exact(src, length)
        if len(sealed) < length:
            raise SealError("The archive is incomplete (truncated).")
        nonce = prefix + struct.pack(">I", index)
        for last in (False, True):
            try:
                plain = aes.decrypt(nonce, sealed, _aad(header, index, last))
                break
            except InvalidTag:
                continue
        else:
            raise SealError(f"The archive is corrupted (part {index + 1} fails its check).")
        yield plain
        index += 1
        if last:
            if src.read(1):
                raise SealError("The archive is corrupted (data after its last part).")
            return


class SealedReader(io.RawIOBase):
    """A read-only file object over the plaintext of a sealed stream."""

    def __init__(self, src: BinaryIO, key: bytes) -> None:
        self._chunks = open_chunks(src, key)
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer and not self._done:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                self._done = True
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n
