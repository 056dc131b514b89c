"""A render stopped by the memory limit, however it fails (a failed allocation, a PDF error,
a content stream qpdf cannot decode, a worker that dies), is reported naming the limit.
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

import pytest

from conftest import MINIMAL_PACK, interfere, run


@pytest.mark.parametrize(
    "failure",
    [
        MemoryError(),
        OSError(errno.ENOMEM, "Cannot allocate memory"),
        RuntimeError("qpdf: std::bad_alloc"),
    ],
    ids=["MemoryError", "ENOMEM", "bad_alloc"],
)
def test_a_render_stopped_by_the_memory_limit_names_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    def fail(job: object) -> None:
        raise failure

    interfere(monkeypatch, lambda job: True, fail)
    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "--no-sessions",
        "-f", "docx", "--memory-limit", "700MB", "-j", "1",
    )  # fmt: skip
    assert code == 1
    assert (
        "pack.docx: needed more memory than the limit of 700 MB (--memory-limit raises it)" in err
    )
    assert "internal error" not in err


def test_a_pdf_error_from_a_failed_allocation_names_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pikepdf

    def fail(job: object) -> None:
        raise pikepdf.PdfError("pre-read.pdf (offset 12): std::bad_alloc")

    interfere(monkeypatch, lambda job: True, fail)
    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "--no-sessions",
        "-f", "docx", "--memory-limit", "2GB", "-j", "1",
    )  # fmt: skip
    assert code == 1
    assert "needed more memory than the limit of 2.0 GB (--memory-limit raises it)" in err
    assert "PdfError" not in err


def test_a_content_stream_that_qpdf_cannot_decode_within_the_limit_names_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qpdf keeps the ``std::bad_alloc`` as a warning and raises a bare "errors while decoding"."""
    import resource
    import zlib

    import pikepdf

    squeezer = zlib.compressobj(1)
    data = b"".join(squeezer.compress(bytes(64 * 1024**2)) for _ in range(5)) + squeezer.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(data, Filter=pikepdf.Name.FlateDecode)
    pdf.save(tmp_path / "expands.pdf", compress_streams=False)

    def decode_with_little_room(job: object) -> None:
        # 320 MB to decode with 100 MB to spare: the limit, whatever this worker holds already.
        status = Path("/proc/self/status").read_text()
        size = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmSize")
        )
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        room = min(size * 1024 + 100 * 1024**2, hard)
        resource.setrlimit(resource.RLIMIT_AS, (room, hard))
        expands = pikepdf.open(tmp_path / "expands.pdf")
        pikepdf.parse_content_stream(expands.pages[0])

    interfere(monkeypatch, lambda job: True, decode_with_little_room)
    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "--no-sessions",
        "-f", "docx", "--memory-limit", "700MB", "-j", "1",
    )  # fmt: skip
    assert code == 1
    assert "needed more memory than the limit of 700 MB (--memory-limit raises it)" in err
    assert "errors while decoding" not in err


def test_a_worker_that_dies_mid_render_is_reported_with_the_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As the kernel does to a process whose C code failed to allocate and aborted.
    interfere(monkeypatch, lambda job: True, lambda job: os.kill(os.getpid(), signal.SIGKILL))
    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "--no-sessions",
        "-f", "docx", "--memory-limit", "700MB", "-j", "1",
    )  # fmt: skip
    assert code == 1
    assert (
        "pack.docx: the renderer stopped unexpectedly (killed by SIGKILL), most likely at "
        "the memory limit of 700 MB (--memory-limit raises it)"
    ) in err
