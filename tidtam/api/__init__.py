"""The open API under /api/v1/: schemas and thin endpoints over the same query methods, access
helpers and page builders as the web pages. Nothing imports it but the URL configuration."""
