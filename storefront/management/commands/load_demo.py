"""Load the demo store once: agency, 16 households, stories, produce, logins
and (against the local Stripe server) four months of sales history."""

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from catalog import services as catalog_services
from sellers.consent.services import consent_record
from sellers.households.services import (
    bureau_officer_grant,
    caseload_assign,
    household_create,
    membership_grant,
)
from sellers.models import (
    DisplayLevel,
    Household,
    MemberRole,
    Organisation,
    PickupPoint,
)
from storefront.demo import data, history, preorders
from storefront.demo.images import draw_photo
from storefront.demo.plans import plans_load
from storefront.models import (
    AfterSalesPage,
    HomePage,
    HouseholdIndexPage,
    HouseholdStoryPage,
    StandardPage,
)

DEMO_PASSWORD = "bangfu-demo-2026"
DEMO_ACCOUNTS = [
    # (username, e-mail, role shown to the newcomer)
    ("admin", "admin@bangfu.example", "administrator"),
    ("consumer", "consumer@bangfu.example", "consumer"),
    ("social", "social@bangfu.example", "social worker (households 1–8)"),
    ("social2", "social2@bangfu.example", "social worker (households 9–16)"),
    ("reviewer", "reviewer@bangfu.example", "organisation reviewer"),
    ("orgadmin", "orgadmin@bangfu.example", "organisation administrator (caseloads)"),
    ("bureau", "bureau@bangfu.example", "bureau officer (read-only)"),
    (
        "household",
        "household@bangfu.example",
        "household login (罗大哥, household 1)",
    ),
]
# The agency posts the parcels of these households (they keep no delivery fee).
AGENCY_SHIPS_FROM = 12


