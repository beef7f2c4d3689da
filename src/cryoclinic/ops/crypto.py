"""Backups encrypted at rest: AES-256-GCM over 1 MiB chunks, from the `cryptography` package.

The layout follows the STREAM construction (Hoang, Reyhanitabar, Rogaway and Vizár, CRYPTO 2015; the same idea as
age and Tink's streaming AEAD): a header — magic, a random 32-byte salt, a key-check value — then chunks, each a
4-byte length and an AES-GCM ciphertext with its tag. The file's key is HKDF-SHA256(BACKUP_KEY, salt), so no two
files share a key and the nonces can be counters; the nonce's last byte marks the final chunk and the header is
every chunk's associated data. A changed, reordered, dropped or appended chunk, a cut-off file or a changed header
fails authentication; a wrong key is told apart by the key-check value before any chunk is read.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CRYOCLINIC-BACKUP/2\n"
SALT_BYTES = 32
CHECK_BYTES = 16
HEADER_BYTES = len(MAGIC) + SALT_BYTES + CHECK_BYTES
CHUNK_BYTES = 1 << 20
TAG_BYTES = 16
KEY_BYTES = 32


class CryptoError(Exception):
    """The key or the file is not usable; the message says which and why."""


def new_key() -> str:
    """A fresh random key, as BACKUP_KEY takes it (32 bytes, URL-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def parse_keys(value: str) -> list[bytes]:
    """BACKUP_KEY: one key, or several comma-separated (the first encrypts, any decrypts)."""
    texts = [text.strip() for text in value.split(",") if text.strip()]
    if not texts:
        raise CryptoError(
            "BACKUP_KEY is not set: backups hold health data and are always encrypted. "
            "Make a key with `manage.py backup --new-key` and keep it apart from the backups."
        )
    keys = []
    for number, text in enumerate(texts, start=1):
        try:
            key = base64.urlsafe_b64decode(text.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            raise CryptoError(
                f"BACKUP_KEY: key {number} is not {KEY_BYTES} bytes in URL-safe base64 "
                "(make one with `manage.py backup --new-key`)."
            )
        keys.append(key)
    return keys


def _derive(key: bytes, salt: bytes) -> tuple[AESGCM, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES + CHECK_BYTES, salt=salt,
                    info=b"cryoclinic backup chunks v2").derive(key)
    return AESGCM(material[:KEY_BYTES]), material[KEY_BYTES:]


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written goes out encrypted; `finish()` writes the final chunk."""

    def __init__(self, out: BinaryIO, key: bytes) -> None:
        salt = os.urandom(SALT_BYTES)
        self._aead, check = _derive(key, salt)
        self._header = MAGIC + salt + check
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        out.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer.extend(data)
        while len(self._buffer) > CHUNK_BYTES:  # strictly more: the final chunk is never empty unless all is
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), final=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def finish(self) -> None:
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()
        self._out.flush()

    def _emit(self, plain: bytes, *, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, final), plain, self._header)
        self._out.write(len(sealed).to_bytes(4, "big") + sealed)
        self._counter += 1


def decrypted_chunks(source: BinaryIO, keys: list[bytes]) -> Iterator[bytes]:
    """The plaintext, chunk by chunk, each authenticated before it is yielded; raises CryptoError at the first
    fault. Only once the iterator is exhausted is the whole file proven (nothing cut off, nothing appended)."""
    header = source.read(HEADER_BYTES)
    if header[:2] == b"\x1f\x8b":
        raise CryptoError(
            "an unencrypted gzip file: a backup of format cryoclinic-backup/1 (release 0.2.0 or earlier) "
            "is restored with that release, then upgraded; this release reads only encrypted backups."
        )
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        raise CryptoError("not a cryoclinic backup (no encrypted-backup header).")
    salt, check = header[len(MAGIC):len(MAGIC) + SALT_BYTES], header[len(MAGIC) + SALT_BYTES:]
    aead = None
    for key in keys:
        candidate, candidate_check = _derive(key, salt)
        if hmac.compare_digest(candidate_check, check):
            aead = candidate
            break
    if aead is None:
        raise CryptoError("none of the keys in BACKUP_KEY opens this backup: it was encrypted with another key.")
    counter, offset = 0, HEADER_BYTES
    while True:
        length_bytes = source.read(4)
        if len(length_bytes) < 4:
            raise CryptoError(f"cut off after {offset} bytes: the final chunk is missing.")
        length = int.from_bytes(length_bytes, "big")
        if not TAG_BYTES <= length <= CHUNK_BYTES + TAG_BYTES:
            raise CryptoError(f"damaged at byte {offset}: chunk {counter} has an impossible length.")
        sealed = source.read(length)
        if len(sealed) < length:
            raise CryptoError(f"cut off after {offset + 4 + len(sealed)} bytes, inside chunk {counter}.")
        final = False
        try:
            plain = aead.decrypt(_nonce(counter, False), sealed, header)
        except InvalidTag:
            try:
                plain = aead.decrypt(_nonce(counter, True), sealed, header)
                final = True
            except InvalidTag:
                raise CryptoError(
                    f"damaged at byte {offset}: chunk {counter} fails authentication."
                ) from None
        offset += 4 + length
        counter += 1
        yield plain
        if final:
            if source.read(1):
                raise CryptoError(f"damaged: data follows the final chunk at byte {offset}.")
            return


class DecryptingReader:
    """A read-only file object over `decrypted_chunks`, for tarfile's stream mode."""

    def __init__(self, source: BinaryIO, keys: list[bytes]) -> None:
        self._chunks = decrypted_chunks(source, keys)
        self._buffer = b""
        self._position = 0
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) - self._position < size):
            try:
                chunk = next(self._chunks)
            except StopIteration:
                self._done = True
            else:
                self._buffer = self._buffer[self._position:] + chunk
                self._position = 0
        end = len(self._buffer) if size < 0 else self._position + size
        data = self._buffer[self._position:end]
        self._position += len(data)
        return data

    def drain(self) -> None:
        """Read to the end, so that a cut-off or appended-to file is refused even if the archive ended early."""
        while self.read(CHUNK_BYTES):
            pass
