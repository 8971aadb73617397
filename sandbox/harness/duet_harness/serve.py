"""Serve the learner's app over HTTP on 127.0.0.1 (runs as the ``app`` user).

Two processes. This one, the supervisor, writes the learner's files, forks the app
process (``duet_harness.load``) and alone writes this exec's stdout, as frames
(``duet_harness.frames``): what the app writes on its stdout and stderr is relayed
in app frames, and Duet's own events (started, loaded, import_failed, exited...) go in
event frames. The app process holds no descriptor of that stream, cannot open it
through /proc (the supervisor is not dumpable) and cannot signal, limit or reschedule
the supervisor (a seccomp filter, ``duet_harness.guard``). What the app process tells
the supervisor on its facts pipe is the app's own account: checked for shape here and
quoted as the app's by the judge, never taken as Duet speaking.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import select
import shlex
import signal
import sys
import time
from pathlib import Path

from . import frames, guard
from .payload import read_payload, write_files

APP_ROOT = Path(os.environ.get("DUET_APP_ROOT", "/app"))  # moved only by the bare benchmark
FACT_BYTES = 8192  # the app process's one fact; more is not listened to
DRAIN_BYTES = 1 << 20  # read after the app exited, from a stream a grandchild may still feed
TAIL_BYTES = 600  # of a failed setup step's output, quoted in its event

_DOTTED_NAME = re.compile(r"[A-Za-z_]\w{0,99}(\.[A-Za-z_]\w{0,99}){0,9}\Z", re.ASCII)
_FILE_NAME = re.compile(r"\w[\w.-]{0,99}\Z")
ENTRYPOINT_PROBLEMS = frozenset({"missing", "returned_none", "not_callable"})


class Out:
    """This exec's stdout, written in frames: signed ones once ``sign_with`` was given
    the run's key (``frames``), which must happen before any of the learner's code runs."""

    def __init__(self, fd: int = 1) -> None:
        self.fd = fd
        self.signer: frames.Signer | None = None

    def sign_with(self, payload: dict) -> None:
        """Take the run's key out of the files' payload (if the runner sent one) and sign
        from now on, starting with a frame of our own before the learner's code runs."""
        key = payload.pop(frames.KEY_FIELD, None)
        if key is None:
            return
        self.signer = frames.Signer(bytes.fromhex(str(key)))
        self.frame(frames.EVENT, frames.SIGNED_EVENT)

    def frame(self, kind: int, payload: bytes) -> None:
        encoded = self.signer.encode(kind, payload) if self.signer else frames.encode(kind, payload)
        data = memoryview(encoded)
        while data:
            data = data[os.write(self.fd, data) :]

    def event(self, event: str, **facts) -> None:
        self.frame(frames.EVENT, json.dumps({"event": event, **facts}).encode("utf-8"))


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def event_for(fact: object, entrypoint: str) -> dict | None:
    """The event a fact from the app process becomes, or None if it is not one of the
    shapes the app process sends: a fact that does not fit is dropped whole."""
    if not isinstance(fact, dict):
        return None
    kind = fact.get("fact")
    if kind == "loaded":
        seconds = fact.get("seconds")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool) and 0 <= seconds < 3600:
            return {"event": "loaded", "seconds": round(float(seconds), 3)}
    elif kind == "import_failed":
        type_, file, line, text, code = (fact.get(k) for k in ("type", "file", "line", "text", "errno"))
        if (
            isinstance(type_, str)
            and _DOTTED_NAME.match(type_)
            and (file is None or (isinstance(file, str) and _FILE_NAME.match(file) and file not in {".", ".."}))
            and (line is None or _whole(line, 0, 10**7))
            and isinstance(text, str)
            and (code is None or _whole(code, 0, 4095))
        ):
            return {
                "event": "import_failed",
                "type": type_,
                "file": file,
                "line": line,
                "text": text[:1000],
                "errno": code,
            }
    elif kind == "entrypoint_problem":
        problem, got = fact.get("problem"), fact.get("got")
        if problem in ENTRYPOINT_PROBLEMS and (got is None or (isinstance(got, str) and _DOTTED_NAME.match(got))):
            return {"event": "entrypoint_problem", "entrypoint": entrypoint, "problem": problem, "got": got}
    return None


class Facts:
    """The app process's facts pipe: one JSON line, read once."""

    def __init__(self, fd: int, out: Out, entrypoint: str) -> None:
        self.fd, self.out, self.entrypoint = fd, out, entrypoint
        self.buffer = b""
        self.open = True

    def read(self) -> None:
        chunk = os.read(self.fd, FACT_BYTES)
        self.buffer += chunk
        if chunk and b"\n" not in self.buffer and len(self.buffer) < FACT_BYTES:
            return
        self.close()
        try:
            fact = json.loads(self.buffer.split(b"\n", 1)[0])
        except ValueError:
            return
        event = event_for(fact, self.entrypoint)
        if event is not None:
            self.out.event(**event)

    def close(self) -> None:
        if self.open:
            os.close(self.fd)
            self.open = False


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # an old kernel, or a sandbox runtime without it
        return None


