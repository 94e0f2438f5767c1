from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from search.selectors import (
    MIN_TEXT_LENGTH,
    MIN_WORD_LENGTH,
    RESULT_LIMIT,
    site_search,
)


class SearchView(PermissionRequiredMixin, TemplateView):
    """The results of the header search (GET ?q=): a page of its own, so it works
    without JavaScript and its address can be shared."""

    permission_required = "customers.view_customer"
    raise_exception = True
    template_name = "search/results.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200]
        kwargs.update(
            results=site_search(query=query, user=self.request.user),
            result_limit=RESULT_LIMIT,
            min_length=MIN_TEXT_LENGTH,
            min_word_length=MIN_WORD_LENGTH,
        )
        return super().get_context_data(**kwargs)
