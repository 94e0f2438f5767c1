from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.services import api_token_create, api_tokens_revoke


class ApiTokenAddForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"),
        required=False,
        min_value=1,
        help_text=_("Blank: the token does not expire."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "read_only"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: made here (the token is shown once, on the page after Save) and
    revoked here. Only a superuser may make or see the tokens of other users: a
    token acts as its user."""

    list_display = [
        "__str__",
        "user",
        "read_only",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
    ]
    list_filter = ["read_only", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "prefix",
        "read_only",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_at",
    ]
    fields = ["user", "name", "prefix", "read_only", "expires_at"] + [
        "last_used_at",
        "revoked_at",
        "created_at",
    ]

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        if not request.user.is_superuser:
            tokens = tokens.filter(user=request.user)
        return tokens

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
            kwargs["fields"] = ["user", "name", "read_only", "expires_in_days"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "read_only", "expires_in_days"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(
                pk=request.user.pk
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        new = api_token_create(
            user=obj.user,
            name=obj.name,
            read_only=obj.read_only,
            expires_in_days=form.cleaned_data.get("expires_in_days"),
        )
        # The admin goes on with `obj` (its log entry, its answer): it becomes the
        # token the service stored, and carries the secret to `response_add` only.
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(new.token, field.attname))
        obj._state.adding = False
        obj.secret = new.secret

    def response_add(self, request, obj, post_url_continue=None):
        """The token, this once, instead of a redirect: it is stored nowhere, not
        even in a message of the session."""
        return TemplateResponse(
            request,
            "admin/api/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "secret": obj.secret,
                "title": gettext("API token created"),
            },
        )

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request, queryset):
        revoked = api_tokens_revoke(tokens=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d API token was revoked.",
                "%(count)d API tokens were revoked.",
                revoked,
            )
            % {"count": revoked},
            messages.SUCCESS,
        )
