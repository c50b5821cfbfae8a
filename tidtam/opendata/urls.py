from django.urls import path

from tidtam.opendata import views
from tidtam.opendata.feeds import AgencyFeed, DistrictFeed, ProjectFeed

urlpatterns = [
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<number:year>/", views.open_data_package, name="open-data-package"),
    path("feeds/projects/<str:code>/", ProjectFeed(), name="feed-project"),
    path("feeds/agencies/<path:code>/", AgencyFeed(), name="feed-agency"),
    path("feeds/districts/<path:code>/", DistrictFeed(), name="feed-district"),
]
