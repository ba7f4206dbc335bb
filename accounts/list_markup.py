"""What every list page writes around its rows, written in Python: the export links
("Exporter cette liste : CSV · XLSX"), the pages' navigation ("Précédente · Page 2
sur 40 · Suivante") and its filter form's buttons ("Filtrer · Effacer les filtres").
`{% export_links %}`, `{% pagination %}` and `{% filter_actions %}` (portal_lists)
write them; so do the views that write a list's results themselves.

Through an included template they took a dozen template nodes each (an include with its
own context, a loop, translations, conditions): about 0.15 ms each of a list's page,
for a few hundred bytes. The markup is the templates' own, element for element
(`tests/accounts/test_list_markup.py` compares them): the translations are the
catalogue's, escaped as `{% translate %}` escapes them; every value (a link, a format,
the filters of the page's query string) is escaped as Django's `escape` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def export_links_markup(links: Iterable[Mapping[str, str]], label) -> SafeString:
    """A list's download links (`reporting.exports.export_links`: a format and a URL
    each), each named for screen readers "`label` au format CSV". `label` is escaped
    unless already safe (a `{% translate ... as label %}` is)."""
    label = conditional_escape(label)
    spoken = gettext("%(list)s au format %(format)s")
    written = []
    for link in links:
        fmt = escape(str(link["format"]))
        written.append(
            f'<a href="{escape(str(link["url"]))}" download>{fmt}'
            f'<span class="visually-hidden"> · {spoken % {"list": label, "format": fmt}}'
            "</span></a>"
        )
    intro = escape(gettext("Exporter cette liste :"))
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<p class="small mb-0 export-links">{intro}\n{" · ".join(written)}</p>\n'
    )


def pagination_markup(page, query: str = "", hx_target: str = "") -> SafeString:
    """The navigation between a list's pages (nothing for a list of one page): the
    previous and next pages' links, keeping the list's filters (`query`, its query
    string without the page, `accounts.pagination.filters_query`), and where the page
    stands. With `hx_target` (a CSS selector) the links swap that element in place and
    push the URL, and still work without JavaScript."""
    if not page.has_other_pages():
        return mark_safe("\n")
    prefix = f"?{escape(query)}&amp;page=" if query else "?page="
    target = escape(hx_target)

    def link(number: int, text: str) -> str:
        address = f"{prefix}{number}"
        swap = f' hx-get="{address}" hx-target="{target}" hx-push-url="true"' if target else ""
        return (
            f'<li class="page-item"><a class="page-link" href="{address}"{swap}>'
            f"{escape(text)}</a></li>"
        )

    previous = (
        link(page.previous_page_number(), gettext("Précédente")) if page.has_previous() else ""
    )
    following = link(page.next_page_number(), gettext("Suivante")) if page.has_next() else ""
    where = gettext("Page %(n)s sur %(total)s") % {
        "n": page.number,
        "total": page.paginator.num_pages,
    }
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'\n<nav aria-label="{escape(gettext("Pages de résultats"))}">\n'
        '  <ul class="pagination">\n'
        f"    {previous}\n"
        '    <li class="page-item active" aria-current="page">'
        f'<span class="page-link">{where}</span></li>\n'
        f"    {following}\n"
        "  </ul>\n"
        "</nav>\n\n"
    )


def filter_actions_markup(clear_url: str, indicator: str = "") -> SafeString:
    """The buttons under a list's filters: submit them, clear them (`clear_url`, the
    list without filters) and, for a form that swaps the results with htmx, the loading
    indicator `indicator` (its element's id)."""
    loading = (
        f'\n    <span id="{escape(indicator)}" class="htmx-indicator small '
        f'text-body-secondary">{escape(gettext("Chargement…"))}</span>'
        if indicator
        else ""
    )
    return mark_safe(  # noqa: S308 (every value escaped here)
        '<div class="d-flex gap-2 align-items-center">\n'
        f'    <button class="btn btn-outline-primary" type="submit">{escape(gettext("Filtrer"))}'
        "</button>\n"
        f'    <a class="btn btn-link" href="{escape(clear_url)}">'
        f"{escape(gettext('Effacer les filtres'))}</a>{loading}\n"
        "  </div>"
    )
