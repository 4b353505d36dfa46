import requests


class MailerError(Exception):
    pass


class MailerClient:
    def __init__(self, base_url, api_key):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {api_key}"

    def send(self, *, to, template, context):
        resp = self.session.post(
            f"{self.base_url}/v1/messages",
            json={"to": to, "template": template, "context": context},
        )
        if resp.status_code >= 400:
            raise MailerError(f"mailer returned {resp.status_code}")
        return resp.json().get("id")
