"""The Docker runner: the only module in Duet that talks to the Docker engine.

One fresh container per run, created with every limit of the grading contract, nothing
mounted from the host, files sent over stdin, removed in every case. Inside, two
processes are started with ``exec``: the learner's app as user ``app`` and the hidden
tests as user ``grader``; they meet only over HTTP on the container's loopback. A run
of the learner's own tests (``RunRequest.targets``) starts one process instead, as
``app``: ``duet_harness.testrun``, which runs those tests against each target in turn.
This module returns raw facts (bytes, exit codes, flags); ``sandbox.grading`` judges them.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import docker
from docker.errors import DockerException, ImageNotFound, NotFound
from docker.types import LogConfig, Ulimit

from .harness.duet_harness import frames

APP_USER = "10001:10001"
GRADER_USER = "10002:10002"
IDLE_USER = "65534:65534"
APP_PORT = 8000
SANDBOX_LABEL = "duet.sandbox"
POOL_LABEL = "duet.pool"  # a warm sandbox, started ahead of its submission (WarmPool)
SIGKILL_EXIT = 137


log = logging.getLogger(__name__)


class SandboxUnavailable(Exception):
    """Docker could not run the sandbox (engine down, image missing, start failed)."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 256
    cpus: float = 1.0
    pids: int = 128
    wall_seconds: float = 10.0
    output_bytes: int = 64 * 1024
    tmpfs_mb: int = 32
    request_timeout: float = 3.0


@dataclass
class Stream:
    """Bytes read from one output stream, up to a cap; the rest is counted, not kept."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    dropped: int = 0

    def feed(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


MAX_EVENTS = 160  # a tests run of 10 targets: each announced, a few setup steps, its result
MAX_EVENT_BYTES = 16 * 1024  # an import failure's text is at most 1000 characters, JSON-escaped


@dataclass
class ExecOutcome:
    stdout: Stream
    stderr: Stream
    combined: bytearray = field(default_factory=bytearray)  # both streams, in order
    exit_code: int | None = None
    finished_at: float | None = None
    # Of the test process: when its report (one line of JSON) had come whole, which is
    # often well before Docker tells that the process ended.
    reported_at: float | None = None
    # When it said it waits for its files, imports done (frames.WAITING_EVENT and
    # frames.GRADER_WAITING): a warm sandbox is handed out only once both have.
    waiting_at: float | None = None
    last_read_at: float | None = None  # when the last bytes of either stream came
    events: list[dict] = field(default_factory=list)  # Duet's own, from the app's supervisor
    # A frame on the supervisor's stream was not signed with the run's key: something
    # the learner's code ran wrote into it (frames); no event after it was believed.
    forged: bool = False

    @property
    def is_over(self) -> bool:
        """The process ended, or (the test process) its report came whole."""
        return self.finished_at is not None or self.reported_at is not None

    def feed(self, kind: int, chunk: bytes) -> None:
        stream = self.stderr if kind == 2 else self.stdout
        kept = len(stream.data)
        stream.feed(chunk)
        self.combined += stream.data[kept:]

    def add_event(self, payload: bytes) -> None:
        if len(self.events) >= MAX_EVENTS or len(payload) > MAX_EVENT_BYTES:
            return
        try:
            event = json.loads(payload)
        except ValueError:
            return
        if isinstance(event, dict) and isinstance(event.get("event"), str):
            if event["event"] == frames.WAITING_EVENT and self.waiting_at is None:
                self.waiting_at = time.monotonic()
            self.events.append(event)
            heading = _heading(event)
            if heading:
                # The output that follows in the app's log, under a heading of its own.
                self.combined += f"--- {heading} ---\n".encode()


def _heading(event: dict) -> str | None:
    """What the log says before a setup step's output, or a target's test run's."""
    if event["event"] == "step" and isinstance(event.get("command"), str):
        return f"setup: {event['command'][:200]}"
    index = event.get("index")
    if event["event"] == "target" and isinstance(index, int) and not isinstance(index, bool) and index >= 0:
        return "your tests, run against " + (f"buggy version {index}" if index else "the correct app")
    return None


class _FramedFeed:
    """The app exec's stdout is the supervisor's framed stream (``frames``): app
    frames feed the app's stdout and stderr, event frames its list of events. Its
    stderr, which only the supervisor holds, is read as the app's stderr."""

    def __init__(self, out: ExecOutcome, key: bytes | None) -> None:
        self.out = out
        self.decoder = frames.Decoder(key)

    def __call__(self, kind: int, chunk: bytes) -> None:
        if kind != 1:
            self.out.feed(2, chunk)
            return
        for frame_kind, payload in self.decoder.feed(chunk):
            if frame_kind == frames.EVENT:
                if payload != frames.SIGNED_EVENT:  # the stream's own, not one of the run's
                    self.out.add_event(payload)
            else:
                self.out.feed(2 if frame_kind == frames.APP_STDERR else 1, payload)
        if self.decoder.forged and not self.out.forged:
            self.out.forged = True
            log.warning("a frame on a supervisor's stream was not signed with the run's key")


