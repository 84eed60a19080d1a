"""The `valuescout` command."""

from __future__ import annotations

import typer

from valuescout import __version__
from valuescout.cli import (
    analytics,
    analytics_leakage,
    assess,
    assess_engagement,
    assess_maturity,
    backup,
    coaching,
    comp,
    conversations,
    conversations_log,
    db,
    deals,
    demo,
    discoveries,
    forecast,
    forecast_run,
    imports,
    pricing,
    rfp,
    serve,
    tokens,
    users,
    valuenet,
)

app = typer.Typer(
    help="ValueScout: sell on customer-perceived value, not on discounts.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(tokens.app, name="token")
app.add_typer(valuenet.app, name="valuenet")
app.add_typer(imports.app, name="import")
app.add_typer(deals.app, name="deals")
app.add_typer(pricing.policy_app, name="policy")
app.add_typer(pricing.pricing_app, name="pricing")
app.add_typer(analytics.app, name="analytics")
analytics.app.command("leakage")(analytics_leakage.leakage_summary)
app.add_typer(comp.app, name="comp")
app.add_typer(forecast.app, name="forecast")
forecast.app.command("run")(forecast_run.run)
forecast.app.command("snapshot")(forecast_run.snapshot)
forecast.app.command("accuracy")(forecast_run.accuracy)
app.add_typer(conversations.app, name="conversations")
conversations_log.register(conversations.app)
app.add_typer(coaching.app, name="coaching")
app.add_typer(discoveries.app, name="discoveries")
app.add_typer(rfp.app, name="rfp")
app.add_typer(assess.app, name="assess")
assess_maturity.register(assess.app)
assess_engagement.register(assess.app)
app.command("serve")(serve.serve)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("demo")(demo.demo)


@app.command("version")
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
