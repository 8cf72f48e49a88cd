"""Root URL configuration: the admin, and everything else from the cables app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cables.urls")),
]
