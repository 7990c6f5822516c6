"""Every change to contacts and companies: validated, audited, indexed, in one transaction."""

from clientela.contacts.services._records import COMPANY_FIELDS, CONTACT_FIELDS, snapshot
from clientela.contacts.services.companies import (
    companies_bulk_reassign,
    companies_bulk_tag,
    companies_transfer,
    company_create,
    company_delete,
    company_restore,
    company_update,
)
from clientela.contacts.services.contacts import (
    contact_create,
    contact_delete,
    contact_restore,
    contact_update,
    contacts_bulk_reassign,
    contacts_bulk_tag,
    contacts_transfer,
)
from clientela.contacts.services.custom_fields import custom_field_define

__all__ = [
    "COMPANY_FIELDS",
    "CONTACT_FIELDS",
    "companies_bulk_reassign",
    "companies_bulk_tag",
    "companies_transfer",
    "company_create",
    "company_delete",
    "company_restore",
    "company_update",
    "contact_create",
    "contact_delete",
    "contact_restore",
    "contact_update",
    "contacts_bulk_reassign",
    "contacts_bulk_tag",
    "contacts_transfer",
    "custom_field_define",
    "snapshot",
]
