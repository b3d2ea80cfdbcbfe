from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("boards.urls")),
    path("", include("journeydata.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/", include("journeydata.api.urls")),
    # Before boards.api.urls, whose catch-all answers unknown /api/ paths.
    path("api/", include("history.urls")),
    path("api/", include("workshops.urls")),
    path("api/", include("boards.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
