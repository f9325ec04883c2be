from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class User(AbstractUser):
    """A person who signs in: consumer, social worker, reviewer, bureau officer.

    Buyers are known by their mainland mobile number (E.164, unique when set)
    and may have no e-mail address; staff sign in by e-mail and password.
    """

    email = models.EmailField(_("email address"), blank=True, db_index=True)
    # NULL, not "": unique among the users that have one.
    phone = PhoneNumberField(  # noqa: DJ001
        _("mobile number"), blank=True, null=True, unique=True
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")


class SmsNumber(models.Model):
    """One row per number that asked for a code: its row lock serialises that
    number's requests, so that the rate limits hold on every machine."""

    phone_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("SMS number")
        verbose_name_plural = _("SMS numbers")

    def __str__(self) -> str:
        return self.phone_key[:12]


class SmsCode(models.Model):
    """A one-time sign-in code sent by SMS: kept as a keyed hash, valid for
    minutes, used once, dead after too many wrong tries.

    Neither the number nor the address that asked is stored in clear: both
    are keyed hashes, enough to count requests per number and per address.
    """

    phone_key = models.CharField(max_length=64, db_index=True)
    ip_key = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")

    def __str__(self) -> str:
        return f"{self.phone_key[:12]} {self.created_at:%Y-%m-%d %H:%M}"


class OrderPhone(models.Model):
    """The mobile number an order was placed with: the guest's own (not the
    recipient's on the address), by which he claims the order later."""

    order = models.OneToOneField(
        "order.Order",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="buyer_phone",
    )
    phone = PhoneNumberField(_("mobile number"), db_index=True)

    class Meta:
        verbose_name = _("order's mobile number")
        verbose_name_plural = _("orders' mobile numbers")

    def __str__(self) -> str:
        return str(self.order_id)


class OrderLookupFailure(models.Model):
    """A look-up of an order by number and mobile number that found nothing:
    counted per address and per order number, so that nobody can try numbers
    until one fits. Both are kept as keyed hashes, never in clear."""

    ip_key = models.CharField(max_length=64, db_index=True)
    number_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("failed order look-up")
        verbose_name_plural = _("failed order look-ups")

    def __str__(self) -> str:
        return f"{self.number_key[:12]} {self.created_at:%Y-%m-%d %H:%M}"
