"""Keeping the learner's app process away from its supervisor.

They share a user, so by default the app could open the supervisor's descriptors under
``/proc/<pid>/fd``, trace it, signal it or lower its limits. ``hide_from_same_user``
(in the supervisor) makes the kernel treat it as another user's process for ``/proc``
and ptrace; ``forbid_reaching`` (in the app process, before the learner's code runs)
installs a seccomp filter, inherited by every process the app starts, that refuses the
system calls that could still reach it: signals, resource limits, scheduling and
SIGIO ownership aimed at the supervisor's pid or process group.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, *args) -> None:
    values = [ctypes.c_ulong(a) if isinstance(a, int) else a for a in args]
    values += [ctypes.c_ulong(0)] * (4 - len(values))
    if _libc.prctl(ctypes.c_int(option), *values) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def hide_from_same_user() -> None:
    """Not dumpable: /proc/<pid>/fd, /mem and ptrace are closed to our own user."""
    _prctl(PR_SET_DUMPABLE, 0)


def show_to_same_user() -> None:
    """Undo the above in the app process, which inherits it across fork."""
    _prctl(PR_SET_DUMPABLE, 1)


def die_with_parent() -> None:
    _prctl(PR_SET_PDEATHSIG, 9)


# Per architecture: the audit arch number, and the system calls the filter looks at.
_ARCHES = {
    "x86_64": (
        0xC000003E,
        dict(
            kill=62,
            tkill=200,
            tgkill=234,
            rt_sigqueueinfo=129,
            rt_tgsigqueueinfo=297,
            pidfd_send_signal=424,
            prlimit64=302,
            fcntl=72,
            ioctl=16,
            setpriority=141,
            sched_setparam=142,
            sched_setscheduler=144,
            sched_setaffinity=203,
            sched_setattr=314,
            ioprio_set=251,
        ),
    ),
    "aarch64": (
        0xC00000B7,
        dict(
            kill=129,
            tkill=130,
            tgkill=131,
            rt_sigqueueinfo=138,
            rt_tgsigqueueinfo=240,
            pidfd_send_signal=424,
            prlimit64=261,
            fcntl=25,
            ioctl=29,
            setpriority=140,
            sched_setparam=118,
            sched_setscheduler=119,
            sched_setaffinity=122,
            sched_setattr=274,
            ioprio_set=30,
        ),
    ),
}
_X32_SYSCALL_BIT = 0x40000000
F_SETOWN, F_SETOWN_EX = 8, 15
FIOSETOWN, SIOCSPGRP = 0x8901, 0x8902

_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_REFUSE = 0x00050000 | errno.EPERM
_NR, _ARCH = 0, 4


def _arg(index: int) -> int:
    """Offset of the low 32 bits of argument ``index`` in seccomp_data (little-endian)."""
    return 16 + 8 * index


def _program(arch: int, calls: dict[str, int], pid: int, pgid: int) -> list[tuple[int, int, int, int]]:
    """The filter, assembled from (code, k, label-if-true, label-if-false) with labels
    resolved into the relative jumps classic BPF wants."""
    targets = {v & 0xFFFFFFFF for v in (pid, -pid, -pgid, -1)}  # the pid, its group, everyone
    code: list[tuple] = []
    labels: dict[str, int] = {}

    def emit(op: int, k: int = 0, jt: str | None = None, jf: str | None = None) -> None:
        code.append((op, k, jt, jf))

    def label(name: str) -> None:
        labels[name] = len(code)

    emit(_LD_ABS, _ARCH)
    emit(_JEQ, arch, None, "refuse")  # another ABI (i386 on x86_64) has other numbers
    emit(_LD_ABS, _NR)
    if arch == _ARCHES["x86_64"][0]:
        emit(_JGE, _X32_SYSCALL_BIT, "refuse", None)
    aimed = [
        ("kill", 0),
        ("tkill", 0),
        ("tgkill", 0),
        ("rt_sigqueueinfo", 0),
        ("rt_tgsigqueueinfo", 0),
        ("prlimit64", 0),
        ("sched_setparam", 0),
        ("sched_setscheduler", 0),
        ("sched_setaffinity", 0),
        ("sched_setattr", 0),
        ("setpriority", 1),
        ("ioprio_set", 1),
    ]
    for name, index in aimed:
        emit(_JEQ, calls[name], f"check{index}", None)
    emit(_JEQ, calls["pidfd_send_signal"], "refuse", None)  # a pidfd can be any /proc/<pid>
    emit(_JEQ, calls["fcntl"], "fcntl", None)
    emit(_JEQ, calls["ioctl"], "ioctl", None)
    emit(_RET, _ALLOW)
    for index in (0, 1):
        label(f"check{index}")
        emit(_LD_ABS, _arg(index))
        for value in sorted(targets):
            emit(_JEQ, value, "refuse", None)
        emit(_RET, _ALLOW)
    label("fcntl")
    emit(_LD_ABS, _arg(1))
    emit(_JEQ, F_SETOWN_EX, "refuse", None)  # its owner is behind a pointer
    emit(_JEQ, F_SETOWN, "check2", None)
    emit(_RET, _ALLOW)
    label("check2")
    emit(_LD_ABS, _arg(2))
    for value in sorted(targets):
        emit(_JEQ, value, "refuse", None)
    emit(_RET, _ALLOW)
    label("ioctl")
    emit(_LD_ABS, _arg(1))
    emit(_JEQ, FIOSETOWN, "refuse", None)
    emit(_JEQ, SIOCSPGRP, "refuse", None)
    emit(_RET, _ALLOW)
    label("refuse")
    emit(_RET, _REFUSE)

    def jump(at: int, name: str | None) -> int:
        offset = 0 if name is None else labels[name] - at - 1
        if not 0 <= offset <= 255:
            raise ValueError("seccomp filter too long for a jump")
        return offset

    return [(op, k, jump(at, jt), jump(at, jf)) for at, (op, k, jt, jf) in enumerate(code)]


def forbid_reaching(pid: int, pgid: int) -> bool:
    """Refuse this process and all it starts any signal, limit or scheduling change
    aimed at ``pid`` or its group ``pgid``. False where the filter is not supported."""
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return False
    program = _program(arch[0], arch[1], pid, pgid)
    raw = b"".join(struct.pack("=HBBI", op, jt, jf, k) for op, k, jt, jf in program)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    prog = SockFprog(len(program), raw)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)  # set in the sandbox already; needed bare on a host
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog))
    return True
