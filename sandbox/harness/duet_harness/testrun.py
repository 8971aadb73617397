"""Run the learner's own tests against each version of an app (runs as the ``app`` user).

For an exercise that asks the learner to write tests. The command::

    python -I -u -m duet_harness.testrun --framework flask|django --entrypoint E --target-seconds S

reads one JSON document on stdin, ``{"targets": [{path: text}, ...], "files": {path:
text}, "setup": [command, ...]}``: the versions of the app (target 0 the instructor's
correct one, the others buggy), the learner's test files and the exercise's setup
commands. For each target in turn, /app is emptied, the target's files are written with
the learner's over them, the setup commands run (without Django's ``migrate``: its test
runner makes its own database), then the learner's tests: ``pytest`` for Flask,
``django test`` for Django. Each runs as a setup step runs (``serve.run_step``: its own
guarded process, no shell), its output relayed as the app's. A target's setup and test
run share ``--target-seconds`` of wall time; past it the process running is killed.
After each target every process of this user but the supervisor is killed and what
the tests left in the scratch folders and in System V IPC is removed, so nothing from
one run reaches the next.

The verdict is this process's alone: the events it writes (``frames.EVENT``), each
``target_done`` giving the wait status it saw, never anything the tests print:

- ``target`` {index, of}: a target's files are written; its setup and tests follow;
- ``step``, ``step_done``, ``step_failed`` as when serving (``step_failed`` with
  ``timed_out`` when the target's time ran out in it);
- ``target_done`` {index, setup_failed: true, timed_out, oom_kills, pids_limit_hits}
  after a failed setup step, else {index, status | signal, seconds, timed_out,
  oom_kills, pids_limit_hits} (``seconds`` is the test run's; the counters are the
  container's OOM kills and refused forks during this target);
- ``finished`` {targets} after the last target (exit status 0);
- ``setup_failed`` {text}: a malformed payload, or a target that could not be made
  ready (exit status 2).

Killing every process of its own user is right only in the sandbox, where every other
process of the ``app`` user is the learner's: never run this elsewhere.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
import time
from pathlib import Path, PurePosixPath

from . import guard
from .grade import oom_kills, pids_limit_hits
from .payload import read_payload, write_files
from .serve import APP_ROOT, Deadline, Out, exit_status, run_step, set_up, setup_steps, step_env

MAX_TARGETS = 32
SCRATCH_ROOT = "/tmp"  # noqa: S108 (the container's own tmpfs, emptied of our files between runs)
# Writable by every user: only our own entries in them are removed.
SCRATCH = (Path(SCRATCH_ROOT), Path("/dev/shm"), Path("/dev/mqueue"))  # noqa: S108
STOP_SECONDS = 3.0  # for the processes a run left to be gone, once killed
IPC_RMID = 0


def test_command(framework: str) -> list[str]:
    """The learner's tests, as they would run them in their project."""
    if framework == "django":
        return ["python", "-m", "django", "test", "--noinput", "-v", "1"]
    return [
        "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-rfE",
        "--color=no",
        "--rootdir",
        str(APP_ROOT),
    ]


def _file_name(name: object) -> str:
    """``name`` as written below /app, or ValueError if it would leave it."""
    if not isinstance(name, str):
        raise ValueError(f"refusing file name {name!r}")
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"refusing file name {name!r}")
    return rel.as_posix()


