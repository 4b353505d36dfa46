"""Tenant screening through TenantCheck."""
import logging

from flask import current_app

from ..http import screening_session

log = logging.getLogger(__name__)


class ScreeningUnavailable(Exception):
    pass


def request_report(applicant):
    base = current_app.config["SCREENING_BASE_URL"]
    resp = screening_session().post(
        f"{base}/reports",
        json={
            "first_name": applicant["first_name"],
            "last_name": applicant["last_name"],
            "email": applicant["email"],
            "dob": applicant["dob"],
            "ssn_last4": applicant["ssn_last4"],
            "consent": True,
        },
    )
    if resp.status_code >= 500:
        raise ScreeningUnavailable(f"screening vendor returned {resp.status_code}")
    resp.raise_for_status()
    report = resp.json()
    log.info("screening report %s requested", report.get("id"))
    return report


def fetch_report(report_id):
    base = current_app.config["SCREENING_BASE_URL"]
    resp = screening_session().get(f"{base}/reports/{report_id}")
    resp.raise_for_status()
    return resp.json()
