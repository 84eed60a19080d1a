"""Every model module, imported once so the metadata is complete for migrations and checks.

A new domain adds its models module here.
"""

from __future__ import annotations

import importlib

from valuescout.core.models import Base

MODEL_MODULES = (
    "valuescout.core.audit",
    "valuescout.identity.models",
    "valuescout.valuenet.models",
    "valuescout.deals.models",
    "valuescout.pricing.models",
    "valuescout.forecasting.models",
    "valuescout.conversations.models",
    "valuescout.conversations.coaching_models",
    "valuescout.discoveries.models",
    "valuescout.rfp.models",
    "valuescout.assessments.models",
    "valuescout.assessments.engagement_models",
)

for _module in MODEL_MODULES:
    importlib.import_module(_module)

metadata = Base.metadata
