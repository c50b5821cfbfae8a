"""The job kind of open data, found by the jobs app when it starts (in the worker too)."""

from tidtam.opendata import package  # noqa: F401  registers the "opendata" kind