@dataclass
class RunOutcome:
    """What happened in the container, without judgement."""

    app: ExecOutcome
    grader: ExecOutcome
    timed_out: bool
    oom_killed: bool
    timings: dict[str, float]
    pids_limit_hits: int = 0


@dataclass(frozen=True)
class RunRequest:
    image: str
    framework: str
    entrypoint: str
    app_files: dict[str, str]
    test_files: dict[str, str]
    limits: Limits = Limits()
    setup: tuple[str, ...] = ()  # commands run in /app before the app is served (duet_harness.serve)
    name: str | None = None  # deterministic per attempt: a duplicate delivery collides
    labels: dict[str, str] = field(default_factory=dict)
    # Given, the run is of the learner's tests (``app_files``) against each of these
    # versions of the app in turn (duet_harness.testrun): no hidden tests, no grader.
    targets: tuple[dict[str, str], ...] = ()

    @property
    def wall_seconds(self) -> float:
        """The whole run's wall clock: a tests run has the limit for each target."""
        return self.limits.wall_seconds * max(1, len(self.targets))


def docker_client() -> docker.DockerClient:
    try:
        return docker.from_env(timeout=30)
    except DockerException as exc:
        raise SandboxUnavailable(f"the Docker engine is not reachable: {exc}") from exc


RUNSC_HOST_PIDS_BASE = 64
RUNSC_HOST_PIDS_EACH = 8


def sandbox_runtime() -> str:
    """The OCI runtime every sandbox container runs under: DUET_SANDBOX_RUNTIME, or ""
    for the engine's default (runc). "runsc" is gVisor, once the engine knows it
    (`make gvisor`; README)."""
    return os.environ.get("DUET_SANDBOX_RUNTIME", "").strip()


def _host_config_kwargs(limits: Limits) -> dict[str, Any]:
    tmpfs_opts = "rw,nosuid,nodev,noexec"
    runtime = sandbox_runtime()
    gvisor = runtime == "runsc"
    return dict(
        **({"runtime": runtime} if runtime else {}),
        network_mode="none",
        mem_limit=f"{limits.memory_mb}m",
        memswap_limit=f"{limits.memory_mb}m",  # equal to the memory limit: no swap
        nano_cpus=int(limits.cpus * 1e9),
        # Under gVisor the host's process limit counts the sandbox kernel's own threads
        # (about 40) and 5 or so for each process inside: reached, it kills the whole
        # sandbox, limits unnamed. There the host limit only backs up the guest's own,
        # RLIMIT_NPROC (per user, counted by gVisor's kernel for this sandbox alone; under
        # runc the host kernel would count every container's "app" user together).
        pids_limit=RUNSC_HOST_PIDS_BASE + RUNSC_HOST_PIDS_EACH * limits.pids if gvisor else limits.pids,
        read_only=True,
        tmpfs={
            "/tmp": f"{tmpfs_opts},size={limits.tmpfs_mb}m,mode=1777",
            "/app": f"{tmpfs_opts},size={limits.tmpfs_mb}m,uid=10001,gid=10001,mode=0755",
            "/grader": f"{tmpfs_opts},size=16m,uid=10002,gid=10002,mode=0700",
        },
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        ulimits=[
            Ulimit(name="core", soft=0, hard=0),
            Ulimit(name="nofile", soft=512, hard=512),
            Ulimit(name="fsize", soft=16 * 2**20, hard=16 * 2**20),
            *([Ulimit(name="nproc", soft=limits.pids, hard=limits.pids)] if gvisor else []),
        ],
        init=True,  # tini as PID 1 reaps whatever the learner's code leaves behind
        ipc_mode="private",
        log_config=LogConfig(type="json-file", config={"max-size": "64k", "max-file": "1"}),
    )


def _read_frames(sock: socket.socket, out: ExecOutcome, feed: Callable[[int, bytes], None]) -> None:
    """Demultiplex Docker's attach stream: 8-byte header (stream, size), then payload."""
    buf = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
            out.last_read_at = time.monotonic()
            while len(buf) >= 8:
                kind, size = struct.unpack(">BxxxL", buf[:8])
                if len(buf) < 8 + size:
                    break
                payload, buf = buf[8 : 8 + size], buf[8 + size :]
                feed(kind, payload)
    except OSError:
        pass
    finally:
        out.finished_at = time.monotonic()


