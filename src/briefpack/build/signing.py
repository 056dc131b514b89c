"""Signing each PDF with a PAdES baseline (B-B) signature, through pyHanko, keeping it PDF/UA.

The signature is an incremental update appended to the rendered bytes: the
render stays as it was (and cached), the signed file starts with it, and a
new key re-signs without rendering again.  PDF/UA-1 wants every widget
tagged and described, which pyHanko's own invisible field is not; so the
field is made here first, with a description (``/TU``), a ``/StructParent``
and a ``Form`` structure element pointing at it (``OBJR``), then signed into.
The key and its password are held in memory only: never hashed as text,
cached, logged or shown.

Nothing in a signature comes from the clock or chance but its time, which is
chosen once per build (:func:`signing_time`): the second half of the file's
``/ID`` is derived from the signed bytes, and an RSA signature (PKCS#1 v1.5)
is deterministic, so the same rendered bytes, time and key sign to the same
bytes.  (An ECDSA key draws a random nonce: its signatures always differ.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.errors import BriefpackError

#: The signature field's name, and what a screen reader says of it.
FIELD_NAME = "BriefpackSignature"
FIELD_DESCRIPTION = "Digital signature of the issuer of this pack"


@contextlib.contextmanager
def quiet_import() -> Iterator[None]:
    """Import pyHanko without its warning that cryptography will drop DSA: not ours to act on."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        yield


@dataclass(frozen=True)
class SigningKey:
    """A key and certificate read from a PKCS#12 file; its repr shows neither."""

    #: The certificate's SHA-256, which keys the seal: a new key re-signs.
    fingerprint: str
    #: The signer's name, from the certificate's subject.
    name: str
    signer: Any = field(repr=False, compare=False)
    #: The time every signature of this build states (``/M``): see :func:`signing_time`.
    time: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC), compare=False)


def signing_time(environ: Mapping[str, str]) -> dt.datetime:
    """The time a build's signatures state: ``SOURCE_DATE_EPOCH`` when set, else now.

    Reproducible builds set ``SOURCE_DATE_EPOCH`` to say what time their
    outputs claim; a signature then claims it too, so signing the same render
    again with the same key gives the same bytes.  Read once, so every file of
    a build states the same time.
    """
    from briefpack.render.settings import source_date

    return source_date(environ) or dt.datetime.now(dt.UTC)


