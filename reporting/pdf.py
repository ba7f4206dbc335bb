"""The portal's one way to make a PDF: a Django template rendered (in French by
default: the documents are handed to French readers), then laid out by WeasyPrint. Used
by the annual review (`review.py`), the information notices (`accounts/views/notices.py`)
and a youth's subject export (`candidates/subject_export.py`).

WeasyPrint fetches the images and stylesheets a page links to. The documents put their
charts inline (`data:` URIs or inline SVG) and their style in the page, so the fetcher
allows `data:` only, with no base URL: a link typed into a text (escaped anyway) or a
template mistake never makes the renderer reach the network or the server's files.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint logs each layout step at INFO: keep the worker's log readable.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

#: The only kind of URL a rendered document may load.
ALLOWED_PROTOCOLS = ("data",)


def render_html(template_name: str, context: dict, *, language: str = "fr") -> str:
    """The document's HTML in `language` (French unless a caller says otherwise)."""
    with translation.override(language):
        return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """Lay out `html` as a PDF, loading nothing but `data:` URIs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def render_pdf(template_name: str, context: dict, *, language: str = "fr") -> bytes:
    """`template_name` rendered with `context` in `language`, as PDF bytes."""
    return html_to_pdf(render_html(template_name, context, language=language))
