import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to, subject, body):
    msg = EmailMessage()
    msg["From"] = current_app.config.get("MAIL_FROM", "no-reply@partsdepot.example")
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(current_app.config.get("SMTP_HOST", "localhost"), 25, timeout=10) as smtp:
        smtp.send_message(msg)
