"""manifest.csv: which OneRoster version a bundle is (else told from the files it has)."""

from __future__ import annotations

from school.importers.files import Table

V12_USER_COLUMNS = ("preferredGivenName", "primaryOrgSourcedId", "userMasterIdentifier")


def oneroster_version(tables: dict[str, Table]) -> str:
    manifest = tables.get("manifest.csv")
    if manifest is not None:
        name_col = manifest.header_for("propertyName")
        value_col = manifest.header_for("value")
        if name_col and value_col:
            for row in manifest.rows:
                if manifest.value(row, name_col).lower() == "oneroster.version":
                    value = manifest.value(row, value_col)
                    if value:
                        return value
    users = tables.get("users.csv")
    if "roles.csv" in tables or (users is not None and users.has(*V12_USER_COLUMNS)):
        return "1.2"
    return "1.1"
