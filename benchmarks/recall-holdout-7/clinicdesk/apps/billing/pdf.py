"""Invoice PDFs are rendered from HTML with wkhtmltopdf."""
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string


def invoice_pdf_path(invoice):
    return Path(settings.INVOICE_PDF_DIR) / str(invoice.clinic_id) / f"{invoice.number}.pdf"


def render_invoice_pdf(invoice):
    html = render_to_string("billing/invoice.html", {"invoice": invoice, "lines": invoice.lines.all()})
    target = invoice_pdf_path(invoice)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as src:
        src.write(html)
        src.flush()
        subprocess.run(
            ["wkhtmltopdf", "--quiet", "--encoding", "utf-8", src.name, str(target)],
            check=True,
            timeout=60,
        )
    return target
