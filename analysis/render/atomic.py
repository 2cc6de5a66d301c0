"""Writing an output whole or not at all: beside the target, then moved over it.

Every command writes through here (``run``, ``validate``, ``compare``, ``graph``, ``sample``),
so that whatever happens — a full disk, a read-only folder, Ctrl-C, a killed process — the user
has the earlier output or the new one, never half of one and never neither:

- :func:`check_target` refuses a target that is the dataset, lies inside it or holds it
  (the dataset is never changed by stakemap, docs/privacy.md);
- :func:`write_folder` and :func:`write_file` write into a hidden ``.<name>.partial-<pid>``
  beside the target and move it into place: a file with one ``rename`` (atomic on POSIX), a
  folder by exchanging the two in one call where the system has one (Linux ``renameat2``
  with ``RENAME_EXCHANGE``), else by two renames with the old output kept as
  ``.<name>.old-<pid>`` in between;
- :func:`recover_leftovers`, called before every write, finishes what a dead run (of any
  process: its pid no longer runs) left beside the target: an earlier output moved aside and
  not moved back is put back (or the finished new one moved in), and unfinished writes —
  which hold names, phones and record ids — are deleted; the user is told;
- a failing write (:class:`OSError`: no space left, read-only, permission) is one sentence
  naming the target (:class:`analysis.errors.DatasetError`).
"""

import ctypes
import errno
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from analysis.errors import DatasetError

PARTIAL, OLD = "partial", "old"
#: Files a dataset folder holds besides its tables, which the reader also reads.
DATASET_SIDE_FILES = ("columns.csv", "decisions.csv")


def check_target(target: Path, dataset: Path, option: str = "--out") -> None:
    """Refuse ``target`` when writing it could change the dataset (one sentence, exit 2).

    Refused: the dataset itself, anything inside a dataset folder, a folder holding the
    dataset, and, for a workbook, the files read beside it (:data:`DATASET_SIDE_FILES`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_target(folder / "people.csv", folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    analysis.errors.DatasetError: --out .../people.csv is inside the dataset ...: choose a place outside it.
    """
    target, source = Path(target).resolve(), Path(dataset).resolve()
    if target == source or target in source.parents:
        raise DatasetError(f"{option} {target} holds the dataset {dataset}: choose another {option}.")
    is_inside = source.is_dir() and source in target.parents
    if is_inside or (not source.is_dir() and target in {source.parent / name for name in DATASET_SIDE_FILES}):
        raise DatasetError(f"{option} {target} is inside the dataset {dataset}: choose a place outside it.")


def leftover_name(target: Path, what: str, pid: int | None = None) -> Path:
    """The hidden name of an unfinished write (``partial``) or of a moved-aside output (``old``)."""
    return target.parent / f".{target.name}.{what}-{os.getpid() if pid is None else pid}"


def is_running(pid: int) -> bool:
    """True when process ``pid`` exists (ours included); a pid of another user's process counts."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_leftovers(target: Path) -> dict[int, dict[str, Path]]:
    """pid -> {``partial``/``old``: path} of the hidden leftovers of dead runs beside ``target``."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.({PARTIAL}|{OLD})-(\d+)")
    found: dict[int, dict[str, Path]] = {}
    if not target.parent.is_dir():
        return found
    for path in target.parent.iterdir():
        match = pattern.fullmatch(path.name)
        if match and not is_running(int(match.group(2))):
            found.setdefault(int(match.group(2)), {})[match.group(1)] = path
    return found


def recover_leftovers(target: Path) -> list[str]:
    """Finish what dead runs left beside ``target``; return (and print) what was done.

    A dead run that had moved the earlier output aside (``old``) had finished writing the
    new one (``partial``): the new one is moved into place, else the earlier one is put back.
    Everything else a dead run left is deleted: it holds personal data nobody asked for.
    """
    target = Path(target)
    told = []
    for pid, paths in sorted(find_leftovers(target).items()):
        if not target.exists() and OLD in paths:
            kept = paths.pop(PARTIAL, None) or paths.pop(OLD)
            kept.rename(target)
            told.append(f"put back {target}, which a run stopped before its end (process {pid}) had left aside")
        for path in paths.values():
            remove(path)
            told.append(f"deleted {path.name} beside {target}, the unfinished output of a stopped run (process {pid})")
    for line in told:
        print(f"stakemap: {line}.", file=sys.stderr)
    return told


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def write_folder(out: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(folder)`` on a hidden folder beside ``out``, then put it in ``out``'s place.

    A write that fails or is interrupted leaves ``out`` as it was and nothing beside it; a
    re-run over an old output replaces it whole.
    """
    out = Path(out)
    recover_leftovers(out)
    partial = leftover_name(out, PARTIAL)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.mkdir()
        try:
            write(partial)
            replace_folder(partial, out)
        finally:
            remove(partial)
    except OSError as error:
        raise describe_write_error(out, error) from None
    return out


def replace_folder(new: Path, out: Path) -> None:
    """Put folder ``new`` in ``out``'s place; ``new`` holds the old output afterwards (if any)."""
    if not out.exists():
        new.rename(out)
        return
    if exchange(new, out):
        return
    old = leftover_name(out, OLD)
    out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        old.rename(out)  # the old output back in place: never neither
        raise
    remove(old)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(..., RENAME_EXCHANGE)``, glibc ≥ 2.28);
    False where the system or the file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE (linux/fcntl.h, linux/fs.h)
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_file(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(partial)`` on a hidden file beside ``path``, then move it over ``path``.

    ``path`` naming a folder is an error (one sentence); so is any failure to write.
    """
    path = Path(path)
    if path.is_dir():
        raise DatasetError(f"{path} is a folder: give a file name, such as {path / 'view.html'}.")
    recover_leftovers(path)
    partial = leftover_name(path, PARTIAL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write(partial)
            os.replace(partial, path)
        finally:
            remove(partial)
    except OSError as error:
        raise describe_write_error(path, error) from None
    return path


def describe_write_error(target: Path, error: OSError) -> DatasetError:
    """The sentence for an output that could not be written; what was there before is kept."""
    reason = error.strerror or str(error) or type(error).__name__
    advice = {errno.ENOSPC: "free some space or choose another --out",
              errno.EROFS: "choose a folder you can write to with --out",
              errno.EACCES: "choose a folder you can write to with --out",
              errno.EPERM: "choose a folder you can write to with --out"}.get(error.errno, "choose another --out")
    return DatasetError(f"{target} cannot be written ({reason}): {advice}; any earlier output there is unchanged.")
