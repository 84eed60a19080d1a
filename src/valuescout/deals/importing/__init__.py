"""Opportunity import from CRM exports: presets, column mapping, validation, bulk writes.

`service.py` holds the use cases (preview, run); the other modules are its parts:
readers (CSV streaming, encodings, rejects file), mapping (the YAML mapping file), presets
(column, stage and deal-type names of Salesforce, HubSpot and the generic layout), validate
(pure: a row in, a record or its problems out), maven (the four-file Maven CRM export),
org (teams, people, accounts and products an import creates) and writer (bulk upserts).
"""
