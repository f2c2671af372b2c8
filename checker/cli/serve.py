"""`cydcheck serve`: the local upload page; the web framework is imported only when the command runs."""

from __future__ import annotations

import click

from ..model import CheckerError


@click.command("serve", short_help="Serve a local page: drop a draft, read its gap report.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --allow-network.")
@click.option("--port", default=8650, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--allow-network", is_flag=True,
              help="Allow a --host other than loopback: anyone who can reach it can upload files.")
def serve(host, port, open_browser, allow_network) -> None:
    """Serve a local web page: drop a Word draft or a filing, read the gap report, download it.

    Needs the 'serve' extra: pip install 'cydcheck[serve]'."""
    try:
        from .. import serve as server
    except ImportError as exc:
        raise CheckerError(f"cydcheck serve needs the 'serve' extra (missing: {exc.name}); "
                           "install it with: pip install 'cydcheck[serve]'") from None
    if not server.is_loopback(host):
        if not allow_network:
            raise CheckerError(f"--host {host} would let other machines upload files and read reports; "
                               "add --allow-network to do that, or use the default 127.0.0.1")
        click.echo(f"cydcheck: warning: listening on {host}: anyone who can reach this address can upload "
                   "files and read the reports", err=True)
    server.run(host, port, open_browser=open_browser, echo=lambda line: click.echo(line))
