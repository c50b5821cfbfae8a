"""The job kinds of the dashboards, found by the jobs app when it starts (in the worker too)."""

from tidtam.dashboards import (
    book_pdf,  # noqa: F401  registers the "book" kind
    exports,  # noqa: F401  registers the "export" kind
)
