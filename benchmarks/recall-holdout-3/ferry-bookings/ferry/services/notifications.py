import smtplib
from email.message import EmailMessage


def send_confirmation(settings, to_address: str, reference: str, departs_at, pdf: bytes) -> None:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to_address
    msg["Subject"] = f"Your ferry booking {reference}"
    msg.set_content(
        f"Thanks for booking with us. Your reference is {reference}.\n"
        f"Departure: {departs_at:%A %d %B %Y, %H:%M}.\n"
        "Your boarding pass is attached."
    )
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{reference}.pdf")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        smtp.send_message(msg)
