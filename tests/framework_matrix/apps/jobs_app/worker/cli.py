import click
import typer

cli_app = typer.Typer()


@click.group()
def cli():  # reach: command
    pass


@cli.command()
@click.option("--days", default=7)
def prune(days):  # reach: command
    return days


@cli_app.command()
def rotate_keys(force: bool = False):  # reach: command
    return force
