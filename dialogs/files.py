"""What a file sent to the bot is, judged by its first bytes (magic numbers), its MIME type or its name.

Telegram sends a picture taken or chosen as a photo as ``photo`` (always re-encoded as JPEG), and
anything sent "as a file" as ``document`` with the MIME type and file name the client reported —
which say what the sender's phone guessed, not what the bytes are. Where a photo is asked, the bot
reads the file's first bytes when it can fetch them and goes by those; otherwise by the MIME type,
then the name.

What counts as a picture: JPEG, PNG, WebP, HEIC/HEIF (what iPhones store) and GIF — what phones
take, save and show. Where a step also takes files, PDF (a scanned letter, a receipt) too.
Nothing else: a text file, an office document or unreadable bytes would reach staff as a broken
attachment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dialogs.text import Plural

IMAGE_FORMATS = frozenset({"jpeg", "png", "webp", "heic", "gif"})
FILE_FORMATS = IMAGE_FORMATS | {"pdf"}
HEAD_BYTES = 32  # enough for every signature below

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")

_BY_MIME = {
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/pjpeg": "jpeg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heic",
    "image/heic-sequence": "heic",
    "image/heif-sequence": "heic",
    "image/gif": "gif",
    "application/pdf": "pdf",
}

_BY_SUFFIX = {
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jfif": "jpeg",
    "png": "png",
    "webp": "webp",
    "heic": "heic",
    "heif": "heic",
    "gif": "gif",
    "pdf": "pdf",
}


def sniff(head: bytes) -> str:
    """The format the bytes start like ("jpeg", "png", "webp", "heic", "gif", "pdf"), or "" for
    anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return ""


def declared_format(mime_type: str, file_name: str) -> str:
    """The format a document claims by its MIME type, else by its name's suffix; "" if neither
    names one we take."""
    by_mime = _BY_MIME.get(mime_type.strip().lower())
    if by_mime is not None:
        return by_mime
    if mime_type.strip() and mime_type.strip().lower() != "application/octet-stream":
        return ""  # a type we know and do not take (text/plain, application/msword …)
    suffix = file_name.rsplit(".", 1)[-1].strip().lower() if "." in file_name else ""
    return _BY_SUFFIX.get(suffix, "")


def attachments_text(items: Sequence[Mapping[str, Any]]) -> Plural:
    """"2 photos" when every item is a photo, else "2 files" (a PDF among them is not a photo)."""
    if all(item.get("kind") == "photo" for item in items):
        return Plural("{n} photo", "{n} photos", len(items))
    return Plural("{n} file", "{n} files", len(items))