class _Exec:
    """One process started in the container, its stdin fed once, its output read."""

    def __init__(
        self,
        client: docker.DockerClient,
        container_id: str,
        *,
        cmd: list[str],
        user: str,
        workdir: str,
        payload: dict | None,
        limit: int,
        done: threading.Event,
        framed: bool = False,
        reports: bool = False,
    ) -> None:
        api = client.api
        self.api = api
        self.exec_id = api.exec_create(
            container_id,
            cmd,
            stdin=True,
            stdout=True,
            stderr=True,
            user=user,
            workdir=workdir,
            environment={"HOME": workdir, "LANG": "C.UTF-8"},
        )["Id"]
        response_sock = api.exec_start(self.exec_id, socket=True)
        # docker-py hangs the HTTP response on this wrapper; dropping it lets the
        # response be collected, which can close the socket under us.
        self._keep_response_alive = response_sock
        self.sock: socket.socket = getattr(response_sock, "_sock", response_sock)
        self.outcome = ExecOutcome(stdout=Stream(limit), stderr=Stream(limit))
        # A framed stream is signed with a key of this run's own, sent with the files.
        self.frame_key = secrets.token_bytes(32) if framed else None
        self._feed = (
            _FramedFeed(self.outcome, self.frame_key)
            if self.frame_key
            else self._report_feed
            if reports
            else self.outcome.feed
        )
        self._done = done
        self.stopped = False
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()
        if payload is not None:
            self.send(payload)

    def send(self, payload: dict) -> None:
        """Hand the process its files (stdin, then closed): it waits for them until now.
        A supervisor gets the key its frames are signed with from here on."""
        if self.frame_key is not None:
            payload = {**payload, frames.KEY_FIELD: self.frame_key.hex()}
        self.sock.sendall(json.dumps(payload).encode("utf-8"))
        self.sock.shutdown(socket.SHUT_WR)

    def _feed_unless_stopped(self, kind: int, chunk: bytes) -> None:
        if not self.stopped:
            self._feed(kind, chunk)

    def _report_feed(self, kind: int, chunk: bytes) -> None:
        """The test process's output: its stdout is its report alone, a line of JSON that
        ends with its only newline; once that has come, the run is over."""
        self.outcome.feed(kind, chunk)
        if kind == 2 and self.outcome.waiting_at is None and frames.GRADER_WAITING in self.outcome.stderr.data:
            self.outcome.waiting_at = time.monotonic()
        stdout = self.outcome.stdout
        if kind == 1 and not stdout.dropped and stdout.data.endswith(b"\n") and self.outcome.reported_at is None:
            self.outcome.reported_at = time.monotonic()
            self._done.set()

    def _pump(self) -> None:
        _read_frames(self.sock, self.outcome, self._feed_unless_stopped)
        self._done.set()

    def collect_exit_code(self) -> None:
        try:
            info = self.api.exec_inspect(self.exec_id)
        except DockerException:
            return
        if not info.get("Running"):
            self.outcome.exit_code = info.get("ExitCode")

    def stop_reading(self) -> None:
        """Stop reading a process that still runs (its container is removed next): its
        output is what it wrote until now, and its reading thread ends."""
        self.stopped = True  # whatever still comes is not read into the outcome
        if self.outcome.finished_at is None:
            try:
                self.sock.shutdown(socket.SHUT_RD)
            except OSError:
                pass

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


@dataclass
class _Processes:
    app: _Exec
    grader: _Exec | None  # None in a run of the learner's tests
    changed: threading.Event  # set whenever either one's output stream ends

    @property
    def started(self) -> list[_Exec]:
        return [self.app, *([self.grader] if self.grader else [])]


def _no_outcome(limits: Limits) -> ExecOutcome:
    """The grader's outcome in a run that had no grader."""
    return ExecOutcome(stdout=Stream(limits.output_bytes), stderr=Stream(limits.output_bytes))


@dataclass(frozen=True)
class _PostMortem:
    oom_killed: bool
    pids_limit_hits: int
    lost_contact: bool


