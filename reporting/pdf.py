"""The portal's one way from an HTML template to a PDF (WeasyPrint): the annual review,
the information notices. Rendered in a given language (French by default: the PDFs are
documents handed to French readers), without fetching anything: no base URL, so a
template or a text cannot make the renderer reach a file or an address."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint logs each layout step at INFO: keep the worker's log readable.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def render_html(template_name: str, context: dict, *, language: str = "fr") -> str:
    with translation.override(language):
        return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a page of HTML whose styles are inline and whose images are data: URIs
    or inline SVG (no URL is ever fetched)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def render_pdf(template_name: str, context: dict, *, language: str = "fr") -> bytes:
    return html_to_pdf(render_html(template_name, context, language=language))
