"""The product's URLs and a bare Django view beside them, for the serving benchmark only
(bench/serving.py): /bench/bare/ answers "ok" through the whole middleware stack, the speed a
page of the site is compared with. The product's URL configuration never has it."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("tidtam.urls")),
]
