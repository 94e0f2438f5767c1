from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Lists page by an opaque cursor on the primary key, 50 rows a page unless
    `page_size` asks for up to 200. The key is unique and never changes, so a row
    inserted or changed while a client pages never makes another row repeat or go
    missing (offset paging would shift them); rows added after the cursor's
    position show on a later page."""

    ordering = "id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            # A mangled cursor is bad input, not a missing page.
            raise ValidationError(
                {
                    self.cursor_query_param: ValidationError(
                        gettext(
                            "This cursor cannot be read: use the next or previous "
                            "link of a list as it is."
                        ),
                        code="invalid_cursor",
                    )
                }
            ) from error
