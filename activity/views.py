from django.views.generic import TemplateView

from activity import selectors
from core.history import tracked_model, tracked_models
from customers.pages import CustomerPageMixin


class ActivityView(CustomerPageMixin, TemplateView):
    """The customer's Activity tab: every change to its data, newest first."""

    permission_required = ("customers.view_customer", "activity.view_activity_log")
    template_name = "activity/activity_list.html"
    active_tab = "activity"

    def get_context_data(self, **kwargs):
        kind = self.request.GET.get("kind", "")
        if tracked_model(kind) is None:
            kind = ""
        users = selectors.customer_activity_users(customer_id=self.customer.pk)
        user = self.request.GET.get("user", "")
        if user != selectors.SYSTEM and user not in {str(u.pk) for u in users}:
            user = ""
        page_obj = selectors.customer_activity_page(
            customer_id=self.customer.pk,
            kind=kind,
            user=user,
            page=self.request.GET.get("page"),
            users=users,
            reader=self.request.user,
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        kwargs.update(
            page_obj=page_obj,
            entries=page_obj.object_list,
            kinds=[(tracked.key, tracked.label) for tracked in tracked_models()],
            users=[(str(u.pk), selectors.user_display_name(u)) for u in users],
            selected_kind=kind,
            selected_user=user,
            filtered=bool(kind or user),
            filter_query=query.urlencode(),
        )
        return super().get_context_data(**kwargs)
