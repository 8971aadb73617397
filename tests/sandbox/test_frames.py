"""The supervisor's framed stream (duet_harness.frames): plain frames until the run's key
came, signed ones after, and anything else after that a forgery that nothing trusts."""

from __future__ import annotations

import json
import secrets

from sandbox.harness.duet_harness import frames

KEY = secrets.token_bytes(32)


def event(name: str) -> bytes:
    return json.dumps({"event": name}).encode()


def signed_stream() -> tuple[bytes, frames.Signer]:
    signer = frames.Signer(KEY)
    stream = frames.encode(frames.EVENT, event(frames.WAITING_EVENT))  # before the key came
    stream += signer.encode(frames.EVENT, frames.SIGNED_EVENT)
    stream += signer.encode(frames.APP_STDOUT, b"hello\n")
    return stream, signer


def test_signed_frames_decode_in_any_chunks_and_say_nothing_was_forged():
    stream, signer = signed_stream()
    stream += signer.encode(frames.EVENT, event("exited"))
    for size in (1, 3, 7, len(stream)):
        decoder = frames.Decoder(KEY)
        got = [f for at in range(0, len(stream), size) for f in decoder.feed(stream[at : at + size])]
        assert got == [
            (frames.EVENT, event("waiting")),
            (frames.EVENT, frames.SIGNED_EVENT),
            (frames.APP_STDOUT, b"hello\n"),
            (frames.EVENT, event("exited")),
        ]
        assert not decoder.forged


def test_an_unsigned_frame_after_signed_ones_is_a_forgery_and_ends_the_frames():
    stream, signer = signed_stream()
    forged = frames.encode(frames.EVENT, event("exited"))
    decoder = frames.Decoder(KEY)
    got = decoder.feed(stream + forged + signer.encode(frames.EVENT, event("exited")))
    assert decoder.forged
    assert (frames.EVENT, event("exited")) not in got  # neither the forged event nor any after it
    assert got[-1][0] == frames.APP_STDOUT  # what came after is only log text


def test_frames_signed_with_another_key_replayed_or_reordered_are_forgeries():
    stream, signer = signed_stream()
    other = frames.Signer(secrets.token_bytes(32))
    other.seq = signer.seq
    first = signer.encode(frames.EVENT, event("one"))
    second = signer.encode(frames.EVENT, event("two"))
    cases = {
        "another key": (other.encode(frames.EVENT, event("one")), []),
        "out of order": (second + first, []),
        "replayed": (first + first, [event("one")]),  # the first copy is the real one
    }
    for name, (tail, believed) in cases.items():
        decoder = frames.Decoder(KEY)
        got = decoder.feed(stream + tail)
        assert decoder.forged, name
        events = [payload for kind, payload in got if kind == frames.EVENT][2:]  # after waiting, signed
        assert events == believed, name


def test_without_a_key_plain_frames_are_read_and_a_signed_one_is_refused():
    plain = frames.encode(frames.EVENT, event("exited"))
    decoder = frames.Decoder()
    assert decoder.feed(plain) == [(frames.EVENT, event("exited"))] and not decoder.forged
    decoder = frames.Decoder()
    decoder.feed(frames.Signer(KEY).encode(frames.EVENT, event("exited")))
    assert decoder.forged
