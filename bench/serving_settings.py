"""The production settings with the URLs of bench/serving_urls.py: the serving benchmark
(bench/serving.py) starts gunicorn with DJANGO_SETTINGS_MODULE=serving_settings, bench/ on the
Python path. Nothing else differs from tidtam/settings.py."""

from tidtam.settings import *  # noqa: F403

ROOT_URLCONF = "serving_urls"

# Static files with hashed names, as in production, but not compressed beforehand: no page
# measured is a static file, and brotli takes more than a minute over the fonts at each run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