def run(request: RunRequest, client: docker.DockerClient | None = None) -> RunOutcome:
    """Run the learner's app and the hidden tests in one fresh container."""
    client = client or docker_client()
    warm = POOL.take(request)
    t0 = time.monotonic()
    timings: dict[str, float] = {}
    container = None
    try:
        if warm is not None:
            # Started ahead, waiting for its files: the wall clock starts as they are sent.
            container, procs = warm.container, warm.procs
            timings["warm"] = 1.0  # a flag among the timings: this run took a warm sandbox
            _name(client, container, request.name)
            _send_payloads(procs, request)
        else:
            container = _create_container(client, request, t0, timings)
            procs = _start_processes(client, container.id, request)
        timings["execs_started"] = time.monotonic() - t0
        timed_out = _wait(procs, deadline=t0 + request.wall_seconds)
        timings["finished"] = time.monotonic() - t0
        found = _post_mortem(container, procs, timed_out)
        # What a process still running wrote until now is its output; the container is
        # then killed and removed off the verdict's path (~0.1 s: the kill waits for the
        # container's processes to end), and the sweeper finds it if that fails.
        _until_quiet(procs.app)
        for proc in procs.started:
            proc.stop_reading()
        for proc in procs.started:
            proc.thread.join(timeout=2)
            proc.close()
        REMOVALS.start(container)
        container = None
        if found.lost_contact:
            # The test process always writes something before it ends; a stream that
            # closed empty while the app still ran is Docker's fault, not the learner's.
            raise SandboxUnavailable(
                f"the test process's output stream closed empty (exit status {procs.grader.outcome.exit_code})"
            )
        timings["read"] = time.monotonic() - t0
        return RunOutcome(
            app=procs.app.outcome,
            grader=procs.grader.outcome if procs.grader else _no_outcome(request.limits),
            timed_out=timed_out,
            oom_killed=found.oom_killed,
            timings={k: round(v, 3) for k, v in timings.items()},
            pids_limit_hits=found.pids_limit_hits,
        )
    finally:
        if container is not None:
            _remove(container)
        if warm is not None:
            POOL.refill()


def _create_container(
    client: docker.DockerClient,
    request: RunRequest,
    t0: float,
    timings: dict[str, float],
    *,
    idle_seconds: float | None = None,
):
    """A fresh container with every limit of the contract, idling until the processes
    are started in it (for ``idle_seconds``: by default the run's wall time and a
    margin); ``timings`` gets when it was created and started."""
    limits = request.limits
    idle = idle_seconds if idle_seconds is not None else request.wall_seconds + 30
    try:
        if request.name:
            _remove_leftover(client, request.name)
        container = client.containers.create(
            request.image,
            command=["sleep", str(int(idle))],
            name=request.name,
            user=IDLE_USER,
            hostname="sandbox",
            labels={SANDBOX_LABEL: "1", "duet.created": str(int(time.time())), **request.labels},
            environment={},
            **_host_config_kwargs(limits),
        )
        timings["created"] = time.monotonic() - t0
        try:
            container.start()
        except DockerException:
            _remove(container)
            raise
        timings["started"] = time.monotonic() - t0
    except ImageNotFound as exc:
        raise SandboxUnavailable(
            f"the sandbox image {request.image} is missing: build it with sandbox/images/build.sh"
        ) from exc
    except DockerException as exc:
        raise SandboxUnavailable(f"the sandbox container could not start: {exc}") from exc
    return container


def _name(client: docker.DockerClient, container, name: str | None) -> None:
    """Give a warm sandbox the run's name (a duplicate delivery of the same attempt then
    collides, as a cold create would), removing a leftover of that name first."""
    if not name:
        return
    try:
        _remove_leftover(client, name)
        container.rename(name)
    except DockerException as exc:
        _remove(container)
        raise SandboxUnavailable(f"the warm sandbox could not be named {name}: {exc}") from exc


@dataclass
class _Warm:
    """A container started ahead of need, its two processes waiting for their files."""

    container: Any
    procs: _Processes
    expires: float  # time.time() after which it is not handed out