def _reaped(pid: int) -> int | None:
    done, status = os.waitpid(pid, os.WNOHANG)
    return status if done == pid else None


class Deadline:
    """When a step must be over (a ``time.monotonic()`` value): past it, ``supervise``
    kills the step and marks the deadline ``passed``."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.passed = False

    def wait_ms(self, longest: int | None) -> int:
        """How long to wait for output before looking at the clock again."""
        left = max(0, int((self.at - time.monotonic()) * 1000) + 1)
        return left if longest is None else min(left, longest)


def supervise(
    pid: int, out: Out, streams: dict[int, int], facts: Facts | None, deadline: Deadline | None = None
) -> int:
    """Relay the app process's output until it exits; its wait status. Reads a chunk
    and writes it before reading more, so a flood is slowed, never buffered here. A
    setup step has no facts pipe: nothing it says is taken as a fact. Past ``deadline``
    the process is killed (what it started is its caller's to stop)."""
    pidfd = _pidfd(pid)
    poller = select.poll()
    for fd in [*streams, *([facts.fd] if facts else []), *([pidfd] if pidfd is not None else [])]:
        poller.register(fd, select.POLLIN)
    live = dict(streams)
    status = None
    while status is None:
        wait = None if pidfd is not None else 100
        if deadline is not None and not deadline.passed:
            if time.monotonic() >= deadline.at:
                deadline.passed = True
                os.kill(pid, signal.SIGKILL)  # our own unreaped child: the pid is still its
            else:
                wait = deadline.wait_ms(wait)
        for fd, _ in poller.poll(wait):
            if facts is not None and fd == facts.fd and facts.open:
                facts.read()
                if not facts.open:
                    poller.unregister(fd)
            elif fd in live:
                chunk = os.read(fd, frames.MAX_PAYLOAD)
                if chunk:
                    out.frame(live[fd], chunk)
                else:
                    poller.unregister(fd)
                    del live[fd]
        status = _reaped(pid)
    # What the app wrote before it exited is waiting in the pipes: take it without
    # waiting for an end of file that a process it left behind could put off forever.
    for fd, kind in live.items():
        os.set_blocking(fd, False)
        budget = DRAIN_BYTES
        while budget > 0:
            try:
                chunk = os.read(fd, min(budget, frames.MAX_PAYLOAD))
            except BlockingIOError:
                break
            if not chunk:
                break
            out.frame(kind, chunk)
            budget -= len(chunk)
    if facts is not None and facts.open:
        os.set_blocking(facts.fd, False)
        try:
            facts.read()
        except BlockingIOError:
            facts.close()
    return status


def become_app_process(out_w: int, err_w: int, facts_w: int | None, supervisor: int, group: int) -> int | None:
    """In the forked child, before any learner code (the app, or a setup step): only its
    own pipes, its own session, dead if the supervisor dies, and no way to reach the
    supervisor."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    facts_fd = os.dup2(facts_w, 3) if facts_w is not None else None
    os.closerange(3 if facts_fd is None else 4, os.sysconf("SC_OPEN_MAX"))
    os.setsid()
    guard.die_with_parent()
    if os.getppid() != supervisor:
        os._exit(1)  # it died before we asked
    guard.show_to_same_user()
    try:
        guard.forbid_reaching(supervisor, group)
    except OSError:
        pass  # a runtime without seccomp: the app could then silence Duet, never speak for it
    try:
        # When memory runs out, the kernel should stop the app, not its supervisor.
        Path("/proc/self/oom_score_adj").write_text("1000")
    except OSError:
        pass
    return facts_fd


class Tail(Out):
    """The stream, keeping the last bytes of the app output relayed through it: what a
    failed setup step said last."""

    def __init__(self, out: Out, keep: int = TAIL_BYTES) -> None:
        super().__init__(out.fd)
        self.out = out  # whose signer numbers every frame of the stream
        self.keep, self.kept = keep, b""

    def frame(self, kind: int, payload: bytes) -> None:
        if kind != frames.EVENT:
            self.kept = (self.kept + payload)[-self.keep :]
        self.out.frame(kind, payload)


def setup_steps(framework: str, commands: list[str], migrate: bool = True) -> list[list[str]]:
    """The commands to run before the app is served, each split as a shell would split
    it: the exercise's setup, after ``migrate`` for a Django project that has one (not
    before the learner's tests: Django's test runner makes its own database)."""
    steps = [shlex.split(command) for command in commands]  # checked on import and in the form
    if steps and framework == "django" and migrate:
        steps.insert(0, ["python", "-m", "django", "migrate", "--noinput"])
    return [step for step in steps if step]


def run_step(argv: list[str], out: Out, env: dict[str, str], deadline: Deadline | None = None) -> tuple[int, bytes]:
    """Run one setup step as the app runs (its own process, guarded, in /app, never a
    program from /app: it is mounted noexec); its wait status and its output's tail.
    Its output is relayed as the app's; past ``deadline`` it is killed."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    supervisor, group = os.getpid(), os.getpgid(0)
    pid = os.fork()
    if pid == 0:
        try:
            os.close(out_r)
            os.close(err_r)
            become_app_process(out_w, err_w, None, supervisor, group)
            os.execvpe(argv[0], argv, env)  # noqa: S606 (the exercise's own command, by design no shell)
        except OSError as exc:
            os.write(2, f"{argv[0]}: {exc.strerror}\n".encode())
        os._exit(127)
    os.close(out_w)
    os.close(err_w)
    tail = Tail(out)
    status = supervise(pid, tail, {out_r: frames.APP_STDOUT, err_r: frames.APP_STDERR}, None, deadline)
    os.close(out_r)
    os.close(err_r)
    return status, tail.kept