class Command(BaseCommand):
    help = "Load the demo store (idempotent: does nothing if it is already loaded)."

    def handle(self, *args, **options):
        if Organisation.objects.filter(slug=data.ORGANISATION["slug"]).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                self.load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.load_history()
        self.load_preorders()
        self.print_logins()

    def workers(self) -> dict:
        """Each demo household's id → its social worker."""
        organisation = Organisation.objects.get(slug=data.ORGANISATION["slug"])
        return {
            household.pk: household.partner.users.filter(
                memberships__organisation=organisation,
                memberships__role=MemberRole.SOCIAL_WORKER,
            ).first()
            for household in organisation.households.select_related("partner")
        }

    def load_preorders(self):
        """The fish households' pre-order season (paid and refunded through
        Stripe, so only against the local server, as the history)."""
        if preorders.preorder_season_exists():
            return
        if not settings.STRIPE_API_BASE.startswith("http://127.0.0.1"):
            return
        counts = preorders.preorder_season_load(
            today=timezone.localdate(), workers=self.workers()
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo pre-order season: {offers} offers, {orders} pre-orders, "
                "{settled} settled by weight.".format(**counts)
            )
        )

    def load_history(self):
        """Past sales for the bureau's report and the impact page: only
        against the local Stripe-compatible server `make run` starts."""
        if history.history_exists():
            return
        if not settings.STRIPE_API_BASE.startswith("http://127.0.0.1"):
            self.stdout.write(
                "No demo sales history: it is written only against the local "
                "Stripe server that `make run` starts."
            )
            return
        workers = self.workers()
        counts = history.history_load(today=timezone.localdate(), workers=workers)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo sales history (orders numbered DEMO-…): {orders} orders, "
                "{cancelled} parcels cancelled, {part_refunded} partly "
                "refunded, {payouts} payouts.".format(**counts)
            )
        )

    def print_logins(self):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for _username, email, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role}")

    def load(self):
        organisation = Organisation.objects.create(**data.ORGANISATION)
        for point in data.PICKUP_POINTS:
            PickupPoint.objects.create(organisation=organisation, **point)
        users = self.create_users(organisation)
        categories = {name: create_from_breadcrumbs(name) for name in data.CATEGORIES}
        home, index = self.create_pages()
        planned, workers = [], []
        for number, row in enumerate(data.HOUSEHOLDS):
            household = self.create_household(organisation, row, number)
            if number == 0:
                household.account = users["household"]
            household.ships_itself = number < AGENCY_SHIPS_FROM
            household.save(update_fields=["account", "ships_itself"])
            social_worker = users["social"] if number < 8 else users["social2"]
            caseload_assign(household=household, social_worker=social_worker)
            for offer_number, (kind, stock) in enumerate(row[6]):
                self.create_product(
                    household,
                    social_worker,
                    kind,
                    stock,
                    categories,
                    seed=number * 10 + offer_number,
                )
            self.record_consent(household, social_worker, row[2])
            self.create_story(index, household, row)
            planned.append((household, row))
            workers.append(social_worker)
        plans_load(households=planned, workers=workers, today=timezone.localdate())

    def create_users(self, organisation):
        User = get_user_model()
        users = {}
        for username, email, _role in DEMO_ACCOUNTS:
            user = User.objects.create_user(
                username=username, email=email, password=DEMO_PASSWORD
            )
            users[username] = user
        admin = users["admin"]
        admin.is_staff = admin.is_superuser = True
        admin.save()
        for username in ("social", "social2"):
            membership_grant(
                user=users[username],
                organisation=organisation,
                role=MemberRole.SOCIAL_WORKER,
            )
        membership_grant(
            user=users["reviewer"], organisation=organisation, role=MemberRole.REVIEWER
        )
        membership_grant(
            user=users["orgadmin"],
            organisation=organisation,
            role=MemberRole.ADMINISTRATOR,
        )
        bureau_officer_grant(user=users["bureau"])
        return users

    def create_pages(self):
        root = Page.get_first_root_node()
        welcome = Page.objects.filter(depth=2, slug="home").first()
        if welcome is not None:
            # Sibling slugs must be unique until the default page is gone.
            welcome.slug = "wagtail-welcome"
            welcome.save(update_fields=["slug"])
        home = HomePage(
            title="帮扶集市：买农户自家的鱼和菜",
            slug="home",
            intro="重庆渝北统景镇西新村的十六户农户，养鱼、养鸡、种菜。社工帮他们把农产品卖到城里，每一笔钱都记到农户名下。",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home
        site.site_name = "帮扶集市"
        site.save()
        if welcome is not None:
            welcome.delete()
        index = HouseholdIndexPage(
            title="农户故事",
            slug="households",
            intro="认识每一户农户：他们的鱼塘、鸡舍和菜地，以及社工为他们写下的故事。",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        about = StandardPage(
            title="关于帮扶集市",
            slug="about",
            body=[
                (
                    "paragraph",
                    RichText(
                        "<p>帮扶集市源自渝北区的一次消费帮扶：社工为西新村16户困难家庭制定销售方案，"
                        "通过微信和抖音卖鱼和农产品，四天为他们增收四千多元。</p>"
                        "<p>我们把这件事做成一个人人可用的商店：社工替农户上架、讲故事、发货，"
                        "民政局看到每户增收多少。</p>"
                    ),
                )
            ],
        )
        home.add_child(instance=about)
        about.save_revision().publish()
        after_sales = AfterSalesPage(
            title=data.AFTER_SALES["title"],
            slug=data.AFTER_SALES["slug"],
            body=[
                (kind, RichText(value) if kind == "paragraph" else value)
                for kind, value in data.AFTER_SALES["body"]
            ],
        )
        home.add_child(instance=after_sales)
        after_sales.save_revision().publish()
        return home, index

    def create_household(self, organisation, row, number):
        (
            nickname,
            public_name,
            _level,
            legal_name,
            members,
            category,
            _offers,
            intro,
            _story,
        ) = row
        household = household_create(
            organisation=organisation,
            nickname=nickname,
            legal_name=legal_name,
            public_name=public_name,
            district=data.DISTRICT,
            town=data.TOWN,
            village=data.VILLAGE,
            introduction=intro,
            record={
                "members": members,
                "assistance_category": category,
                "id_number": f"50011219{60 + number:02d}0101{1000 + number:04d}",
                "phone": f"1390000{1000 + number:04d}",
                "address": f"{data.TOWN}{data.VILLAGE}{number + 1}组{number + 3}号",
            },
        )
        household.photo = self.wagtail_image(
            f"household-{household.slug}", "household", number
        )
        household.save(update_fields=["photo"])
        return household

    def wagtail_image(self, title, kind, seed):
        image = get_image_model()(title=title)
        image.file = ImageFile(io.BytesIO(draw_photo(kind, seed)), name=f"{title}.jpg")
        image.save()
        return image

    def create_product(self, household, social_worker, kind, stock, categories, seed):
        """List a product as the household's social worker does, through the
        catalogue's service."""
        category_name, unit, price, drawing = data.PRODUCE[kind]
        # The household is shown beside its product, as far as it consented:
        # never in the product's own title or text.
        return catalog_services.product_list_for_household(
            household=household,
            acting_user=social_worker,
            title=kind,
            category=categories[category_name],
            unit=unit,
            price=price,
            available=stock,
            harvest_date=timezone.localdate() - datetime.timedelta(days=3),
            description=f"农户自产的{kind}，社工代为发货。",
            photo=ContentFile(
                draw_photo(drawing, seed), name=f"{household.slug}-{seed}.jpg"
            ),
        )

    def record_consent(self, household: Household, social_worker, level: str):
        """The consent each demo household signed (a stand-in scan): named
        households also agreed to their photos."""
        scope = {
            DisplayLevel.ANONYMOUS: ["story"],
            DisplayLevel.VILLAGE: ["story", "village"],
            DisplayLevel.GIVEN_NAME: ["story", "village", "name", "photos"],
            DisplayLevel.FULL_STORY: ["story", "village", "name", "photos"],
        }[level]
        consent_record(
            household=household,
            acting_user=social_worker,
            display_level=level,
            scope=scope,
            given_on=timezone.localdate() - datetime.timedelta(days=10),
            signed_form=ContentFile(
                b"%PDF-1.4\n% demo consent form\n", name="consent.pdf"
            ),
            witness="村委会主任",
            minors_appear=False,
        )

    def create_story(self, index, household: Household, row):
        story_paragraphs = row[8]
        body = [("paragraph", RichText(f"<p>{text}</p>")) for text in story_paragraphs]
        story = HouseholdStoryPage(
            title=f"{household.public.name}的故事",
            slug=household.slug,
            household=household,
            summary=household.introduction,
            body=body,
        )
        index.add_child(instance=story)
        story.save_revision().publish()
        return story
