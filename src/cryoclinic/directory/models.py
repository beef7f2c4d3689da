"""The salon directory: cities, salons, their prices, reviews and the booking requests clients send.

A salon is a listing (its prices cited from a source, `PriceEntry`) until a clinic on the platform claims it and
a platform admin approves the claim (`SalonClaim`); from then on the directory shows the clinic's live price
list (`ClinicPrice`, the clinic's own) beside it. Statistics are computed from cited prices only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import Clinic, ClinicOwned


def validate_procedure(slug: str) -> None:
    """A procedure of the knowledge base; the error names the known ones."""
    from cryoclinic.knowledge.loader import knowledge_base

    known = sorted(knowledge_base().procedures)
    if slug not in known:
        raise ValidationError(
            _("Unknown procedure %(slug)s. Known procedures: %(known)s."),
            params={"slug": repr(slug), "known": ", ".join(known)},
            code="unknown_procedure",
        )


class City(models.Model):
    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str) -> str:
        return self.name_ru if language.startswith("ru") else self.name_en


class Salon(models.Model):
    """A salon of the directory. `name` and `address` are as first listed (the importer's key, never corrected);
    pages show the name and address in the page's language (`name_in`, `address_in`)."""

    class NamesOrigin(models.TextChoices):
        SOURCE_TRANSLATION = "source_translation", _(
            "English as in the source's translation; Russian derived from it by back-transliteration"
        )
        IMPORT = "import", _("as in the imported price list")
        CLINIC = "clinic", _("given by the clinic that runs the salon")
        STAFF = "staff", _("entered by platform staff")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="salons")
    name = models.CharField(
        _("name as listed"),
        max_length=200,
        blank=True,
        help_text=_("as first listed; empty where the source gives none"),
    )
    address = models.CharField(_("address as listed"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    address_ru = models.CharField(_("address (Russian)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    names_origin = models.CharField(
        _("where the names come from"), max_length=20, choices=NamesOrigin.choices, default=NamesOrigin.STAFF
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164; empty where unknown"))
    email = models.EmailField(_("email for booking requests"), blank=True)
    website = models.URLField(_("website"), blank=True)
    clinic = models.ForeignKey(
        Clinic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="salons",
        help_text=_("the clinic account that runs this salon, if any: its requests arrive in the staff area"),
    )

    class Meta:
        ordering = ["city", "name", "address"]
        constraints = [models.UniqueConstraint(fields=["city", "name", "address"], name="salon_unique_in_city")]

    def __str__(self) -> str:
        return self.name or self.address

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directory-salon", args=[self.pk])

    def name_in(self, language: str) -> str:
        """The name in `language`, else in the other language, else as listed."""
        first, second = (self.name_ru, self.name_en) if language.startswith("ru") else (self.name_en, self.name_ru)
        return first or second or self.name

    def address_in(self, language: str) -> str:
        first, second = (
            (self.address_ru, self.address_en) if language.startswith("ru") else (self.address_en, self.address_ru)
        )
        return first or second or self.address

    @property
    def on_platform(self) -> bool:
        """Run by a live clinic of the platform: the directory shows the clinic's own prices and calendar."""
        return self.clinic_id is not None and self.clinic.status == Clinic.Status.ACTIVE  # type: ignore[union-attr]


class PriceEntry(models.Model):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="prices")
    procedure = models.SlugField(_("procedure"))
    amount_rub = models.PositiveIntegerField(_("price, roubles"))
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("empty where the source gives no date"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["procedure", "amount_rub"]
        constraints = [
            models.UniqueConstraint(fields=["salon", "procedure", "source"], name="price_unique_per_source"),
            models.CheckConstraint(condition=Q(amount_rub__gt=0), name="price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.salon}: {self.procedure} {self.amount_rub} ₽"


class ClinicPrice(ClinicOwned):
    """The clinic's own price list: what it offers, at what price. Bookings snapshot it; the directory shows it
    as the live price of the salon the clinic runs."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="prices", editable=False)
    procedure = models.SlugField(_("procedure"), validators=[validate_procedure])
    amount_rub = models.PositiveIntegerField(_("price, roubles"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["procedure"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "procedure"], name="clinic_price_one_per_procedure"),
            models.CheckConstraint(condition=Q(amount_rub__gt=0), name="clinic_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} {self.amount_rub} ₽"


class PendingRow(models.Model):
    """An imported row whose split is ambiguous: staff confirm a reading in the admin. The candidates are stored
    most plausible first, each with its robust z-score (`parsing.rank_readings`): the first is the proposal."""

    source = models.CharField(max_length=200)
    line = models.PositiveIntegerField()
    raw = models.CharField(max_length=500)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="pending_rows")
    procedure = models.SlugField()
    name = models.CharField(max_length=200, blank=True)
    candidates = models.JSONField(
        help_text=_("the possible readings, most plausible first: [{address, price_rub, robust_z}]")
    )
    resolved_salon = models.ForeignKey(Salon, null=True, blank=True, on_delete=models.SET_NULL)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["source", "line"]
        constraints = [models.UniqueConstraint(fields=["source", "raw"], name="pending_row_unique")]

    def __str__(self) -> str:
        return f"{self.source}:{self.line} {self.raw}"


class Review(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="reviews")
    # The clinic that ran the salon when the client rated it: one verified rating per client and clinic.
    rated_clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="salon_reviews")
    stars = models.PositiveSmallIntegerField(_("stars"))
    text = models.TextField(_("review"), max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["salon", "author"], name="review_one_per_client_per_salon"),
            models.UniqueConstraint(
                fields=["rated_clinic", "author"], condition=Q(rated_clinic__isnull=False),
                name="review_one_per_client_per_clinic",
            ),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="review_stars_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.salon}: {self.stars}★ by {self.author}"


class BookingRequest(models.Model):
    """A client's request to a salon: a lead in the clinic's staff area, or an email to the salon."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        CLOSED = "closed", _("closed")

    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="booking_requests")
    procedure = models.SlugField(_("procedure"))
    name = models.CharField(_("your name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    preferred_date = models.DateField(_("preferred date"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    language = models.CharField(max_length=8, default="ru")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.salon}: {self.name} {self.phone}"


class SalonClaim(models.Model):
    """A clinic's request to run a salon of the directory, with the names and addresses it corrects; a platform
    admin approves or rejects it (`claims.py`). At most one claim per salon waits for a decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting a decision")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="claims")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="salon_claims")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    address_ru = models.CharField(_("address (Russian)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["salon"], condition=Q(status="pending"), name="salon_claim_one_pending_per_salon"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]), name="salon_claim_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="salon_claim_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.salon} ← {self.clinic} ({self.get_status_display()})"
