"""The app exec's stdout, as the supervisor writes it and the runner reads it.

A sequence of frames: one byte of kind, four bytes of payload length (big-endian), the
payload. ``APP_STDOUT`` and ``APP_STDERR`` frames carry bytes the learner's app wrote,
relayed as they came; ``EVENT`` frames carry one JSON object each, written by the
supervisor alone. The app never holds this stream, so nothing it writes can become a
frame: at most it is the payload of an app frame. Imported by the runner too (stdlib
only), so both sides read one definition.

**Signed from the files on.** Under runc the app cannot even open the stream (its
supervisor is not dumpable, so /proc/<pid>/fd is closed to it); gVisor does not honour
that for /proc/<pid>/fd, so there the app could write frames of its own into it. So the
runner sends a key of the run's own with the files (``KEY_FIELD``), and from then on
the supervisor signs every frame: its kind has ``SIGNED`` added, and ``TAG_BYTES`` of
HMAC-SHA256 over its sequence number, kind and payload follow the payload. The
supervisor writes its first signed frame before any of the learner's code runs, so once
the decoder has seen one, a frame that is not signed, or signed wrongly (forged,
replayed, out of order, or made without the key, which only the supervisor's memory
holds), is a forgery: ``Decoder.forged`` says so and nothing after it is believed.
"""

from __future__ import annotations

import hashlib
import hmac
import struct

APP_STDOUT = 1
APP_STDERR = 2
EVENT = 3
KINDS = frozenset({APP_STDOUT, APP_STDERR, EVENT})
HEADER = struct.Struct(">BI")
MAX_PAYLOAD = 64 * 1024
# What each process of a warm sandbox says once its imports are done and it waits for its
# files: the app's supervisor as an EVENT frame, the test process as the first line on
# its stderr (its stdout is its report alone). The runner's pool hands out only those.
WAITING_EVENT = "waiting"
GRADER_WAITING = b"duet: the test process waits for its files\n"


SIGNED = 0x10  # added to the kind of a signed frame
TAG_BYTES = 16
KEY_FIELD = "frame_key"  # in the files' payload: the key, as hex
# The supervisor's first signed frame, written before any of the learner's code runs: the
# stream's own, not one of the run's events.
SIGNED_EVENT = b'{"event": "signed"}'


def tag(key: bytes, seq: int, kind: int, payload: bytes) -> bytes:
    return hmac.new(key, seq.to_bytes(8, "big") + bytes([kind]) + payload, hashlib.sha256).digest()[:TAG_BYTES]


def encode(kind: int, payload: bytes, *, flags: int = 0) -> bytes:
    if kind not in KINDS or len(payload) > MAX_PAYLOAD:
        raise ValueError(f"no frame of kind {kind} with {len(payload)} bytes")
    return HEADER.pack(kind | flags, len(payload)) + payload


class Signer:
    """The supervisor's side: each frame signed with the run's key, numbered from 0."""

    def __init__(self, key: bytes) -> None:
        self.key, self.seq = key, 0

    def encode(self, kind: int, payload: bytes) -> bytes:
        signed = encode(kind, payload, flags=SIGNED) + tag(self.key, self.seq, kind, payload)
        self.seq += 1
        return signed


class Decoder:
    """Frames from a byte stream fed in chunks; holds at most one frame's bytes. After
    a header it cannot read (unknown kind, oversized payload: a harness that does not
    frame, or a bug), every byte from there on is given back as APP_STDOUT, so it can
    still be shown as log text, and never as an event. With the run's ``key``, once a
    signed frame has come, a frame that is not signed by it is a forgery: ``forged`` is
    set and, as above, nothing from there on is a frame."""

    def __init__(self, key: bytes | None = None) -> None:
        self.buffer = bytearray()
        self.broken = False
        self.key = key
        self.seq = 0
        self.signing = False  # a signed frame has come: every frame must be signed now
        self.forged = False

    def _give_up(self, frames: list[tuple[int, bytes]], *, forged: bool) -> None:
        self.broken = True
        self.forged = self.forged or forged
        frames.append((APP_STDOUT, bytes(self.buffer)))
        self.buffer.clear()

    def feed(self, chunk: bytes) -> list[tuple[int, bytes]]:
        if self.broken:
            return [(APP_STDOUT, chunk)]
        self.buffer += chunk
        frames: list[tuple[int, bytes]] = []
        while len(self.buffer) >= HEADER.size:
            raw_kind, size = HEADER.unpack_from(self.buffer)
            signed = bool(raw_kind & SIGNED)
            kind = raw_kind & ~SIGNED
            if kind not in KINDS or size > MAX_PAYLOAD or raw_kind & ~(SIGNED | 0x0F):
                self._give_up(frames, forged=self.signing)
                break
            if signed != self.signing and (self.signing or self.key is None):
                # Unsigned after signed frames, or signed with no key to check it by.
                self._give_up(frames, forged=True)
                break
            end = HEADER.size + size + (TAG_BYTES if signed else 0)
            if len(self.buffer) < end:
                break
            payload = bytes(self.buffer[HEADER.size : HEADER.size + size])
            if signed:
                if not hmac.compare_digest(
                    bytes(self.buffer[end - TAG_BYTES : end]), tag(self.key, self.seq, kind, payload)
                ):
                    self._give_up(frames, forged=True)
                    break
                self.seq += 1
                self.signing = True
            frames.append((kind, payload))
            del self.buffer[:end]
        return frames
