from functools import lru_cache

import anyio
from jinja2 import Environment, PackageLoader, select_autoescape

from .models import Invoice


@lru_cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("ledgerline", "templates"), autoescape=select_autoescape(["html"]))


def _render_sync(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


async def render_invoice_pdf(invoice: Invoice) -> bytes:
    html = _templates().get_template("invoice.html").render(invoice=invoice, lines=invoice.lines)
    # weasyprint is CPU-bound and synchronous: keep it off the event loop
    return await anyio.to_thread.run_sync(_render_sync, html)
