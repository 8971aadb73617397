"""The data folder (./var): the secret key and the SQLite database are their owner's
only, and the key is made once, whole, however many processes start at the same time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time

from tests.conftest import ROOT


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fresh_env(var_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return env | {"DUET_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "course.settings"}


def run(argv: list[str], var_dir, **kwargs) -> subprocess.CompletedProcess:
    # umask 022, the usual one: what is private must be so by itself, not by luck.
    return subprocess.run(
        argv, cwd=ROOT, env=fresh_env(var_dir), capture_output=True, text=True, umask=0o022, check=True, **kwargs
    )


PRINT_KEY = [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]


def test_the_secret_key_is_made_once_readable_by_its_owner_only(tmp_path):
    var = tmp_path / "var"
    key = run(PRINT_KEY, var).stdout.strip()
    assert len(key) >= 50 and (var / "secret_key").read_text() == key
    assert mode(var / "secret_key") == 0o600
    assert run(PRINT_KEY, var).stdout.strip() == key  # kept, not made anew
    assert sorted(p.name for p in var.iterdir()) == ["duet.sqlite3", "secret_key"]  # no temporary files left


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    var = tmp_path / "var"
    go = tmp_path / "go"
    # Each process waits for the same moment, then loads the settings (and makes the key).
    wait = f"import pathlib, time\nwhile not pathlib.Path({str(go)!r}).exists(): time.sleep(0.001)\n"
    argv = [sys.executable, "-c", wait + "from django.conf import settings; print(settings.SECRET_KEY)"]
    env = fresh_env(var)
    processes = [
        subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, umask=0o022) for _ in range(8)
    ]
    time.sleep(1.0)  # let them all get to the wait
    go.touch()
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert all(process.returncode == 0 for process in processes)
    assert keys == {(var / "secret_key").read_text()}
    assert mode(var / "secret_key") == 0o600


def test_threads_racing_to_make_a_file_all_see_the_one_that_won(tmp_path):
    from course.settings import private_file

    path = tmp_path / "var" / "secret_key"
    start = threading.Barrier(16)
    seen: list[bytes] = []

    def make(n: int) -> None:
        start.wait()
        private_file(path, f"key-{n}-".encode() * 1000)
        seen.append(path.read_bytes())

    threads = [threading.Thread(target=make, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1 and seen[0] == path.read_bytes() and len(seen[0]) > 5000
    assert mode(path) == 0o600 and os.listdir(path.parent) == ["secret_key"]


def test_a_world_readable_key_is_made_private_and_kept(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("an-existing-key-" * 4)
    (var / "secret_key").chmod(0o644)
    assert run(PRINT_KEY, var).stdout.strip() == "an-existing-key-" * 4
    assert mode(var / "secret_key") == 0o600


def test_a_data_folder_made_earlier_with_the_usual_umask_is_made_private(tmp_path):
    var = tmp_path / "var"
    (var / "images").mkdir(parents=True)  # as the image build leaves it, before any settings run
    var.chmod(0o755)
    run(PRINT_KEY, var)
    assert mode(var) == 0o700
    var.chmod(0o755)  # loosened again by hand, with the key already there
    run(PRINT_KEY, var)
    assert mode(var) == 0o700


def test_the_sqlite_database_is_its_owners_only_after_migrate(tmp_path):
    var = tmp_path / "var"
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], var, timeout=300)
    database = var / "duet.sqlite3"
    assert database.stat().st_size > 0  # migrated: the file is the database
    for path in var.iterdir():
        if path.name.startswith("duet.sqlite3"):  # with its -wal and -shm files
            assert mode(path) == 0o600, path.name
    assert mode(var) == 0o700


def test_start_makes_the_data_folder_before_the_services_and_keeps_it_private():
    script = (ROOT / "scripts" / "start.sh").read_text()
    assert script.index("umask 077") < script.index('-c "import course.settings"') < script.index("manage migrate")
    assert script.index("manage migrate") < script.index("celery -A course worker")
