# The part of pydyf (WeasyPrint's PDF writer) that planner.pdf touches: the page references
# it memoizes.
from typing import Any

class Dictionary(dict[str, Any]): ...

class PDF:
    pages: Dictionary
    @property
    def page_references(self) -> tuple[bytes, ...]: ...
    def add_page(self, page: Dictionary) -> None: ...
