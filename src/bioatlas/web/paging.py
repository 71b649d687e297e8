"""Links between the pages of a list: the same address with the same filters, another page number."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request


def page_url(request: Request, page: int, parameter: str = "page") -> str:
    """This address with every filter kept and `parameter` set to `page`."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != parameter]
    return request.url.path + "?" + urlencode([*kept, (parameter, str(page))])


def page_links(request: Request, page: int, pages: int) -> dict[str, str | None]:
    """Previous and next page, and the first page when `page` is past the last one (a link kept while the list
    shrank): None where there is no such page."""
    return {
        "prev": page_url(request, min(page - 1, pages)) if page > 1 else None,
        "next": page_url(request, page + 1) if page < pages else None,
        "first": page_url(request, 1) if page > pages else None,
    }


__all__ = ["page_links", "page_url"]