def _files(value: object, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ValueError(f"{what} must map file names to texts")
    return {_file_name(name): text for name, text in value.items()}


def layered(target: dict[str, str], tests: dict[str, str]) -> dict[str, str]:
    """A target's files with the learner's over them (theirs win on a clash); a file
    that another would need as a folder is refused here rather than half-written."""
    files = {**target, **tests}
    for name in files:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in files:
                raise ValueError(f"{name!r} would need the file {folder!r} to be a folder")
    return files


def read_run(payload: object, framework: str) -> tuple[list[dict[str, str]], list[list[str]]]:
    """The files of each target's run and the setup steps, checked whole before
    anything runs: a payload that does not fit is refused, never run in part."""
    if not isinstance(payload, dict):
        raise ValueError("the payload must be an object")
    targets = payload.get("targets")
    if not isinstance(targets, list) or not 1 <= len(targets) <= MAX_TARGETS:
        raise ValueError(f"targets must be a list of 1 to {MAX_TARGETS} sets of files")
    tests = _files(payload.get("files", {}), "files")
    commands = payload.get("setup") or []
    if not isinstance(commands, list) or not all(isinstance(command, str) for command in commands):
        raise ValueError("setup must be a list of commands")
    runs = [layered(_files(target, "a target"), tests) for target in targets]
    return runs, setup_steps(framework, commands, migrate=False)  # a command that cannot be split stops here


def _status(pid: int) -> dict[str, str]:
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def _live_processes_of(uid: int, me: int) -> list[int]:
    """Our user's processes, but us, not yet dead; by its real or saved uid, since a
    process that made itself not dumpable shows its /proc folder as root's."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            fields = _status(int(entry))
            if str(uid) not in fields["Uid"].split():
                continue
            tasks = os.listdir(f"/proc/{entry}/task")
            # A zombie leader's other threads may still run: look at each.
            if any(_status_of_task(entry, task) not in {"Z", "X"} for task in tasks):
                found.append(int(entry))
        except (OSError, KeyError):
            continue  # gone while we looked
    return found


def _status_of_task(pid: str, task: str) -> str:
    with open(f"/proc/{pid}/task/{task}/stat", "rb") as stat:
        return stat.read().rpartition(b")")[2].split()[0].decode()


def _reap_children() -> None:
    """A process can make itself our child (clone with CLONE_PARENT): reap any."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def stop_leftovers() -> bool:
    """Kill every process of our user but us: what a run started, however it detached
    (double fork, setsid). ``kill(-1)`` reaches them all at once, so none forks away
    from a scan; /proc then shows whether any is still dying. False if one outlived
    STOP_SECONDS."""
    me, uid = os.getpid(), os.getuid()
    try:
        os.kill(-1, signal.SIGKILL)  # all we may signal: our own user's, never PID 1
    except OSError:
        pass  # none there
    give_up = time.monotonic() + STOP_SECONDS
    while True:
        _reap_children()
        left = _live_processes_of(uid, me)
        if not left:
            return True
        if time.monotonic() > give_up:
            return False
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass  # gone since
        time.sleep(0.01)


def remove_ipc(uid: int) -> None:
    """System V shared memory, message queues and semaphore sets of our user: the
    kernel keeps them after their processes die, so a run could leave word for the next."""
    libc = ctypes.CDLL(None, use_errno=True)
    for table, ident, remove in (
        ("shm", "shmid", lambda i: libc.shmctl(i, IPC_RMID, None)),
        ("msg", "msqid", lambda i: libc.msgctl(i, IPC_RMID, None)),
        ("sem", "semid", lambda i: libc.semctl(i, 0, IPC_RMID)),
    ):
        try:
            lines = Path(f"/proc/sysvipc/{table}").read_text().splitlines()
        except OSError:
            continue
        if not lines:
            continue
        header = lines[0].split()
        for line in lines[1:]:
            row = dict(zip(header, line.split(), strict=False))
            # IPC_SET can give the object away; its creator keeps the right to remove it.
            if str(uid) in (row.get("uid"), row.get("cuid")):
                remove(int(row[ident]))


def _unlink_files() -> list[str]:
    """Remove every entry of the current folder but its folders; their names."""
    with os.scandir(".") as entries:
        listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    for name, is_folder in listed:
        if not is_folder:
            os.unlink(name)
    return [name for name, is_folder in listed if is_folder]


def _clear(folder: Path) -> None:
    """Remove everything inside ``folder``, whatever modes the tests left: each folder
    is made ours to list and empty before it is entered (we are their owner), no link
    is followed (nothing else runs by now). It walks by changing directory, so no
    depth of folders is too deep for a path or for the open-files limit."""
    os.chdir(folder)
    stack: list[tuple[str, list[str]]] = [("", _unlink_files())]
    while stack:
        name, folders = stack[-1]
        if folders:
            sub = folders.pop()
            os.chmod(sub, 0o700)
            os.chdir(sub)
            stack.append((sub, _unlink_files()))
        else:
            stack.pop()
            if stack:
                os.chdir("..")
                os.rmdir(name)


def empty_app_root() -> None:
    """/app as a fresh tmpfs has it: empty, ours, 0755, no extended attributes."""
    os.chmod(APP_ROOT, 0o755)  # noqa: S103 (as the runner mounts it: the app's code is not secret)
    _clear(APP_ROOT)
    try:
        for name in os.listxattr(APP_ROOT):
            os.removexattr(APP_ROOT, name)
    except OSError:
        pass  # a file system without them
    os.utime(APP_ROOT)
    os.chdir(APP_ROOT)


def clear_scratch(uid: int) -> None:
    """What our user left at the top of the shared scratch folders, removed."""
    for folder in SCRATCH:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):
                os.chmod(path, 0o700)
                _clear(path)
                os.chdir(folder)
                os.rmdir(path)
            else:
                os.unlink(path)
    os.chdir(APP_ROOT)


def prepare(files: dict[str, str]) -> None:
    """/app holding ``files`` and nothing else, and no trace of an earlier run."""
    uid = os.getuid()
    remove_ipc(uid)
    clear_scratch(uid)
    empty_app_root()
    write_files(APP_ROOT, files)


def run_target(args: argparse.Namespace, steps: list[list[str]], out: Out) -> dict:
    """Set up and run the tests on the target in /app; the ``target_done`` facts."""
    deadline = Deadline(time.monotonic() + args.target_seconds)
    if not set_up(args.framework, args.entrypoint, steps, out, deadline):
        return {"setup_failed": True, "timed_out": deadline.passed}
    env = {**step_env(args.framework, args.entrypoint), "HOME": SCRATCH_ROOT, "TMPDIR": SCRATCH_ROOT}
    started = time.monotonic()
    status, _ = run_step(test_command(args.framework), out, env, deadline)
    _, how = exit_status(status)
    return {**how, "seconds": round(time.monotonic() - started, 3), "timed_out": deadline.passed}


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("between 0 and 3600 seconds")
    return value


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--framework", choices=["django", "flask"], required=True)
    parser.add_argument("--entrypoint", required=True)
    parser.add_argument("--target-seconds", type=_seconds, required=True)
    args = parser.parse_args()
    out = Out()

    try:
        payload = read_payload()
        out.sign_with(payload)
        runs, steps = read_run(payload, args.framework)
    except (ValueError, KeyError, TypeError) as exc:
        out.event("setup_failed", text=str(exc)[:500])
        return 2
    os.chdir(APP_ROOT)
    guard.hide_from_same_user()
    for index, files in enumerate(runs):
        try:
            prepare(files)
        except (OSError, ValueError) as exc:
            out.event("setup_failed", text=f"target {index} could not be written: {exc}"[:500])
            return 2
        counted = oom_kills(), pids_limit_hits()
        out.event("target", index=index, of=len(runs))
        done = run_target(args, steps, out)
        if not stop_leftovers():
            out.event("setup_failed", text="the processes the tests started could not be stopped")
            return 2
        done.update(oom_kills=oom_kills() - counted[0], pids_limit_hits=pids_limit_hits() - counted[1])
        out.event("target_done", index=index, **done)
    out.event("finished", targets=len(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
