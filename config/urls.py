from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Customer Contacts administration")
admin.site.site_title = _("Customer Contacts admin")


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name none (the admin's)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", RedirectView.as_view(pattern_name="customers:list"), name="home"),
    path(
        "accounts/login/",
        # FormView would answer PUT like an empty POST: only what a browser sends.
        auth_views.LoginView.as_view(
            http_method_names=["get", "post", "head", "options"]
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("customers/", include("customers.urls")),
    path("", include("sales.urls")),
    path("customers/<int:customer_pk>/", include("contacts.urls")),
    path("customers/", include("activity.urls")),
    path("", include("communications.urls")),
    path("contacts/duplicates/", include("contacts.duplicate_urls")),
    path("contacts/export/", include("contacts.export_urls")),
    path("contacts/persons/", include("contacts.person_urls")),
    path("imports/", include("transfers.urls")),
    path("search/", include("search.urls")),
    path("preferences/", include("core.urls")),
    path("api/", include("api.urls")),
    path("", include("privacy.urls")),
    path("admin/", admin.site.urls),
]
