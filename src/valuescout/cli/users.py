"""`valuescout user ...`: create, list and change people."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.table import Table

from valuescout.cli.context import cli_actor, console, fail, transaction
from valuescout.identity import service
from valuescout.identity.roles import Role
from valuescout.identity.schemas import UserCreate, UserUpdate

app = typer.Typer(help="People who may sign in.", no_args_is_help=True)


@app.command("create")
def create(
    email: str = typer.Option(..., help="Sign-in email"),
    name: str = typer.Option(..., "--name", help="Full name"),
    role: Role = typer.Option(..., help="Role"),
    team: str | None = typer.Option(None, help="Team name"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="Initial password"
    ),
) -> None:
    """Create a user (the first admin is created this way)."""
    with transaction() as session:
        team_id = service.find_team_by_name(session, team).id if team else None
        try:
            data = UserCreate(
                email=email, full_name=name, role=role, team_id=team_id, password=password
            )
        except ValidationError as exc:
            fail(_message(exc))
        user = service.create_user(session, cli_actor(), data)
        console.print(f"Created {user.email} ({user.role.value}), id {user.id}.")


@app.command("list")
def list_users() -> None:
    """List every user."""
    with transaction() as session:
        teams = {t.id: t.name for t in service.all_teams(session)}
        table = Table("id", "email", "name", "role", "team", "active")
        for u in service.all_users(session):
            table.add_row(
                str(u.id),
                u.email,
                u.full_name,
                u.role.value,
                teams.get(u.team_id, "") if u.team_id else "",
                "yes" if u.is_active else "no",
            )
        console.print(table)


@app.command("set-role")
def set_role(
    email: str = typer.Argument(..., help="The user's email"),
    role: Role = typer.Argument(..., help="The new role"),
) -> None:
    """Change a user's role."""
    with transaction() as session:
        user = service.find_user_by_email(session, email)
        service.update_user(session, cli_actor(), user.id, UserUpdate(role=role))
        console.print(f"{user.email} is now {role.value}.")


@app.command("deactivate")
def deactivate(email: str = typer.Argument(..., help="The user's email")) -> None:
    """Stop a user from signing in (their history stays)."""
    with transaction() as session:
        user = service.find_user_by_email(session, email)
        service.update_user(session, cli_actor(), user.id, UserUpdate(is_active=False))
        console.print(f"{user.email} is deactivated.")


def _message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
