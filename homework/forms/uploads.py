"""The checks every form that takes files shares (teachers' attachments and pupils'
handed-in work): the types and sizes accepted, and that a file's contents are what its
name says."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_FILES = 5
ALLOWED_UPLOAD_EXTENSIONS = frozenset(
    {
        "pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "odt", "ods", "odp",
        "txt", "png", "jpg", "jpeg", "gif", "mp3", "mp4",
    }
)  # fmt: skip
ALLOWED_UPLOAD_DESCRIPTION = (
    "PDF, Word, PowerPoint, Excel, OpenDocument, text, PNG, JPEG, GIF, MP3 or MP4"
)


def validate_upload(upload) -> None:
    """Refuse a file of a type we do not accept or larger than the limit, naming it."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_UPLOAD_EXTENSIONS:
        raise ValidationError(
            "“%(name)s” is not a type of file we accept. Use %(allowed)s files.",
            code="file_type",
            params={"name": name, "allowed": ALLOWED_UPLOAD_DESCRIPTION},
        )
    if not upload.size:
        raise ValidationError(
            "“%(name)s” is empty. Choose the file again, or another one.",
            code="file_empty",
            params={"name": name},
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "“%(name)s” is too large (%(size)s): each file can be at most %(limit)d MB.",
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": MAX_UPLOAD_BYTES // (1024 * 1024),
            },
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked by `validate_upload`, at most `max_files`.
    Cleans to a list (empty when nothing was chosen)."""

    def __init__(self, *args, max_files: int = MAX_UPLOAD_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            return super().clean(None, initial) or []
        if len(uploads) > self.max_files:
            raise ValidationError(
                "You can attach at most %(max)d files at once.",
                code="too_many_files",
                params={"max": self.max_files},
            )
        errors = []
        cleaned = []
        for upload in uploads:
            try:
                validate_upload(upload)
                upload = super().clean(upload, initial)
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel, PowerPoint 97-2003
ZIP_SIGNATURE = b"PK\x03\x04"  # Office Open XML and OpenDocument files are zip archives
UPLOAD_KINDS = {
    # extension: (what we call it, the content type we store, does the start look right?)
    "pdf": ("PDF", "application/pdf", lambda head: head.startswith(b"%PDF-")),
    "doc": ("Word", "application/msword", lambda head: head.startswith(OLE_SIGNATURE)),
    "xls": ("Excel", "application/vnd.ms-excel", lambda head: head.startswith(OLE_SIGNATURE)),
    "ppt": (
        "PowerPoint",
        "application/vnd.ms-powerpoint",
        lambda head: head.startswith(OLE_SIGNATURE),
    ),
    "docx": (
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "xlsx": (
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "pptx": (
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "odt": (
        "OpenDocument text",
        "application/vnd.oasis.opendocument.text",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "ods": (
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "odp": (
        "OpenDocument presentation",
        "application/vnd.oasis.opendocument.presentation",
        lambda head: head.startswith(ZIP_SIGNATURE),
    ),
    "txt": ("text", "text/plain", lambda head: _looks_like_text(head)),
    "png": ("PNG", "image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("JPEG", "image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("JPEG", "image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "gif": ("GIF", "image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    "mp3": (
        "MP3",
        "audio/mpeg",
        lambda head: head.startswith(b"ID3") or (head[:1] == b"\xff" and head[1:2] >= b"\xe0"),
    ),
    "mp4": ("MP4", "video/mp4", lambda head: head[4:8] == b"ftyp"),
}
TEXT_CONTROL_BYTES = frozenset(range(0x09)) | frozenset(range(0x0E, 0x20)) - {0x1B}


def _looks_like_text(head: bytes) -> bool:
    return not TEXT_CONTROL_BYTES.intersection(head)


def sniff_upload(upload) -> str:
    """The content type of an upload whose first bytes match its extension; refuses,
    naming the file, one whose contents are of another kind (say, a program renamed
    .pdf). Call after `validate_upload`, which checks the extension and size."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    kind, content_type, looks_right = UPLOAD_KINDS[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not looks_right(head):
        raise ValidationError(
            "“%(name)s” is not really a %(kind)s file: its contents are of another kind. "
            "Save it again as %(kind)s, or choose another file.",
            code="file_content",
            params={"name": name, "kind": kind},
        )
    return content_type


class AttachmentsField(MultipleFileField):
    """Homework attachments: each file's type, size and contents checked; each cleaned
    upload carries the content type its contents showed, not the browser's guess."""

    def clean(self, data, initial=None):
        uploads = super().clean(data, initial)
        errors = []
        for upload in uploads:
            try:
                upload.content_type = sniff_upload(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return uploads
