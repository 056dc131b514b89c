"""A shared render cache: each output kept under the hash of what it is made from (``--cache``).

Builds are reproducible (the same inputs give the same bytes, and the tests
hold them to it), so an output can be kept under the hash of its inputs, the
manifest's ``inputs``, and taken from there by any build that needs the same
one: a second checkout, a CI runner, a colleague's machine.  None of those
inputs is a path on this machine, so checkouts in different places share.

The cache is a folder, or any store fsspec opens (``s3://bucket/briefpack``,
``memory://``; fsspec comes with the ``dask`` extra).  An entry is the output
and a small JSON record of its digest and page count, written after the
output: a reader that finds no record, or a record whose digest the bytes do
not match, has a miss, never a torn or wrong output.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from briefpack.errors import BriefpackError


class RenderCache:
    """Outputs by inputs hash, in a folder or an fsspec store at ``location``."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.remote = "://" in location
        self.fs: Any = None
        if self.remote:
            try:
                from fsspec.core import url_to_fs
            except ImportError as error:
                raise BriefpackError(
                    f"--cache {location} needs fsspec: pip install 'briefpack[dask]'"
                ) from error
            self.fs, self.root = url_to_fs(location)
        else:
            self.root = str(Path(location).expanduser())

    def _name(self, inputs: str, output_format: str) -> str:
        return f"{self.root}/{inputs[:2]}/{inputs}.{output_format}"

    def get(self, inputs: str, output_format: str) -> tuple[bytes, int | None] | None:
        """The output made from ``inputs`` in ``output_format``, with its pages, if kept."""
        name = self._name(inputs, output_format)
        try:
            record = json.loads(self._read(name + ".json"))
            data = self._read(name)
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("sha256") != _digest(data):
            return None
        pages = record.get("pages")
        return data, pages if isinstance(pages, int) else None

    def put(self, inputs: str, output_format: str, data: bytes, pages: int | None) -> None:
        """Keep ``data``; a cache that cannot be written is passed by, the build goes on."""
        name = self._name(inputs, output_format)
        record = json.dumps({"sha256": _digest(data), "pages": pages}).encode("utf-8")
        with contextlib.suppress(OSError):
            self._write(name, data)
            self._write(name + ".json", record)

    def _read(self, name: str) -> bytes:
        if self.remote:
            return bytes(self.fs.cat_file(name))
        return Path(name).read_bytes()

    def _write(self, name: str, data: bytes) -> None:
        if self.remote:
            self.fs.makedirs(name.rsplit("/", 1)[0], exist_ok=True)
            self.fs.pipe_file(name, data)
            return
        target = Path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(data)
        partial.replace(target)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
