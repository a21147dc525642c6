"""Listing local inputs: every entry a pattern names is a file to read or an error row.

Beam's local `FileSystems.match` walks folders with `os.walk` and silently drops what it cannot
stat (a dangling link), lists a FIFO as a file (opening it then blocks forever) and follows
links wherever they point. Local patterns are therefore listed here, with the same glob
semantics (Beam's `translate_pattern`: ``*`` within a folder, ``**`` across folders), and each
entry is classified before anything is opened:

- a regular file -> `FileRef`;
- a FIFO, socket or device -> `read:not_a_file`; so is a folder matched by a glob whose last
  part has a suffix (`in/*.txt` matching a folder `old.txt/`): such a glob names files. Other
  globs match files only, as in Beam (`in/*` skips the folders in `in/`);
- a symbolic link: its **input root** is the longest folder of the pattern without glob
  characters (`input_root`), compared by real path. A link whose target stays inside the root
  is read (under the link's own name); a link whose target leaves it is not followed
  (`read:link_member`, as for links inside archives) unless `follow_links`; a dangling link is
  `read:dangling_link`, a loop of links `read:link_loop`. Links to folders are not descended
  (their files, inside the root, are listed where they really are), except with
  `follow_links`, where each real folder is walked once (no cycles).

Pure functions over the local filesystem; URIs (gs://, s3://, ...) have no links or FIFOs and
are matched by `FileSystems` in readers.py.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from apache_beam.io.filesystem import FileSystem

from transforms.records import ErrorRow
from transforms.text.utf8 import escape_name

GLOB_CHARS = ("*", "?", "[")
# What a backslash of a POSIX name is matched as (glob_matcher): NUL, which no name can hold.
NAME_BACKSLASH = "\0"
NO_MATCH = "the pattern or folder names no file"


@dataclass(frozen=True)
class FileRef:
    """One matched file, as the filesystem describes it (the manifest keys on these). `path` is
    the name as the filesystem gives it (it may hold undecodable bytes as surrogates: it is
    what the job opens); `source` is its escaped, valid UTF-8 form (transforms/text/utf8.py)."""

    path: str
    size: int
    mtime: float

    @property
    def source(self) -> str:
        """The name as rows and the manifest write it: valid UTF-8, escaped if need be."""
        return escape_name(self.path)


def is_glob(pattern: str) -> bool:
    """Does the pattern hold a glob character (``*``, ``?``, ``[``)?"""
    return any(c in pattern for c in GLOB_CHARS)


def pattern_root(pattern: str) -> tuple[str, str]:
    """(the folder or file a pattern reads under, the glob part below it): the one split of a
    pattern that listing and the output guard share. An existing local path is taken literally,
    glob characters and all: (the path, ""). `data/*.txt` -> ("data", "*.txt"); `*.txt` ->
    (".", "*.txt"); `/x*` -> ("/", "x*"); a missing path without glob characters -> (it, "")."""
    if "://" not in pattern and os.path.lexists(pattern):
        return pattern, ""
    cut = min((pattern.find(c) for c in GLOB_CHARS if c in pattern), default=-1)
    if cut < 0:
        return pattern, ""
    slash = pattern.rfind("/", 0, cut)
    if slash < 0:
        return ".", pattern
    return pattern[:slash] or "/", pattern[slash + 1 :]


def input_root(pattern: str) -> str:
    """The longest folder of a local pattern without glob characters: the pattern itself when
    it is a folder, else the folder holding the first path component with a glob character (or
    the named file)."""
    root, glob = pattern_root(pattern)
    if glob or os.path.isdir(root):
        return root
    return os.path.dirname(root) or "."


def list_local(pattern: str, follow_links: bool = False) -> Iterator[FileRef | ErrorRow]:
    """The files a local glob, folder or file names, and an error row for every entry that is
    not one (see the module docstring). An existing path is taken literally, glob characters
    and all (`inbox[2024]/`). A missing path is `match:not_found`; a glob or folder that yields
    nothing at all is `match:no_match`, so that it is reported by name."""
    seen = False
    for item in _list(pattern, follow_links):
        seen = True
        yield item
    if not seen:
        yield ErrorRow(pattern, "match", "no_match", NO_MATCH)


def _list(pattern: str, follow_links: bool) -> Iterator[FileRef | ErrorRow]:
    root = input_root(pattern)
    if os.path.lexists(pattern) or not is_glob(pattern):
        walker = _Walker(root, follow_links)
        if os.path.isdir(pattern):
            yield from walker.walk(pattern)
        elif os.path.lexists(pattern):
            yield from walker.entry(pattern)
        else:
            yield ErrorRow(pattern, "match", "not_found", "no such file or folder")
        return
    matcher = glob_matcher(pattern)
    # `*` stays in one folder: without `**`, nothing deeper than the pattern can match
    depth = None if "**" in pattern else pattern.count("/") - root.rstrip("/").count("/")
    walker = _Walker(root, follow_links, matcher, depth)
    walker.files_only = depth is not None and "." in pattern.rsplit("/", 1)[-1]
    if os.path.isdir(root):
        yield from walker.walk(root)


def glob_matcher(pattern: str) -> Callable[[str], object]:
    """`path -> match or None` for a local glob, with Beam's glob semantics on POSIX names.

    Beam's `translate_pattern` treats a backslash as a folder separator too (``*`` becomes
    ``[^/\\\\]*``, for Windows paths), so `in/*` would not match `in/back\\slash.txt`, which
    would then be neither read nor an error row. On POSIX a backslash is an ordinary character
    of a name and NUL the one character no name can hold, so both the pattern and each path
    are matched with every backslash read as NUL: the same glob, a backslash now a name
    character. Elsewhere (os.sep is a backslash) Beam's pattern is used as it is."""
    if os.sep != "/":
        return re.compile(FileSystem.translate_pattern(pattern)).match
    match = re.compile(FileSystem.translate_pattern(pattern.replace("\\", NAME_BACKSLASH))).match
    return lambda path: match(path.replace("\\", NAME_BACKSLASH))


