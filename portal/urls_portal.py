from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from portal.access import public, signed_in
from portal.forms import OwnSetPasswordForm
from portal.views import (
    accounts,
    audit,
    calendar,
    dashboard,
    health,
    notifications,
    password,
    personal_data,
    sessions,
    two_factor,
    users,
)
from public.views import pages as public_pages

app_name = "portal"

urlpatterns = [
    path("", public_pages.home, name="home"),
    path("about/", public_pages.about, name="about"),
    path("guide/", public_pages.guide, name="guide"),
    path("favicon.ico", public_pages.favicon, name="favicon"),
    path("health/", health.web, name="health"),
    path("health/worker/", health.worker, name="health_worker"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/change/", password.password_change, name="password_change"),
    path(
        "accounts/password/change/done/",
        signed_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("accounts/password/reset/", password.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                form_class=OwnSetPasswordForm,
                success_url=reverse_lazy("portal:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", two_factor.overview, name="two_factor"),
    path("accounts/two-factor/enrol/", two_factor.enrol, name="two_factor_enrol"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/recovery/", two_factor.recovery_codes, name="two_factor_recovery"),
    path("accounts/sessions/", sessions.session_list, name="sessions"),
    path("accounts/sessions/keepalive/", sessions.keepalive, name="session_keepalive"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("calendar/", calendar.calendar_list, name="calendar_list"),
    path("calendar/<int:pk>/delete/", calendar.calendar_delete, name="calendar_delete"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_all_read, name="notifications_read"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path(
        "personal-data/<slug:kind>/<int:pk>/",
        personal_data.reveal_contact,
        name="reveal_contact",
    ),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("users/<int:pk>/password/", users.user_reset_password, name="user_reset_password"),
]
