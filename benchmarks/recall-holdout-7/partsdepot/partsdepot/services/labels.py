"""Shipping labels: fetch from the carrier, normalise to 4x6 and send to a warehouse printer."""
import logging
import os
import subprocess
import tempfile

from flask import current_app

from ..clients import make_client

log = logging.getLogger(__name__)


def _normalise_pdf(src_path, out_path):
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", "-dPDFFitPage", "-dDEVICEWIDTHPOINTS=288", "-dDEVICEHEIGHTPOINTS=432", f"-sOutputFile={out_path}", src_path],
        check=True,
        timeout=60,
    )


def _send_to_printer(printer, pdf_path, copies):
    subprocess.run(f"lp -d {printer} -n {copies} -o media=4x6 {pdf_path}", shell=True, check=True, timeout=30)


def print_label(order, printer, copies=1):
    carrier = make_client("carrier")
    weight = sum(line.part.weight_kg * line.quantity for line in order.lines)
    tracking_number, label_url = carrier.create_label(order.id, "dhl", order.shipping_address, weight)
    label_dir = current_app.config["LABEL_DIR"]
    os.makedirs(label_dir, exist_ok=True)
    final_path = os.path.join(label_dir, f"order-{order.id}.pdf")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as raw:
        raw.write(carrier.download(label_url))
        raw.flush()
        _normalise_pdf(raw.name, final_path)
    _send_to_printer(printer, final_path, copies)
    log.info("label for order %s sent to %s", order.id, printer)
    return tracking_number
