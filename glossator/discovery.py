"""Files for other programs and for finding things: feeds, sitemap and search.

Each text's W3C annotations are rendered with its page (:func:`glossator.render.render_text_pages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import jinja2

from glossator.document import Document
from glossator.feeds import feed_pages
from glossator.model import KIND_LABELS, Anchor, Page, Project
from glossator.search import PAGE, listings, search_data
from glossator.sharing import search_page_meta


def discovery_pages(
    env: jinja2.Environment, project: Project, documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]
) -> list[Page]:
    """The feeds, the sitemap, the search page and its data."""
    config = project.config
    pages = feed_pages(env, config, documents, anchors)
    search = env.get_template("search.html").render(
        root="../", texts=listings(documents, anchors), labels=KIND_LABELS, meta=search_page_meta(config)
    )
    pages += [Page(PAGE, search.encode("utf-8")), search_data(documents, anchors)]
    return pages
