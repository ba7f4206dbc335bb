"""The information notices' texts, as files of the code.

Each purpose (`enums.NoticePurpose`) has a folder of `accounts/notice_texts/` holding
one file per version and language: `<purpose>/v<N>.fr.md` (the notice) and, optionally,
`<purpose>/v<N>.en.md` (a translation for information). A file starts with a short
header between `---` lines:

    ---
    title: Partage de votre profil avec les entreprises
    published_on: 2026-12-05
    ---
    The text, in Markdown (rendered by `accounts.markdown`).

The English file needs only its `title`. Why files rather than a text typed in the
admin: a notice is a legal text that states what the code does (who sees what, how long
it is kept); written next to the code, it is reviewed with it, is the same in every
environment and in the tests (each version must fit on one printed page), and its
history is the repository's. `services.publish_information_notices` copies each version
into `InformationNotice` once (on every `migrate`) and refuses a published version whose
text changed: a change is a new version, the published one stays as the youth read it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .enums import NoticePurpose

NOTICE_TEXTS_DIR = Path(__file__).resolve().parent / "notice_texts"
_FILE_NAME = re.compile(r"^v(?P<version>[1-9][0-9]*)\.(?P<language>fr|en)\.md$")
_HEADER = re.compile(r"\A---\n(?P<header>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class NoticeText:
    """One version of a notice as written in its files."""

    purpose: str
    version: int
    published_on: date
    title: str
    body: str
    title_en: str = ""
    body_en: str = ""

    @property
    def sha256(self) -> str:
        """The fingerprint of everything a reader sees: both languages' titles and texts."""
        payload = json.dumps(
            [self.title, self.body, self.title_en, self.body_en], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def _read(path: Path) -> tuple[dict[str, str], str]:
    match = _HEADER.match(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    if not match:
        raise ImproperlyConfigured(f"{path}: the file must start with a '---' header.")
    header = {}
    for line in match["header"].splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise ImproperlyConfigured(f"{path}: header line without ':': {line!r}")
        header[key.strip()] = value.strip()
    body = match["body"].strip() + "\n"
    if not header.get("title") or not body.strip():
        raise ImproperlyConfigured(f"{path}: a notice needs a title and a text.")
    return header, body


def notice_texts(directory: Path = NOTICE_TEXTS_DIR) -> list[NoticeText]:
    """Every version of every notice written in `directory`, by purpose then version.
    A folder or file that is not a known purpose or a `v<N>.<fr|en>.md` name is an
    error, as is a version without its French file or a gap in the numbers: a typo must
    not leave a notice silently unpublished."""
    texts: list[NoticeText] = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        if folder.name not in NoticePurpose.values:
            raise ImproperlyConfigured(f"{folder}: not a purpose of NoticePurpose.")
        files: dict[int, dict[str, Path]] = {}
        for path in folder.iterdir():
            match = _FILE_NAME.match(path.name)
            if not match:
                raise ImproperlyConfigured(f"{path}: expected v<N>.fr.md or v<N>.en.md.")
            files.setdefault(int(match["version"]), {})[match["language"]] = path
        if sorted(files) != list(range(1, len(files) + 1)):
            raise ImproperlyConfigured(f"{folder}: versions must run 1, 2, 3… without a gap.")
        for version in sorted(files):
            if "fr" not in files[version]:
                raise ImproperlyConfigured(f"{folder}: version {version} has no French text.")
            header, body = _read(files[version]["fr"])
            try:
                published_on = date.fromisoformat(header.get("published_on", ""))
            except ValueError as exc:
                raise ImproperlyConfigured(
                    f"{files[version]['fr']}: published_on must be a date (YYYY-MM-DD)."
                ) from exc
            title_en, body_en = "", ""
            if "en" in files[version]:
                header_en, body_en = _read(files[version]["en"])
                title_en = header_en["title"]
            texts.append(
                NoticeText(
                    purpose=folder.name,
                    version=version,
                    published_on=published_on,
                    title=header["title"],
                    body=body,
                    title_en=title_en,
                    body_en=body_en,
                )
            )
    return texts
