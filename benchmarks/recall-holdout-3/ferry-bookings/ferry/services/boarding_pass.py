import io

from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas


def render_boarding_pass(booking: dict, sailing: dict, passengers: list[dict]) -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A6)
    for passenger in passengers:
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(20, 380, f"{sailing['vessel_name']}  {sailing['route_code']}")
        pdf.setFont("Helvetica", 10)
        pdf.drawString(20, 360, f"Departs {sailing['departs_at']:%d %b %Y %H:%M}")
        pdf.drawString(20, 340, passenger["full_name"])
        pdf.drawString(20, 320, f"Booking {booking['reference']}")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()
