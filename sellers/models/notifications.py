"""What the local SMS sink received (make run and the tests): no SMS leaves."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock


class SmsMessage(models.Model):
    """One text the local sink (sellers.notifications.SmsSink) took instead of
    the provider, as the recipient would have read it."""

    phone = models.CharField(_("mobile number"), max_length=32)
    event = models.CharField(_("event"), max_length=64)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SMS message (local)")
        verbose_name_plural = _("SMS messages (local)")

    def __str__(self) -> str:
        return self.event
