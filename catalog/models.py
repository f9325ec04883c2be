from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sellers.models import PrivateStorage


class ProductCertificate(models.Model):
    """A consumption-assistance product certificate (消费帮扶产品认定) of a product.

    The storefront shows its badge only between valid_from and valid_until;
    the evidence (a scan) is private.
    """

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=60)
    issuer = models.CharField(_("issuing body"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evidence = models.FileField(
        _("evidence"),
        storage=PrivateStorage(),
        upload_to="certificates/%Y/",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product certificate")
        verbose_name_plural = _("product certificates")
        ordering = ["-valid_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="certificate_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="certificate_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.number}"


# Oscar's models are imported last so that any model defined above replaces
# Oscar's default of the same name.
from oscar.apps.catalogue.models import *  # noqa: E402,F403
