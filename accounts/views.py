"""Account pages: sign up, log in (rate-limited), and the account page with the API token.

A share-link guest who signs up or logs in keeps what they did as a guest (guests_claim)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from rest_framework.authtoken.models import Token

from accounts.forms import SignupForm
from accounts.services import api_token_regenerate
from boards.sharing.access import session_guest_ids
from boards.sharing.services import guests_claim


def _login_rate(group: str, request: HttpRequest) -> str:
    return settings.RATELIMIT_LOGIN


# Per address and per username, so neither one address nor a spread of addresses can guess a
# password quickly. A refusal is the 429 page (RATELIMIT_VIEW).
@method_decorator(ratelimit(group="login", key="ip", rate=_login_rate, method="POST"), "dispatch")
@method_decorator(
    ratelimit(group="login", key="post:username", rate=_login_rate, method="POST"), "dispatch"
)
class LoginView(auth_views.LoginView):
    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        guest_ids = session_guest_ids(self.request.session)
        response = super().form_valid(form)
        guests_claim(user=form.get_user(), guest_ids=guest_ids)
        return response


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        guest_ids = session_guest_ids(request.session)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if guests_claim(user=user, guest_ids=guest_ids):
            messages.success(request, _("Welcome to Journeymap! Your cards are now yours."))
        else:
            messages.success(request, _("Welcome to Journeymap! Create your first board below."))
        return redirect(next_url or "home")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/account.html", {"token": token})


@require_POST
@login_required
def token_regenerate(request: HttpRequest) -> HttpResponse:
    api_token_regenerate(user=request.user)
    messages.success(
        request, _("Your new API token is ready. Scripts using the old one must be updated.")
    )
    return redirect("account")
