from anyio import to_thread

from meterly.models import Invoice, InvoiceLine


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _build_pdf(title: str, rows: list[str]) -> bytes:
    lines = [f"({_escape(title)}) Tj"] + [f"0 -16 Td ({_escape(r)}) Tj" for r in rows]
    stream = "BT /F1 11 Tf 50 780 Td " + " ".join(lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = ["%PDF-1.4"]
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len("\n".join(out)) + 1)
        out.append(f"{i} 0 obj\n{obj}\nendobj")
    xref_at = len("\n".join(out)) + 1
    out.append(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f ")
    out.extend(f"{o:010d} 00000 n " for o in offsets)
    out.append(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF")
    return "\n".join(out).encode("latin-1", "replace")


async def render_invoice_pdf(invoice: Invoice, lines: list[InvoiceLine]) -> bytes:
    rows = [f"{line.meter_key}: {line.quantity} = {line.amount} USD" for line in lines]
    rows.append(f"Total: {invoice.total} USD")
    return await to_thread.run_sync(_build_pdf, f"Invoice {invoice.number}", rows)
