"""What every resource shares, so a resource declares only its own part.

A resource is a `Resource` (a DRF GenericViewSet) with:

- `queryset` or `visible(user)`: the objects of the pages the user may open;
- `serializer_class`: its representation and the shape of its input (types and
  lengths, as a form checks); the rules stay in the services;
- `permissions`: the model permissions the pages check, by action: `read` for every
  request, plus one entry per write action (`create`, `partial_update`, `destroy`,
  or an `@action`);
- `filter_serializer_class` and `filter_list()`: the list's query parameters;
- for writes, the mixins below and `create_object`, `update_object`,
  `delete_object` calling the services, and `lock` (the rows the services lock, in
  their order) so the If-Match check and the write see one version of the object.

Authentication (bearer tokens), the permissions, the rate limit, cursor paging and
the errors are the project-wide DRF settings (config/settings/base.py).
"""

import hashlib
import json
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.serializers import IntegerField
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.viewsets import GenericViewSet

from api.errors import PreconditionFailed, PreconditionRequired
from core.middleware import REFUSES_UNUSABLE_CHARACTERS
from core.validators import find_unusable_character, unusable_character_error


def api_view(view):
    """A view of the API: a token, not the session, lets a program in (the
    sign-in page is no way in for it), and it refuses control characters in its
    address itself, in JSON (core.middleware.UnusableCharactersMiddleware)."""
    view = login_not_required(view)
    setattr(view, REFUSES_UNUSABLE_CHARACTERS, True)
    return view


def refuse_unusable_characters(query) -> None:
    """The rule of core.validators for every parameter's name and value."""
    for name, values in query.lists():
        for text in (name, *values):
            if problem := find_unusable_character(text):
                raise ValidationError({name: unusable_character_error(problem)})


# The largest primary key (BigAutoField).
MAX_KEY = 2**63 - 1


def key_field(**kwargs):
    """A query parameter naming an object by its key."""
    return IntegerField(required=False, min_value=1, max_value=MAX_KEY, **kwargs)


def keep_customer(instance, data: dict, message) -> None:
    """Take `customer` out of a change's data, refusing a move to another: what
    belongs to one customer stays with it."""
    customer = data.pop("customer", None)
    if customer is not None and customer.pk != instance.customer_id:
        raise ValidationError(
            {"customer": ValidationError(message, code="customer_fixed")}
        )


READ_ACTIONS = frozenset({None, "list", "retrieve", "metadata"})


def etag_of(representation: dict) -> str:
    """A strong ETag: the hash of the object's representation, so it changes when
    anything the client was shown changes, and only then."""
    body = json.dumps(
        representation, cls=JSONEncoder, sort_keys=True, separators=(",", ":")
    )
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:40] + '"'


class Resource(GenericViewSet):
    permissions: dict[str, tuple[str, ...]] = {"read": ()}
    filter_serializer_class = None
    lookup_value_regex = "[0-9]+"
    # The actions that change an existing object: If-Match is required.
    precondition_actions: frozenset[str] = frozenset({"partial_update", "destroy"})

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return api_view(super().as_view(actions, **initkwargs))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unusable_characters(request.query_params)

    def required_permissions(self) -> list[str]:
        required = list(self.permissions["read"])
        if self.action not in READ_ACTIONS:
            required += self.permissions[self.action]
        return required

    def visible(self, user):
        """The objects this user sees in the pages."""
        return self.queryset.all()

    def get_queryset(self):
        return self.visible(self.request.user)

    def get_object(self):
        # A key past the database's integers is no row: not an overflow.
        if int(self.kwargs[self.lookup_field]) > MAX_KEY:
            raise NotFound()
        return super().get_object()

    def filter_queryset(self, queryset):
        if self.action != "list" or self.filter_serializer_class is None:
            return queryset
        filters = self.filter_serializer_class(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return self.filter_list(queryset, filters.validated_data)

    def filter_list(self, queryset, filters: dict[str, Any]):
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        return self.object_response(self.get_object())

    # Writes.

    def object_response(self, instance, *, status_code=status.HTTP_200_OK, extra=None):
        """The object as stored now, read again through `get_queryset` (with what
        the representation reads), with its ETag. `extra` adds fields that are
        about this answer, not the object (warnings), outside the ETag."""
        instance = self.get_queryset().get(pk=instance.pk)
        data = self.get_serializer(instance).data
        headers = {"ETag": etag_of(data)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.reverse_action("detail", args=[instance.pk])
        return Response({**data, **(extra or {})}, status=status_code, headers=headers)

    def lock(self, instance):
        """Lock what the write will change, in the services' order, and return the
        object as stored now. Override where the services lock another row first
        (a contact detail's customer)."""
        model = type(instance)
        stored = model._default_manager.select_for_update().filter(pk=instance.pk)
        return self._stored(stored.first())

    def _stored(self, instance):
        if instance is None:
            raise NotFound()
        return self.get_queryset().get(pk=instance.pk)

    def locked_object(self):
        """The object of the URL, locked, after checking If-Match against its
        current ETag: 428 without the header, 412 when it no longer matches."""
        tags = self.if_match_tags()
        instance = self.lock(self.get_object())
        self.check_unchanged(instance, tags)
        return instance

    def if_match_tags(self) -> set[str]:
        """The ETags the write's If-Match accepts; 428 without one."""
        header = self.request.headers.get("If-Match", "").strip()
        # "*" would match any version: exactly the overwrite If-Match is for.
        if not header or header == "*":
            raise PreconditionRequired()
        return {tag.strip() for tag in header.split(",")}

    def check_unchanged(self, instance, tags: set[str]) -> None:
        """412 when the object as stored (and locked) now has another ETag."""
        if etag_of(self.get_serializer(instance).data) not in tags:
            raise PreconditionFailed()


class CreateMixin:
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance, extra = self.create_object(serializer.validated_data)
        return self.object_response(
            instance, status_code=status.HTTP_201_CREATED, extra=extra
        )

    def create_object(self, data: dict) -> tuple[Any, dict | None]:
        raise NotImplementedError


class UpdateMixin:
    # PATCH: the fields given change, the others stay (no PUT).
    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            instance, extra = self.update_object(instance, serializer.validated_data)
        return self.object_response(instance, extra=extra)

    def update_object(self, instance, data: dict) -> tuple[Any, dict | None]:
        raise NotImplementedError


class DestroyMixin:
    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.delete_object(self.locked_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def delete_object(self, instance) -> None:
        raise NotImplementedError
