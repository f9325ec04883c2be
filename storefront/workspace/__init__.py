"""The workspace (/workspace/): the screens where social workers fulfil
parcels, keep statements, list products and edit stories, where
organisations keep their households' records, consents and caseloads, and
where the bureau reads its report.

Every view finds its objects through a selector scoped to the user, so
another caseload's parcel, statement or product is a 404, never a page.
Workspace pages are never cached anywhere (no-store).
"""