class _Walker:
    """Walks folders in name order. `matcher` (None: everything) selects the entries kept;
    `max_depth` (None: any) is how many folders below the root a match can be."""

    def __init__(self, root: str, follow_links: bool, matcher=None, max_depth: int | None = None):
        self.root_depth = root.rstrip("/").count("/")
        self.real_root = os.path.realpath(root)
        self.follow_links = follow_links
        self.matcher = matcher
        self.max_depth = max_depth
        self.walked: set[str] = set()  # real paths of folders walked (follow_links: no cycles)
        # A glob whose last part has a suffix (`*.txt`) names files: a folder it matches is
        # `not_a_file`. Other globs (`in/*`) match files only, as in Beam, and skip folders.
        self.files_only = False

    def wanted(self, path: str) -> bool:
        return self.matcher is None or self.matcher(path) is not None

    def walk(self, folder: str) -> Iterator[FileRef | ErrorRow]:
        self.walked.add(os.path.realpath(folder))
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            yield ErrorRow(folder, "match", "io_error", f"{type(exc).__name__}: {exc}")
            return
        for name in names:
            yield from self.entry(os.path.join(folder, name))

    def descend(self, folder: str) -> Iterator[FileRef | ErrorRow]:
        """A folder below the root: walked, unless a glob without `**` names the folder itself
        (a folder named like a file: `read:not_a_file`) or no match can lie below it."""
        if self.max_depth is not None:
            if self.files_only and self.wanted(folder):
                yield ErrorRow(folder, "read", "not_a_file", "a folder, matched by a glob")
                return
            if folder.count("/") - self.root_depth >= self.max_depth:
                return
        yield from self.walk(folder)

    def entry(self, path: str) -> Iterator[FileRef | ErrorRow]:
        try:
            info = os.lstat(path)
        except OSError:  # gone since its folder was listed: no longer an input
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self.descend(path)
        elif stat.S_ISLNK(info.st_mode):
            yield from self.link(path)
        elif self.wanted(path):
            yield as_file(path, info)

    def link(self, path: str) -> Iterator[FileRef | ErrorRow]:
        target = os.path.realpath(path)
        inside = target == self.real_root or target.startswith(self.real_root.rstrip("/") + "/")
        try:
            info = os.stat(path)
        except OSError as exc:
            if self.wanted(path):
                # a loop of links (ELOOP) is fixed on the links; a dangling one by its target
                reason = "link_loop" if exc.errno == errno.ELOOP else "dangling_link"
                yield ErrorRow(path, "read", reason, f"link to {_target(path)}: {exc}")
            return
        if stat.S_ISDIR(info.st_mode):
            if self.follow_links and target not in self.walked:
                yield from self.descend(path)
            elif not inside and self.wanted(path):
                yield _link_error(path)
        elif self.wanted(path):
            yield as_file(path, info) if inside or self.follow_links else _link_error(path)


def as_file(path: str, info: os.stat_result) -> FileRef | ErrorRow:
    """A FileRef for a regular file; `read:not_a_file` for a FIFO, socket or device."""
    if stat.S_ISREG(info.st_mode):
        return FileRef(path, info.st_size, info.st_mtime)
    kind = _KINDS.get(stat.S_IFMT(info.st_mode), "special file")
    return ErrorRow(path, "read", "not_a_file", f"a {kind}, not a regular file")


def check_regular(path: str) -> ErrorRow | None:
    """Just before opening a local file: `read:not_a_file` unless it is (still) a regular
    file, so that a FIFO swapped in after listing cannot block a worker. URIs pass."""
    if "://" in path:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None  # opening it will say what is wrong
    return None if stat.S_ISREG(info.st_mode) else as_file(path, info)


_KINDS = {
    stat.S_IFIFO: "FIFO (named pipe)",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFDIR: "folder",
}


def _target(path: str) -> str:
    try:
        return repr(os.readlink(path))
    except OSError:
        return "?"


def _link_error(path: str) -> ErrorRow:
    return ErrorRow(
        path,
        "read",
        "link_member",
        f"link to {_target(path)}, outside the input folder: not followed (--follow_links "
        "follows it)",
    )
