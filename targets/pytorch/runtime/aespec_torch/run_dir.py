"""The run directory's writes as src/run/run-dir.ts makes them: a file through a
temporary name, an fsync and a rename; a folder (a checkpoint) swapped so one
complete copy exists at every moment; the lock (RUN/lock) in the same format,
so aespec and this trainer never write one run at the same time."""
import json
import os
import shutil
import socket


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_durable(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(root, name, data):
    os.makedirs(root, exist_ok=True)
    target = os.path.join(root, name)
    tmp = f"{target}.tmp-{os.getpid()}"
    if os.path.exists(tmp):
        os.remove(tmp)
    _write_durable(tmp, data.encode() if isinstance(data, str) else data)
    os.replace(tmp, target)
    _fsync_dir(root)


def replace_folder(root, name, files):
    """files: {name: bytes}, written in order (checkpoint.json last)."""
    os.makedirs(root, exist_ok=True)
    target = os.path.join(root, name)
    tmp = f"{target}.tmp-{os.getpid()}"
    old = f"{target}.old"
    shutil.rmtree(tmp, ignore_errors=True)
    os.mkdir(tmp)
    for fname, data in files.items():
        _write_durable(os.path.join(tmp, fname), data)
    _fsync_dir(tmp)
    if os.path.lexists(target):
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
    os.rename(tmp, target)
    _fsync_dir(root)
    shutil.rmtree(old, ignore_errors=True)


def _start_time(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2 :].split(" ")[19]
    except (OSError, ValueError, IndexError):
        return None


def _alive(rec):
    if rec.get("host") != socket.gethostname():
        return True
    try:
        os.kill(rec["pid"], 0)
    except PermissionError:
        return True
    except OSError:
        return False
    now = _start_time(rec["pid"])
    return rec.get("started") is None or now is None or now == rec.get("started")


def acquire_lock(root):
    """None when this process holds RUN/lock, else the pid of the process that does."""
    os.makedirs(root, exist_ok=True)
    path = os.path.join(root, "lock")
    me = {"pid": os.getpid(), "host": socket.gethostname(), "started": _start_time(os.getpid())}
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w") as f:
                f.write(json.dumps(me) + "\n")
            return None
        except FileExistsError:
            pass
        try:
            with open(path) as f:
                held = json.load(f)
        except (OSError, ValueError):
            held = None
        if held is not None and _alive(held):
            return held.get("pid", -1)
        aside = f"{path}.stale-{os.getpid()}"
        try:
            os.rename(path, aside)
            os.remove(aside)
        except OSError:
            pass
    return -1


def release_lock(root):
    path = os.path.join(root, "lock")
    try:
        with open(path) as f:
            held = json.load(f)
        if held.get("pid") == os.getpid() and held.get("host") == socket.gethostname():
            os.remove(path)
    except (OSError, ValueError):
        pass