class WarmPool:
    """Sandboxes started ahead of need, per image: each a fresh container with the
    limits the pool was given (the site's defaults), its app supervisor (the framework
    imported) and its test process (pytest imported) started, waiting for their files on
    stdin. ``take`` hands one to a run whose limits are those, once, and never back: a
    pool container serves one submission and is removed like any other. A run with other
    limits, or a run of the learner's tests, takes the cold path. A background thread
    keeps ``size`` ready per image, and removes those past ``max_age`` (their idle
    command would end them); ``size`` 0 turns the pool off."""

    def __init__(self) -> None:
        self.size = 0
        self.max_age = 240.0
        self.limits = Limits()
        self.lock = threading.Lock()
        self.ready: dict[tuple[str, str], list[_Warm]] = {}
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.pid = 0
        # Bumped when the pool is turned off or drained: a sandbox that was being made
        # then is removed, not added.
        self.generation = 0
        self.making = 0  # sandboxes the refill thread is making now

    def configure(self, *, size: int, max_age: float, limits: Limits) -> None:
        with self.lock:
            if (size, max_age, limits) != (self.size, self.max_age, self.limits):
                self.generation += 1
            self.size, self.max_age, self.limits = size, max_age, limits

    def keep_warm(self, image: str, framework: str) -> None:
        """Start keeping sandboxes of this image ready (a no-op when the pool is off)."""
        if self._keep((image, framework)):
            self.wake.set()

    def _keep(self, key: tuple[str, str]) -> bool:
        """Keep ``key``'s sandboxes ready from now on, the refill thread running; False
        when the pool is off."""
        with self.lock:
            if self.size <= 0:
                return False
            self.ready.setdefault(key, [])
            self._start()
        return True

    def take(self, request: RunRequest) -> _Warm | None:
        """A warm sandbox for ``request``, or None (the pool is off or empty, or the run
        is not one it serves)."""
        if self.size <= 0 or request.targets or request.limits != self.limits:
            return None
        key = (request.image, request.framework)
        self._keep(key)  # not woken here: a refill now would take the CPU from this run
        found = None
        with self.lock:
            queue = self.ready.get(key, [])
            while queue and found is None:
                warm = queue.pop(0)
                alive = all(proc.outcome.finished_at is None for proc in warm.procs.started)
                if alive and warm.expires - time.time() > request.wall_seconds + 15:
                    found = warm
                else:
                    threading.Thread(target=_remove, args=(warm.container,), daemon=True).start()
        if found is None:
            self.wake.set()  # nothing to wait for: refill now
        return found

    def refill(self) -> None:
        """Make up what a run took: called when that run is over, so that making the next
        sandbox (a container's start, two interpreters' imports) does not take the CPU
        from the run being graded."""
        if self.size > 0:
            self.wake.set()

    def drain(self) -> int:
        """Turn the pool off and remove every ready sandbox (the worker is stopping): the
        refill thread makes no more, until the pool is configured again."""
        with self.lock:
            self.size = 0
            self.generation += 1
            warm = [w for queue in self.ready.values() for w in queue]
            for queue in self.ready.values():
                queue.clear()
        for w in warm:
            _remove(w.container)
        # One being made now is removed as soon as it is made: wait for that, or a
        # process that stops right after this would leave it to the sweeper.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with self.lock:
                if self.making == 0:
                    break
            time.sleep(0.05)
        return len(warm)

    def _start(self) -> None:
        if self.thread is not None and self.pid != os.getpid():
            # A forked process: the sandboxes listed are its parent's, and the thread is not
            # inherited. It keeps its own.
            self.ready = {key: [] for key in self.ready}
            self.making = 0
            self.thread = None
        if self.thread is None or not self.thread.is_alive():
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._fill, name="duet-warm-pool", daemon=True)
            self.thread.start()

    def _fill(self) -> None:
        client: docker.DockerClient | None = None
        while True:
            self.wake.wait(timeout=5)
            self.wake.clear()
            try:
                client = client or docker_client()
                self._refill(client)
            except Exception as exc:  # the pool is an optimisation: a cold run still works
                log.warning("warm sandbox pool: %s", exc)
                client = None
                time.sleep(5)

    def _refill(self, client: docker.DockerClient) -> None:
        now = time.time()
        with self.lock:
            size, limits, max_age, generation = self.size, self.limits, self.max_age, self.generation
            expired = []
            for queue in self.ready.values():
                expired += [w for w in queue if w.expires - now < limits.wall_seconds + 15]
                queue[:] = [w for w in queue if w not in expired]
            wanted = [key for key, queue in self.ready.items() for _ in range(size - len(queue))]
        for warm in expired:
            _remove(warm.container)
        for image, framework in wanted:
            with self.lock:
                if self.generation != generation:
                    return  # turned off or drained meanwhile
                self.making += 1
            try:
                warm = self._make(client, image, framework, limits, max_age)
                with self.lock:
                    keep = self.generation == generation
                    if keep:
                        self.ready.setdefault((image, framework), []).append(warm)
                if keep:
                    log.info("warm sandbox ready: %s (%s)", warm.container.name, framework)
                else:
                    _remove(warm.container)
            finally:
                with self.lock:
                    self.making -= 1

    def _make(self, client: docker.DockerClient, image: str, framework: str, limits: Limits, max_age: float) -> _Warm:
        created = time.time()
        expires = created + max_age
        request = RunRequest(
            image=image,
            framework=framework,
            entrypoint="",
            app_files={},
            test_files={},
            limits=limits,
            name=f"duet-warm-{uuid.uuid4().hex[:12]}",
            labels={POOL_LABEL: "1", "duet.expires": str(int(expires))},
        )
        # It idles its whole age, then a run's wall time and a margin.
        container = _create_container(client, request, 0.0, {}, idle_seconds=max_age + limits.wall_seconds + 60)
        try:
            procs = _open_processes(client, container.id, framework, limits)
            _until_waiting(procs)
        except SandboxUnavailable:
            _remove(container)
            raise
        return _Warm(container=container, procs=procs, expires=expires)


