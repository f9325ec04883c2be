"""Public templates and code read a household only through sellers.public
(issue 12)."""

import re
from pathlib import Path

PUBLIC_TEMPLATES = [
    path
    for path in Path("templates").rglob("*")
    if path.is_file()
    and not any(
        part in path.as_posix()
        for part in (
            # Staff pages, except the packing slip that travels in the parcel.
            "templates/sellers/workspace/parcel",
            "templates/sellers/workspace/payout",
            "templates/sellers/workspace/statement",
            "templates/sellers/workspace/household",
            "templates/sellers/workspace/caseloads",
            "templates/sellers/workspace/consent",
            "templates/sellers/bureau/",
            "templates/catalog/listing/",
            "templates/sellers/notices/parcel_new_",
        )
    )
]
PUBLIC_CODE = [
    *Path("storefront").rglob("*.py"),
    *Path("catalog").rglob("*.py"),
]
DIRECT_READ = re.compile(
    r"household\w*\.(public_name|photo|village|town|display_name)\b"
    r"|\.household\.(public_name|photo|village|town)\b"
)


def test_nothing_public_reads_the_household_profile_around_the_presenter():
    # Staff-only code (the listing workspace, imports, the demo loader and
    # migrations) may; public code goes through sellers.public.
    staff_only = {
        "storefront/workspace/views/listing.py",
        "catalog/imports.py",
        "storefront/management/commands/load_demo.py",
    }
    offenders = [
        f"{path}:{number}"
        for path in [*PUBLIC_TEMPLATES, *PUBLIC_CODE]
        if path.exists()
        and "migrations" not in path.parts
        and path.as_posix() not in staff_only
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if DIRECT_READ.search(line)
    ]

    assert {
        "templates/includes/household_card.html",
        "templates/includes/product_card.html",
        "templates/storefront/household_story_page.html",
        "templates/sellers/notices/parcel_shipped_body.txt",
        "templates/oscar/communication/emails/commtype_order_placed_body.txt",
        "templates/sellers/workspace/packing_slip.html",
    } <= {path.as_posix() for path in PUBLIC_TEMPLATES}
    assert offenders == []