def load_signing_key(path: Path, password: str, time: dt.datetime | None = None) -> SigningKey:
    """The key in ``path``; a :class:`BriefpackError` in one line if it cannot be used.

    A wrong password, a file that is not PKCS#12 and a certificate that is
    expired or not yet valid are each refused before anything is built.
    Validity is checked against the clock, the time the key is used: ``time``
    is only what the signatures will state (by default, now).
    """
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        data = path.read_bytes()
    except OSError as error:
        raise BriefpackError(f"{path}: cannot read the signing key: {error.strerror}") from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except ValueError:
        raise BriefpackError(
            f"{path}: cannot open the signing key: wrong password, or not a PKCS#12 (.p12) file"
        ) from None
    if key is None or cert is None:
        raise BriefpackError(f"{path}: the PKCS#12 file holds no key and certificate")
    now = dt.datetime.now(dt.UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise BriefpackError(
            f"{path}: the signing certificate is valid from {cert.not_valid_before_utc:%Y-%m-%d}"
            f" to {cert.not_valid_after_utc:%Y-%m-%d}, not today"
        )
    _check_readable(path, cert)
    return SigningKey(
        fingerprint=hashlib.sha256(cert.public_bytes(_der())).hexdigest(),
        name=_common_name(cert),
        signer=_pyhanko_signer(key, cert, chain),
        time=time or now,
    )


def _check_readable(path: Path, cert: Any) -> None:
    """Refuse a certificate whose signatures no validator could check, before anything is built.

    asn1crypto, under pyHanko's validator and others, refuses a name with a
    character Unicode 3.2 did not assign (an emoji, say): every signature
    made with it would be unverifiable.
    """
    import importlib

    x509: Any = importlib.import_module("asn1crypto.x509")
    with quiet_import():
        from pyhanko_certvalidator import ValidationContext
    try:
        ValidationContext(trust_roots=[x509.Certificate.load(cert.public_bytes(_der()))])
    except ValueError:
        raise BriefpackError(
            f"{path}: the signing certificate's name has a character validators cannot read "
            "(one newer than Unicode 3.2, such as an emoji): its signatures could not be checked"
        ) from None


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def _common_name(cert: Any) -> str:
    """The certificate subject's common name, else the whole subject."""
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else str(cert.subject.rfc4514_string())


def _pyhanko_signer(key: Any, cert: Any, chain: list[Any]) -> Any:
    """pyHanko's signer for the key, its certificate and the chain that came with it."""
    import importlib

    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    with quiet_import():
        from pyhanko.sign.signers import SimpleSigner

    # asn1crypto and the certificate store are untyped: taken as Any.
    keys: Any = importlib.import_module("asn1crypto.keys")
    x509: Any = importlib.import_module("asn1crypto.x509")
    store: Any = importlib.import_module("pyhanko_certvalidator.registry").SimpleCertificateStore
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return SimpleSigner(
        signing_cert=x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        signing_key=keys.PrivateKeyInfo.load(der),
        cert_registry=store.from_certs(
            [x509.Certificate.load(item.public_bytes(Encoding.DER)) for item in chain]
        ),
    )


def sign_pdf(data: bytes, key: SigningKey, reason: str, password: str | None = None) -> bytes:
    """``data`` signed by ``key``, as an incremental update into a tagged, described field.

    An encrypted PDF is opened with its reader's ``password`` and stays encrypted.
    """
    with quiet_import():
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.sign import fields, signers

    class Writer(IncrementalPdfFileWriter):
        """pyHanko's writer, but leaving the document's metadata as rendered.

        pyHanko rewrites the XMP on every update, dropping the PDF/UA
        extension schema a PDF/A render declares: PDF/A then fails.
        """

        def _update_meta(self) -> None:
            return

        @classmethod
        def _handle_id(cls, prev: Any) -> Any:
            """The file's ``/ID``: its first half kept, its second from the bytes signed.

            pyHanko draws the second half at random; derived from ``data``
            it still names this revision alone, and leaves the bytes reproducible.
            """
            ids = super()._handle_id(prev)  # type: ignore[no-untyped-call]  # pyHanko: untyped
            ids[1] = _generic().ByteStringObject(hashlib.sha256(data).digest()[:16])
            return ids

    class Signer(signers.PdfSigner):
        """pyHanko's signer, stating the build's signing time instead of the clock's."""

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = key.time
            return session

    try:
        writer: Any = Writer(io.BytesIO(data), strict=False)
        if password is not None:
            writer.encrypt(password)
        fields.append_signature_field(writer, fields.SigFieldSpec(FIELD_NAME, on_page=0))
        if "/StructTreeRoot" in writer.root:  # an untagged render (--pdf-variant none) has none
            _tag_field(writer)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason,
            name=key.name,
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        output = io.BytesIO()
        logging.getLogger("pyhanko").setLevel(logging.ERROR)
        Signer(meta, key.signer).sign_pdf(writer, output=output)
        return output.getvalue()
    except (PdfError, ValueError, KeyError, TypeError) as error:
        # The message names the file's problem, never the key or a password.
        raise BriefpackError(f"cannot sign the PDF: {type(error).__name__}") from None


def _tag_field(writer: Any) -> None:
    """Describe the new field's widget and give it a Form element in the structure tree."""
    generic = _generic()
    root = writer.root
    widget_ref = root["/AcroForm"]["/Fields"].raw_get(-1)
    widget = widget_ref.get_object()
    page_ref = writer.find_page_for_modification(0)[1]
    tree = root["/StructTreeRoot"]
    parent_tree = tree["/ParentTree"]
    next_key = _get(tree, "/ParentTreeNextKey")
    key = int(next_key) if next_key is not None else _next_key(parent_tree)
    document = tree["/K"]
    document_ref = tree.raw_get("/K")
    if isinstance(document, generic.ArrayObject):
        document_ref = document.raw_get(0)
        document = document_ref.get_object()
    element = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/StructElem"),
            generic.NameObject("/S"): generic.NameObject("/Form"),
            generic.NameObject("/P"): document_ref,
            generic.NameObject("/Pg"): page_ref,
            generic.NameObject("/Alt"): generic.TextStringObject(FIELD_DESCRIPTION),
            generic.NameObject("/K"): generic.DictionaryObject(
                {
                    generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                    generic.NameObject("/Obj"): widget_ref,
                    generic.NameObject("/Pg"): page_ref,
                }
            ),
        }
    )
    element_ref = writer.add_object(element)
    widget["/TU"] = generic.TextStringObject(FIELD_DESCRIPTION)
    widget["/StructParent"] = generic.NumberObject(key)
    writer.update_container(widget)
    kids = _get(document, "/K")
    if isinstance(kids, generic.ArrayObject):
        kids.append(element_ref)
    else:
        document["/K"] = generic.ArrayObject(
            [kids, element_ref] if kids is not None else [element_ref]
        )
    writer.update_container(document)
    _add_to_parent_tree(writer, parent_tree, key, element_ref)
    tree["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree)


def _next_key(parent_tree: Any) -> int:
    """One past the largest key of a number tree with its numbers at its root or kids."""
    nodes = [parent_tree]
    largest = -1
    while nodes:
        node = nodes.pop()
        numbers = _get(node, "/Nums") or []
        largest = max([largest, *(int(numbers[i]) for i in range(0, len(numbers), 2))])
        nodes.extend(kid.get_object() for kid in _get(node, "/Kids") or [])
    return largest + 1


def _add_to_parent_tree(writer: Any, parent_tree: Any, key: int, element_ref: Any) -> None:
    """Add ``key`` -> the Form element at the parent tree's end (its largest key)."""
    generic = _generic()
    if "/Nums" in parent_tree:
        parent_tree["/Nums"].extend([generic.NumberObject(key), element_ref])
        writer.update_container(parent_tree)
        return
    leaf = generic.DictionaryObject(
        {
            generic.NameObject("/Nums"): generic.ArrayObject(
                [generic.NumberObject(key), element_ref]
            ),
            generic.NameObject("/Limits"): generic.ArrayObject(
                [generic.NumberObject(key), generic.NumberObject(key)]
            ),
        }
    )
    parent_tree["/Kids"].append(writer.add_object(leaf))
    writer.update_container(parent_tree)


def _get(container: Any, key: str) -> Any:
    """``container[key]``, or ``None``: never ``.get``, which in a file encrypted without
    object streams returns pyHanko's undecrypted proxy of the value, not the value."""
    return container[key] if key in container else None  # noqa: SIM401 (see above)


def _opens(reader: Any, password: str) -> bool:
    """Whether ``password`` opens the encrypted PDF ``reader`` reads (as its user or owner)."""
    from pyhanko.pdf_utils.crypt import AuthStatus

    return bool(reader.decrypt(password).status != AuthStatus.FAILED)


def _generic() -> Any:
    """pyHanko's PDF objects (untyped: taken as ``Any``)."""
    from pyhanko.pdf_utils import generic

    return generic


def signature_state(data: bytes, password: str | None = None) -> tuple[bool, str]:
    """Whether the PDF's signature holds, and what was found: signer, reason, later changes.

    An encrypted PDF is opened with ``password`` first.

    The signer's own certificate is taken as trusted: what ``verify`` checks
    is that the bytes are those signed, the file's hash against the record
    says whether they are those issued.
    """
    with quiet_import():
        from pyhanko.pdf_utils.misc import PdfReadError
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted and (password is None or not _opens(reader, password)):
            return False, "encrypted, and the password does not open it"
        signatures = reader.embedded_signatures
        if not signatures:
            return False, "not signed"
        signature = signatures[-1]
        context = ValidationContext(trust_roots=[signature.signer_cert])
        status = validate_pdf_signature(signature, context)
    except (PdfReadError, ValueError, KeyError, TypeError):
        return False, "signature unreadable"
    reason = signature.sig_object.get("/Reason", "")
    reason = str(getattr(reason, "decrypted", reason))  # an encrypted file's strings are proxies
    if not status.intact or not status.valid:
        return False, "signature broken"
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        return False, f"signature intact, but the file was changed after signing ({reason})"
    return True, f"signature valid: {reason}"