WARM_START_SECONDS = 30.0  # for a warm sandbox's processes to import what they preload


def _until_waiting(procs: _Processes) -> None:
    """Return once both processes say they wait for their files; a sandbox handed out
    before that would start its run's clock while its interpreters still import."""
    deadline = time.monotonic() + WARM_START_SECONDS
    while time.monotonic() < deadline:
        if all(proc.outcome.waiting_at is not None for proc in procs.started):
            return
        if any(proc.outcome.finished_at is not None for proc in procs.started):
            raise SandboxUnavailable("a warm sandbox's process ended before it was used")
        procs.changed.wait(timeout=0.02)
    raise SandboxUnavailable(f"a warm sandbox's processes were not ready in {WARM_START_SECONDS:.0f} s")


POOL = WarmPool()


def _remove_leftover(client: docker.DockerClient, name: str) -> None:
    """A container of this name left by an earlier try whose removal failed (a retry
    after an outage reuses the attempt's name): remove it, or the create would collide.
    Only a sandbox container is touched; two live runs never share a name, because the
    row's claim lets one worker at a time run an attempt."""
    try:
        leftover = client.containers.get(name)
    except NotFound:
        return
    if leftover.labels.get(SANDBOX_LABEL) == "1":
        _remove(leftover)


def _start_processes(client: docker.DockerClient, container_id: str, request: RunRequest) -> _Processes:
    """The learner's app (as ``app``, behind its supervisor) and the hidden tests (as
    ``grader``), each fed its files on stdin; or, for a tests run, the learner's tests
    behind the same supervisor."""
    if request.targets:
        return _start_tests_run(client, container_id, request)
    procs = _open_processes(client, container_id, request.framework, request.limits)
    _send_payloads(procs, request)
    return procs


def _app_exec(
    client: docker.DockerClient,
    container_id: str,
    cmd: list[str],
    limits: Limits,
    changed: threading.Event,
    payload: dict | None = None,
) -> _Exec:
    """A supervisor of the harness, as ``app`` in /app, its stdout the framed stream."""
    return _Exec(
        client,
        container_id,
        user=APP_USER,
        workdir="/app",
        limit=limits.output_bytes,
        cmd=cmd,
        payload=payload,
        done=changed,
        framed=True,
    )


def _open_processes(client: docker.DockerClient, container_id: str, framework: str, limits: Limits) -> _Processes:
    """The app's supervisor and the test process, started and waiting for their files
    (``_send_payloads``): at once for a cold run, ahead of need for a warm sandbox."""
    changed = threading.Event()
    try:
        app = _app_exec(
            client,
            container_id,
            _supervisor_cmd("duet_harness.serve", framework, "--port", str(APP_PORT)),
            limits,
            changed,
        )
        grader = _Exec(
            client,
            container_id,
            user=GRADER_USER,
            workdir="/grader",
            limit=4 * limits.output_bytes,  # a larger report is dropped whole (grading._grader_report)
            cmd=["python", "-I", "-u", "-m", "duet_harness.grade"],
            payload=None,
            done=changed,
            reports=True,
        )
    except (DockerException, OSError) as exc:
        raise SandboxUnavailable(f"the sandbox processes could not start: {exc}") from exc
    return _Processes(app=app, grader=grader, changed=changed)


def _send_payloads(procs: _Processes, request: RunRequest) -> None:
    limits = request.limits
    try:
        procs.app.send({"files": request.app_files, "setup": list(request.setup), "entrypoint": request.entrypoint})
        assert procs.grader is not None
        procs.grader.send(
            {
                "files": request.test_files,
                "report_bytes": 4 * limits.output_bytes,  # so the report fits: its transcripts are cut first
                "port": APP_PORT,
                "ready_timeout": max(1.0, limits.wall_seconds - 1.0),
                "request_timeout": limits.request_timeout,
            }
        )
    except OSError as exc:
        raise SandboxUnavailable(f"the sandbox processes could not be given their files: {exc}") from exc


def _supervisor_cmd(module: str, framework: str, *more: str) -> list[str]:
    """The app side's command: a supervisor of the harness, told the framework
    (``duet_harness.serve`` serves the app and takes the entrypoint with its files;
    ``duet_harness.testrun`` runs the learner's tests)."""
    return ["python", "-I", "-u", "-m", module, "--framework", framework, *more]


