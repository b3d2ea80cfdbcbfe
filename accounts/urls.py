from django.urls import include, path

from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("", views.account, name="account"),
    path("token/", views.token_regenerate, name="account-token"),
    path("login/", views.LoginView.as_view(), name="login"),
    # logout (POST), password change and reset, with our templates.
    path("", include("django.contrib.auth.urls")),
]
