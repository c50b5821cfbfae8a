"""The job kinds of the dashboards, found by the jobs app when it starts (in the worker too)."""

from tidtam.dashboards import exports  # noqa: F401  registers the "export" kind
