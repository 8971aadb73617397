"""The app exec's stdout, as the supervisor writes it and the runner reads it.

A sequence of frames: one byte of kind, four bytes of payload length (big-endian), the
payload. ``APP_STDOUT`` and ``APP_STDERR`` frames carry bytes the learner's app wrote,
relayed as they came; ``EVENT`` frames carry one JSON object each, written by the
supervisor alone. The app never holds this stream, so nothing it writes can become a
frame: at most it is the payload of an app frame. Imported by the runner too (stdlib
only), so both sides read one definition.
"""

from __future__ import annotations

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


def encode(kind: int, payload: bytes) -> bytes:
    if kind not in KINDS or len(payload) > MAX_PAYLOAD:
        raise ValueError(f"no frame of kind {kind} with {len(payload)} bytes")
    return HEADER.pack(kind, len(payload)) + payload


class Decoder:
    """Frames from a byte stream fed in chunks; holds at most one frame's bytes. After
    a header it cannot read (unknown kind, oversized payload: a harness that does not
    frame, or a bug), every byte from there on is given back as APP_STDOUT, so it can
    still be shown as log text, and never as an event."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.broken = False

    def feed(self, chunk: bytes) -> list[tuple[int, bytes]]:
        if self.broken:
            return [(APP_STDOUT, chunk)]
        self.buffer += chunk
        frames = []
        while len(self.buffer) >= HEADER.size:
            kind, size = HEADER.unpack_from(self.buffer)
            if kind not in KINDS or size > MAX_PAYLOAD:
                self.broken = True
                frames.append((APP_STDOUT, bytes(self.buffer)))
                self.buffer.clear()
                break
            end = HEADER.size + size
            if len(self.buffer) < end:
                break
            frames.append((kind, bytes(self.buffer[HEADER.size : end])))
            del self.buffer[:end]
        return frames
