"""`valuescout token ...`: API tokens acting as a user."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from valuescout.cli.context import cli_actor, console, fail, transaction
from valuescout.identity import auth_service, service
from valuescout.identity.schemas import TokenCreate

app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)


@app.command("create")
def create(
    email: str = typer.Option(..., help="The user the token acts as"),
    name: str = typer.Option(..., help="What the token is for"),
    days: int = typer.Option(90, help="Days until it expires; 0 for never"),
) -> None:
    """Create a token; the secret is printed once."""
    with transaction() as session:
        user = service.find_user_by_email(session, email)
        try:
            data = TokenCreate(name=name, expires_in_days=days or None)
        except ValidationError as exc:
            fail(exc.errors()[0]["msg"])
        token, secret = auth_service.cli_create_token(session, cli_actor(), user, data)
        console.print(f"Token {token.id} for {user.email} (expires {token.expires_at or 'never'}).")
        console.print("Store it now; it is not shown again:")
        console.print(secret, highlight=False, soft_wrap=True)


@app.command("revoke")
def revoke(token_id: int = typer.Argument(..., help="Token id")) -> None:
    """Revoke a token at once."""
    with transaction() as session:
        token = auth_service.cli_revoke_token(session, cli_actor(), token_id)
        console.print(f"Token {token.id} ('{token.name}') is revoked.")