def _start_tests_run(client: docker.DockerClient, container_id: str, request: RunRequest) -> _Processes:
    """The learner's tests (``app_files``) run against each target in turn, as ``app``,
    by the supervisor whose events alone say how each run ended."""
    limits = request.limits
    # Each target's own clock, a little under its share of the run's: the supervisor
    # also empties /app, writes the files and stops what a run left, between targets.
    target_seconds = max(limits.wall_seconds / 2, limits.wall_seconds - 1.0)
    changed = threading.Event()
    try:
        app = _app_exec(
            client,
            container_id,
            _supervisor_cmd(
                "duet_harness.testrun",
                request.framework,
                "--entrypoint",
                request.entrypoint,
                "--target-seconds",
                f"{target_seconds:g}",
            ),
            limits,
            changed,
            payload={"targets": list(request.targets), "files": request.app_files, "setup": list(request.setup)},
        )
    except (DockerException, OSError) as exc:
        raise SandboxUnavailable(f"the sandbox processes could not start: {exc}") from exc
    return _Processes(app=app, grader=None, changed=changed)


def _wait(procs: _Processes, *, deadline: float) -> bool:
    """Wait for the tests to finish, the app to die, or the wall clock to run out
    (True): our own timer, since Docker's wait/log calls can hang (docker-py #2964, #3084).
    A tests run is over when its one process is."""
    while True:
        if procs.grader is not None and procs.grader.outcome.is_over:
            return False
        if procs.app.outcome.finished_at is not None:
            if procs.grader is not None:
                # The app died: give the tests a moment to notice and report, then stop.
                procs.grader.thread.join(timeout=0.5)
            return False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return True
        procs.changed.wait(timeout=min(remaining, 0.5))
        procs.changed.clear()


# The app's output comes through its supervisor's relay, a step longer than the test
# process's report: what it wrote while answering the last request (a traceback, say) may
# still be on its way when the report has come. Read on until it has been quiet this long.
QUIET_SECONDS = 0.02
QUIET_AT_MOST_SECONDS = 0.3


def _until_quiet(proc: _Exec) -> None:
    """Read on until the app's stream has been quiet for QUIET_SECONDS from now (or has
    ended), QUIET_AT_MOST_SECONDS at most."""
    started = time.monotonic()
    deadline = started + QUIET_AT_MOST_SECONDS
    while proc.outcome.finished_at is None:
        now = time.monotonic()
        wait = max(proc.outcome.last_read_at or 0.0, started) + QUIET_SECONDS - now
        if wait <= 0 or now >= deadline:
            return
        time.sleep(min(wait, deadline - now))


def _post_mortem(container, procs: _Processes, timed_out: bool) -> _PostMortem:
    """What the engine and the kernel saw: exit codes, OOM kills, refused forks, and
    whether the test process's stream was lost while the app still ran."""
    for proc in procs.started:
        if proc.outcome.reported_at is None:  # a test process that reported may still be ending
            proc.collect_exit_code()
    app = procs.app.outcome
    if procs.grader is None:
        return _tests_run_post_mortem(container, app)
    grader = procs.grader.outcome
    oom_killed = False
    grader_killed = grader.reported_at is None and grader.exit_code in (None, SIGKILL_EXIT)
    if app.exit_code == SIGKILL_EXIT or grader_killed or _sandbox_may_have_died(app, grader):
        # Docker flags OOM only for the main process; ask the container's cgroup.
        oom_killed = _oom_kills(container) > 0
    pids_limit_hits = _pids_limit_hits(container.id)
    lost_contact = (
        not timed_out
        and not oom_killed
        and grader.finished_at is not None
        and bytes(grader.combined) in (b"", frames.GRADER_WAITING)  # nothing but its waiting line
        and grader.exit_code != SIGKILL_EXIT
        and app.finished_at is None
        # A fork bomb can leave no room for the test process: that is the app's doing.
        and not pids_limit_hits
    )
    return _PostMortem(oom_killed=oom_killed, pids_limit_hits=pids_limit_hits, lost_contact=lost_contact)


def _sandbox_may_have_died(app: ExecOutcome, grader: ExecOutcome | None) -> bool:
    """Under gVisor the host stops the whole sandbox at its memory limit (its kernel's
    memory is the container's): the processes end with the runtime's own exit status, not
    SIGKILL's. So there any process that ended badly, or a report that never came, asks
    Docker whether the OOM killer struck."""
    if sandbox_runtime() != "runsc":
        return False
    return app.exit_code not in (None, 0) or (grader is not None and grader.reported_at is None)