def step_env(framework: str, entrypoint: str) -> dict[str, str]:
    """The environment a setup step runs in: the learner's files importable, no
    bytecode written into them, Django's settings named."""
    env = {**os.environ, "PYTHONPATH": str(APP_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    if framework == "django":
        env["DJANGO_SETTINGS_MODULE"] = entrypoint
    return env


def set_up(framework: str, entrypoint: str, steps: list[list[str]], out: Out, deadline: Deadline | None = None) -> bool:
    """Run the setup ``steps`` (``setup_steps``) in order, each announced (its output
    follows in the app's log); False, with a ``step_failed`` event, at the first that
    fails. Past ``deadline`` the step running is killed and fails, ``timed_out``."""
    env = step_env(framework, entrypoint)
    for index, argv in enumerate(steps):
        command = shlex.join(argv)
        out.event("step", index=index, command=command)
        started = time.monotonic()
        status, tail = run_step(argv, out, env, deadline)
        code, how = exit_status(status)
        if code != 0:
            if deadline is not None and deadline.passed:
                how["timed_out"] = True
            out.event("step_failed", index=index, command=command, tail=tail.decode("utf-8", "replace"), **how)
            return False
        out.event("step_done", index=index, command=command, seconds=round(time.monotonic() - started, 3))
    return True


def exit_status(wait_status: int) -> tuple[int, dict]:
    code = os.waitstatus_to_exitcode(wait_status)
    if code < 0:
        return 128 - code, {"signal": -code}
    return code, {"status": code}


# What the app process imports first, whatever the learner wrote: imported here, before
# the files arrive, the app process forked from this one starts with them in memory (a
# warm sandbox waits in read_payload with them imported; runner.WarmPool).
PRELOAD = {
    "flask": ("flask", "jinja2", "werkzeug", "waitress"),
    "django": (
        "django",
        "django.conf",
        "django.core.wsgi",
        "django.core.handlers.wsgi",
        "django.core.management",
        "django.http",
        "django.urls",
        "django.template",
        "waitress",
    ),
}


def preload(framework: str) -> None:
    """Import the framework's modules (``PRELOAD``); none of them reads settings or the
    learner's files when imported. A module missing from the image is skipped."""
    for name in PRELOAD[framework]:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--framework", choices=["django", "flask"], required=True)
    # Given here, or (a warm sandbox, started before its submission) in the payload.
    parser.add_argument("--entrypoint")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    out = Out()
    preload(args.framework)
    out.event(frames.WAITING_EVENT)

    try:
        payload = read_payload()
        out.sign_with(payload)
        args.entrypoint = str(payload.get("entrypoint") or args.entrypoint or "")
        if not args.entrypoint:
            raise ValueError("no entrypoint was given")
        write_files(APP_ROOT, payload["files"])
        commands = [str(command) for command in payload.get("setup") or []]
        steps = setup_steps(args.framework, commands)  # a command that cannot be split stops here
    except (ValueError, KeyError, OSError, TypeError) as exc:
        out.event("setup_failed", text=str(exc)[:500])
        return 2
    os.chdir(APP_ROOT)
    guard.hide_from_same_user()
    if not set_up(args.framework, args.entrypoint, steps, out):
        return 2
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    facts_r, facts_w = os.pipe()
    supervisor, group = os.getpid(), os.getpgid(0)
    pid = os.fork()
    if pid == 0:
        for fd in (out_r, err_r, facts_r):
            os.close(fd)
        facts_fd = become_app_process(out_w, err_w, facts_w, supervisor, group)
        from .load import serve_app

        return serve_app(
            framework=args.framework, entrypoint=args.entrypoint, port=args.port, app_root=APP_ROOT, facts_fd=facts_fd
        )
    for fd in (out_w, err_w, facts_w):
        os.close(fd)
    out.event("started")
    status = supervise(
        pid, out, {out_r: frames.APP_STDOUT, err_r: frames.APP_STDERR}, Facts(facts_r, out, args.entrypoint)
    )
    code, how = exit_status(status)
    out.event("exited", **how)
    return code


if __name__ == "__main__":
    sys.exit(main())
