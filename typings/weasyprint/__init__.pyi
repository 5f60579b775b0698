# Type stubs for the small part of WeasyPrint (no type information of its own) that
# planner/pdf.py uses; signatures as in WeasyPrint 70.
from typing import Any

from weasyprint.urls import URLFetcher

__version__: str

class Page:
    width: float
    height: float

class Document:
    pages: list[Page]
    def write_pdf(
        self, target: Any = None, zoom: float = 1, finisher: Any = None, **options: Any
    ) -> bytes: ...

class HTML:
    def __init__(
        self,
        guess: Any = None,
        filename: str | None = None,
        url: str | None = None,
        file_obj: Any = None,
        string: str | None = None,
        encoding: str | None = None,
        base_url: str | None = None,
        url_fetcher: URLFetcher | None = None,
        media_type: str = "print",
    ) -> None: ...
    def render(
        self,
        font_config: Any = None,
        counter_style: Any = None,
        color_profiles: Any = None,
        **options: Any,
    ) -> Document: ...
    def write_pdf(
        self, target: Any = None, zoom: float = 1, finisher: Any = None, **options: Any
    ) -> bytes: ...