def _tests_run_post_mortem(container, app: ExecOutcome) -> _PostMortem:
    """The same for a tests run, which has no grader to lose: the cgroup is asked about
    OOM kills only when the supervisor died, or a test run ended by SIGKILL that its
    own clock did not send (``target_done`` counts each target's kills too)."""
    killed = any(
        event.get("event") == "target_done" and event.get("signal") == 9 and not event.get("timed_out")
        for event in app.events
    )
    oom_killed = (app.exit_code in (None, SIGKILL_EXIT) or killed or _sandbox_may_have_died(app, None)) and (
        _oom_kills(container) > 0
    )
    return _PostMortem(oom_killed=oom_killed, pids_limit_hits=_pids_limit_hits(container.id), lost_contact=False)


def _pids_limit_hits(container_id: str) -> int:
    """How often the container's process limit refused a fork, read from the host's
    cgroup files when the engine is local (a fork bomb leaves no room for an exec).
    0 when they cannot be read, for example with a remote engine."""
    for path in (
        f"/sys/fs/cgroup/pids/docker/{container_id}/pids.events",  # v1, cgroupfs driver
        f"/sys/fs/cgroup/docker/{container_id}/pids.events",  # v2, cgroupfs driver
        f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope/pids.events",  # v2, systemd
    ):
        try:
            with open(path) as events:
                for line in events:
                    name, _, value = line.partition(" ")
                    if name == "max":
                        return int(value)
        except (OSError, ValueError):
            continue
    return 0


def _oom_kills(container) -> int:
    """How often the OOM killer struck in the container's memory cgroup (v1 or v2)."""
    try:
        _, output = container.exec_run(
            ["cat", "/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"],
            user=IDLE_USER,
            stdout=True,
            stderr=False,
        )
    except DockerException:
        output = b""
    for line in (output or b"").decode(errors="replace").splitlines():
        key, _, value = line.partition(" ")
        if key == "oom_kill" and value.strip().isdigit():
            return int(value)
    # No counter to read: the container has no cgroup files of its own (gVisor), or it is
    # gone whole (under gVisor the host kills the sandbox at the memory limit). Docker
    # says whether the kernel's OOM killer ended it.
    try:
        container.reload()
    except DockerException:
        return 0
    return 1 if container.attrs.get("State", {}).get("OOMKilled") else 0


def _remove(container) -> None:
    try:
        container.remove(force=True, v=True)
    except NotFound:
        pass
    except DockerException:
        # Left for the sweeper, which finds sandbox containers by label.
        pass


class _Removals:
    """Containers of finished runs, each killed and removed by a thread of its own once
    the run's outcome is read, so that a verdict never waits for Docker's kill. ``wait``
    lets a stopping worker (and a test that counts containers) see them gone."""

    def __init__(self) -> None:
        self.pending = 0
        self.cond = threading.Condition()

    def start(self, container) -> None:
        with self.cond:
            self.pending += 1
        try:
            # Not a daemon: a process that ends (check_course, the grade command) waits for it.
            threading.Thread(target=self._remove, args=(container,), name="duet-remove").start()
        except RuntimeError:  # no thread to be had: remove it here
            self._remove(container)

    def _remove(self, container) -> None:
        try:
            _remove(container)
        except Exception as exc:  # the engine unreachable (not a DockerException): the sweeper's
            log.warning("could not remove sandbox container %s (%s): left to the sweeper", container.id[:12], exc)
        finally:
            with self.cond:
                self.pending -= 1
                self.cond.notify_all()

    def wait(self, timeout: float = 30.0) -> bool:
        """True once every removal started has ended (False: ``timeout`` passed first)."""
        with self.cond:
            return self.cond.wait_for(lambda: self.pending == 0, timeout)


REMOVALS = _Removals()


def remove_stale_containers(client: docker.DockerClient | None = None, older_than: float = 0) -> int:
    """Remove sandbox containers created more than ``older_than`` seconds ago; a warm
    sandbox waiting in a pool once it has expired (``duet.expires``), or, when
    ``older_than`` is 0, at once."""
    client = client or docker_client()
    now = time.time()
    removed = 0
    for container in client.containers.list(all=True, filters={"label": SANDBOX_LABEL}):
        created = float(container.labels.get("duet.created", "0"))
        expires = container.labels.get("duet.expires")
        if container.labels.get(POOL_LABEL) == "1" and expires and older_than > 0:
            stale = now >= float(expires) + 60  # past its age, and a run's time after it
        else:
            stale = now - created >= older_than
        if stale:
            _remove(container)
            removed += 1
    return removed
