"""`cydcheck serve`: the local upload page; the web framework is imported only when the command runs."""

from __future__ import annotations

import click

from ..model import CheckerError
from .config import (
    config_option,
    document_checker,
    make_checker,
    pack_option,
    pack_ref,
    refuse_empty_selection,
    resolve,
    rules_dirs_option,
)


@click.command("serve", short_help="Serve a local page: drop a draft, read its gap report.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --allow-network.")
@click.option("--port", default=8650, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--allow-network", is_flag=True,
              help="Allow a --host other than loopback: anyone who can reach it can upload files.")
@pack_option
@rules_dirs_option
@config_option
def serve(host, port, open_browser, allow_network, pack, rules_dirs, config_path) -> None:
    """Serve a local web page: drop a Word draft or a filing, read the gap report, download it.

    Each upload is checked as `cydcheck check` checks it: the pack, rules folders, select and disable of the
    configuration (the nearest .cydcheck.yaml or pyproject.toml [tool.cydcheck], or --config), the
    options on top. Needs the 'serve' extra: pip install 'cydcheck[serve]'."""
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
    cfg = resolve(config_path, pack=pack, rules_dirs=rules_dirs)
    checker = make_checker(cfg)
    refuse_empty_selection(cfg, checker)
    ref = pack_ref(cfg)
    if str(ref) != "auto":
        checker.pack(ref)  # a house pack's error is said now, not on the first upload
    server.run(host, port, open_browser=open_browser, checker=checker,
               check_one=document_checker(cfg, checker),
               echo=lambda line: click.echo(line))
