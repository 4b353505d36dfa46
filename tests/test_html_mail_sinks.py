"""Client text formatted into the HTML part of an e-mail is markup the recipient's mail client
renders (taint.predicates `html_mail_part`, models `renders: e-mail`): the HTML part is what the
call says it is (`MIMEText(..., "html")`, fastapi-mail's `alternative_body` of a plain message,
its `body` of an html one, Django's `html_message`); a plain-text part, or text escaped first,
renders nothing."""
from __future__ import annotations

from servicelens.api import review_source
from servicelens.config.settings import Settings

_APP = '''
import html
from email.mime.text import MIMEText

from django.core.mail import send_mail
from fastapi import FastAPI, Request
from fastapi_mail import FastMail, MessageSchema, MessageType

app = FastAPI()
mailer = FastMail(None)


async def _deliver(subject: str, html_part: str, text_part: str):
    await mailer.send_message(MessageSchema(recipients=["desk@example.org"], subject=subject, body=text_part,
                                            alternative_body=html_part, subtype=MessageType.plain))


async def _deliver_text(subject: str, text: str):
    await mailer.send_message(MessageSchema(recipients=["desk@example.org"], subject=subject, body=text,
                                            subtype=MessageType.plain))  # plain only


async def _deliver_html(subject: str, text: str):
    await mailer.send_message(MessageSchema(recipients=["desk@example.org"], subject=subject, body=text,
                                            subtype=MessageType.html))


@app.post("/feedback")
async def feedback(request: Request):
    form = await request.json()
    page = "<p>{who} wrote:</p><p>{text}</p>".format(who=form.get("name"), text=form.get("text"))
    await _deliver("Feedback", page, "see the HTML part")
    return {"ok": True}


@app.post("/feedback/escaped")
async def feedback_escaped(request: Request):
    form = await request.json()
    part = MIMEText("<p>" + html.escape(form.get("text")) + "</p>", "html")  # escaped first
    return {"bytes": len(part.as_string())}


@app.post("/feedback/text")
async def feedback_text(request: Request):
    form = await request.json()
    await _deliver_text("Feedback", "Message: " + form.get("text"))
    return {"ok": True}


@app.post("/feedback/rich")
async def feedback_rich(request: Request):
    form = await request.json()
    await _deliver_html("Feedback", "<div>" + form.get("text") + "</div>")
    return {"ok": True}


@app.post("/feedback/plain")
async def feedback_plain(request: Request):
    form = await request.json()
    part = MIMEText("Message: " + form.get("text"), "plain")
    return {"bytes": len(part.as_string())}


@app.post("/feedback/mime")
async def feedback_mime(request: Request):
    form = await request.json()
    part = MIMEText("<b>" + form.get("text") + "</b>", "html")
    return {"bytes": len(part.as_string())}


@app.post("/feedback/django")
async def feedback_django(request: Request):
    form = await request.json()
    send_mail("Feedback", "see HTML", "desk@example.org", ["ops@example.org"],
              html_message=f"<p>{form.get('text')}</p>")
    return {"ok": True}
'''


def _xss_lines() -> dict[int, str]:
    report = review_source({"desk/app.py": _APP},
                           Settings(use_cache=False, profile="extended", select=frozenset({"xss"})))
    return {f.location.start_line: f.title for f in report.findings}


def _line_of(text: str) -> int:
    return next(number for number, line in enumerate(_APP.splitlines(), start=1) if text in line)


def test_client_text_in_an_html_mail_part_is_reported_as_such() -> None:
    found = _xss_lines()
    for marker in ("alternative_body=html_part", 'MIMEText("<b>"', "html_message=", "subtype=MessageType.html"):
        line = _line_of(marker)
        assert any(abs(found_line - line) <= 1 and "e-mail" in title for found_line, title in found.items()), marker


def test_plain_parts_and_escaped_text_are_not() -> None:
    found = _xss_lines()
    for marker in ('"plain")', "# escaped first"):
        assert not any(abs(line - _line_of(marker)) <= 1 for line in found), marker
    # the `body` of a plain message is no HTML part either
    assert not any(abs(line - _line_of("# plain only")) <= 1 for line in found)
