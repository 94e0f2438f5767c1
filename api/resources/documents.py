"""Sales orders, invoices and shipments, read-only, and their Send: the same
notification the document's page sends, to the same recipients."""

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.resources.base import Resource, etag_of, key_field
from communications.models import Delivery
from sales import services
from sales.models import DOCUMENT_KINDS, Invoice, SalesDocument, SalesOrder, Shipment

DOCUMENT_FIELDS = [
    "id",
    "number",
    "customer",
    "date",
    "reference",
    "status",
    "contact",
    "contact_name",
    "contact_email",
    "contact_phone",
]
KIND_FIELDS = {"order": ["amount", "currency"], "invoice": ["amount", "currency"]}
KIND_FIELDS["shipment"] = ["carrier", "tracking_code"]


class RecipientSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(help_text=_("Why this address was chosen."))
    status = serializers.ChoiceField(
        choices=Delivery.Status.choices,
        help_text=_(
            "queued: the outbox sends it; suppressed: not sent, the address is "
            "known to be undeliverable."
        ),
    )


class DocumentFilters(serializers.Serializer):
    customer = key_field()
    status = serializers.ChoiceField(
        choices=SalesDocument.Status.choices, required=False
    )


def document_serializer(kind: type[SalesDocument]) -> type[serializers.Serializer]:
    meta = type(
        "Meta",
        (),
        {
            "model": kind,
            "fields": [*DOCUMENT_FIELDS, *KIND_FIELDS[kind.KIND], "created_at"]
            + ["updated_at"],
            "read_only_fields": [*DOCUMENT_FIELDS, *KIND_FIELDS[kind.KIND]],
        },
    )
    return type(
        f"{kind.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": meta, "__doc__": f"A {kind._meta.verbose_name}."},
    )


class DocumentResource(Resource):
    """One kind of document (`model`, set per kind by `document_resource`)."""

    model: type[SalesDocument]
    filter_serializer_class = DocumentFilters
    precondition_actions = frozenset({"send"})
    http_method_names = ["get", "post", "head", "options"]

    def visible(self, user):
        return self.model.objects.order_by("pk")

    def filter_list(self, queryset, filters):
        if "customer" in filters:
            queryset = queryset.filter(customer_id=filters["customer"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset

    @action(detail=True, methods=["post"])
    def send(self, request, *args, **kwargs):
        """Send the document's notification, as Send on its page does: the emails
        are queued in the outbox (202); each recipient's status follows there."""
        tags = self.if_match_tags()
        document = self.get_object()
        with transaction.atomic():
            # Checked under the locks Send takes, in Send's order (its contacts,
            # then the document), so two sends of one version queue one email each.
            deliveries = services.document_send(
                document=document,
                sent_by=request.user,
                precondition=lambda current: self.check_unchanged(
                    self._stored(current), tags
                ),
            )
        document = self.get_queryset().get(pk=document.pk)
        data = self.get_serializer(document).data
        return Response(
            {
                "document": data,
                "recipients": [
                    {
                        "email": delivery.email,
                        "name": delivery.name,
                        "reason": delivery.reason,
                        "status": delivery.status,
                    }
                    for delivery in deliveries
                ],
            },
            status=status.HTTP_202_ACCEPTED,
            headers={"ETag": etag_of(data)},
        )


def _interpolate(text, params) -> str:
    return str(text) % {name: str(value) for name, value in params.items()}


# Translated when the schema is read, in its reader's language.
interpolated = lazy(_interpolate, str)


def document_resource(
    kind: type[SalesDocument], segment: str
) -> type[DocumentResource]:
    """The resource of one kind of document, under /api/v1/<segment>/."""
    name = kind._meta.model_name
    serializer = document_serializer(kind)
    send_result = type(
        f"{kind.__name__}SendResult",
        (serializers.Serializer,),
        {
            "__doc__": "The document as sent, and who it went to.",
            "document": serializer(read_only=True),
            "recipients": RecipientSerializer(many=True, read_only=True),
        },
    )
    names = {"kind": kind._meta.verbose_name, "kinds": kind._meta.verbose_name_plural}
    return extend_schema_view(
        list=extend_schema(
            summary=interpolated(_("List %(kinds)s"), names),
            parameters=[DocumentFilters],
        ),
        retrieve=extend_schema(summary=interpolated(_("Read a %(kind)s"), names)),
        send=extend_schema(
            operation_id=f"{segment}_send",
            summary=interpolated(_("Send a %(kind)s"), names),
            request=None,
            responses={202: send_result},
        ),
    )(
        type(
            f"{kind.__name__}Resource",
            (DocumentResource,),
            {
                "model": kind,
                "queryset": kind.objects.order_by("pk"),
                "serializer_class": serializer,
                "permissions": {
                    "read": ("customers.view_customer", f"sales.view_{name}"),
                    "send": (f"sales.send_{name}",),
                },
                "__doc__": f"{kind._meta.verbose_name_plural.capitalize()}.",
            },
        )
    )


# The URL segment of each kind, as on the pages (/sales/orders/).
SEGMENTS = {SalesOrder: "orders", Invoice: "invoices", Shipment: "shipments"}
DOCUMENT_RESOURCES = {
    kind: document_resource(kind, SEGMENTS[kind]) for kind in DOCUMENT_KINDS
}
