from stagepass.clients.http import build_session
from stagepass.clients.mailer import MailerClient
from stagepass.clients.payments import PayGateClient


def build_paygate_client(settings):
    session = build_session(settings, retry_reads=False)
    return PayGateClient(session, settings.paygate_base_url, settings.paygate_api_key)


def build_mailer(settings):
    return MailerClient(settings.mailer_base_url, settings.mailer_api_key)


__all__ = ["build_session", "build_paygate_client", "build_mailer"]
