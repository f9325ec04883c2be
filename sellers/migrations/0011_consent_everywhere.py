"""Consent binds every public surface.

- The consent in force is mirrored on each household (display level, village,
  photos); a household without one is anonymous.
- Public codes are random: the old, surname-built slug becomes the staff
  nickname; story pages, partners, SKUs and order lines follow the new code.
  Old URLs answer 404.
- Product titles, descriptions and slugs (and the titles kept on order lines)
  lose the household's names and village; the product page shows the
  household beside the product instead. The product attribute that copied
  the village onto each product is gone.
- A live story whose text names what its household's consent withholds goes
  offline, to be reviewed again (as HouseholdStoryPage.clean now requires).
"""

import json
import re
import secrets

from django.db import migrations, models

CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
EMPTY_BRACKETS = re.compile(r"[（(]\s*[)）]")


def strip_terms(text: str, terms) -> str:
    for term in terms:
        text = text.replace(term, "")
    text = EMPTY_BRACKETS.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ·-—")


def forwards(apps, schema_editor):
    from oscar.core.utils import slugify

    Household = apps.get_model("sellers", "Household")
    HouseholdRecord = apps.get_model("sellers", "HouseholdRecord")
    Consent = apps.get_model("sellers", "Consent")
    Partner = apps.get_model("partner", "Partner")
    StockRecord = apps.get_model("partner", "StockRecord")
    Product = apps.get_model("catalogue", "Product")
    ProductAttribute = apps.get_model("catalogue", "ProductAttribute")
    Line = apps.get_model("order", "Line")
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    StoryPage = apps.get_model("storefront", "HouseholdStoryPage")

    page_type = ContentType.objects.filter(
        app_label="wagtailcore", model="page"
    ).first()
    codes = set(Household.objects.values_list("slug", flat=True))
    for household in Household.objects.all():
        consent = Consent.objects.filter(household=household, withdrawn_at=None).first()
        scope = set(consent.scope) if consent else set()
        household.display_level = consent.display_level if consent else "anonymous"
        household.shows_village = "village" in scope
        household.shows_photo = "photos" in scope

        old = household.slug
        code = old
        while code in codes:
            code = "h" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))
        codes.add(code)
        household.nickname = household.nickname or old[:40]
        household.slug = code
        household.save()
        Partner.objects.filter(pk=household.partner_id).update(name=code, code=code)
        Line.objects.filter(partner_id=household.partner_id).update(partner_name=code)
        for stockrecord in StockRecord.objects.filter(
            partner_id=household.partner_id, partner_sku__startswith=f"{old}-"
        ):
            stockrecord.partner_sku = code + stockrecord.partner_sku[len(old) :]
            stockrecord.save(update_fields=["partner_sku"])

        record = HouseholdRecord.objects.filter(household=household).first()
        withheld = [record.legal_name] if record and record.legal_name else []
        if household.display_level not in ("given_name", "full_story"):
            withheld.append(household.public_name)
        if not household.shows_village:
            withheld.append(household.village)
        withheld = [term for term in withheld if term]

        story = StoryPage.objects.filter(household=household).first()
        if story is not None:
            text = json.dumps(
                [story.title, story.seo_title, story.search_description]
                + [story.summary, story.body.get_prep_value()],
                ensure_ascii=False,
            )
            if story.live and any(term in text for term in withheld):
                Page.objects.filter(pk=story.pk).update(
                    live=False, has_unpublished_changes=True
                )
            url_path = story.url_path.rstrip("/").rsplit("/", 1)[0] + f"/{code}/"
            Page.objects.filter(pk=story.pk).update(slug=code, url_path=url_path)
            # Publishing an old revision must not bring the old slug back.
            for revision in Revision.objects.filter(
                base_content_type=page_type, object_id=str(story.pk)
            ):
                revision.content["slug"] = code
                revision.content["url_path"] = url_path
                revision.save(update_fields=["content"])

        terms = [
            term
            for term in (
                household.public_name,
                household.village,
                record.legal_name if record else "",
            )
            if term
        ]
        product_ids = StockRecord.objects.filter(
            partner_id=household.partner_id
        ).values_list("product_id", flat=True)
        for product in Product.objects.filter(pk__in=list(product_ids)):
            title = strip_terms(product.title, terms) or product.title
            description = strip_terms(product.description, terms)
            if (title, description) != (product.title, product.description):
                product.title = title
                product.description = description
                product.slug = slugify(title)
                product.save(update_fields=["title", "description", "slug"])
        for line in Line.objects.filter(partner_id=household.partner_id):
            title = strip_terms(line.title, terms) or line.title
            if title != line.title:
                line.title = title
                line.save(update_fields=["title"])

    ProductAttribute.objects.filter(
        product_class__slug="produce", code="origin_village"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0010_summaries"),
        ("storefront", "0004_story_workflow_and_permissions"),
        ("catalogue", "0034_product_import"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("partner", "0007_partneraddress_code"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="nickname",
            field=models.CharField(
                blank=True,
                help_text=(
                    "How the social workers tell this household apart in the "
                    "workspace; never shown to the public."
                ),
                max_length=40,
                verbose_name="staff nickname",
            ),
        ),
        migrations.AddField(
            model_name="household",
            name="shows_photo",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="photos may be shown"
            ),
        ),
        migrations.AddField(
            model_name="household",
            name="shows_village",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="village may be shown"
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="display_level",
            field=models.CharField(
                choices=[
                    ("anonymous", "Anonymous"),
                    ("village", "Village only"),
                    ("given_name", "Given name"),
                    ("full_story", "Full story"),
                ],
                default="anonymous",
                editable=False,
                max_length=20,
                verbose_name="display level",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="slug",
            field=models.SlugField(
                allow_unicode=True, max_length=80, unique=True, verbose_name="code"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
