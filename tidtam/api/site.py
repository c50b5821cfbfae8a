"""The API's front door: version 1, its documentation page and its routers."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger

from tidtam.api import kpis, plans, projects, reference, reports
from tidtam.api.errors import install_handlers
from tidtam.api.security import RateLimit, TokenAuth

DESCRIPTION = """\
The records of Tidtam, read as the web pages show them, and written through the same rules and
workflow as the web pages.

Without a token the API answers what the public pages show, and writes nothing. With a
personal API token (created on the "API tokens" page of your account, sent as
`Authorization: Bearer <token>`) it answers what you see when signed in, and writes what your
role lets you write on the pages: officers enter projects, plans, monthly reports and KPI
results; approvers approve or return them; evaluators score.

Fiscal years are Buddhist-Era years (2569); dates are ISO 8601. A record changed since you read
it (its `version`) is refused with 409 and nothing is written.

Errors have one shape: `{"error": {"code", "message", "fields"}}`; messages are in Thai, or
in English with `?lang=en` or `Accept-Language: en`. Requests are limited per minute, per
token or per address without one (429 with a Retry-After header).
"""


class TidtamAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """A token is optional: every operation also answers without one (as the public)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                if "security" in operation and {} not in operation["security"]:
                    operation["security"].append({})
        return schema


api = TidtamAPI(
    title="Tidtam API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[RateLimit()],
    # Swagger UI from django-ninja's own static files; the online validator badge would
    # reach outside.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
api.add_router("", projects.router)
api.add_router("", kpis.router)
api.add_router("", reference.router)
api.add_router("", plans.router)
api.add_router("", reports.router)
