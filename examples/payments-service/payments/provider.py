import time

import requests

from payments.config import Config


def create_charge(account_id, amount, card_token):
    payload = {"account": account_id, "amount": amount, "source": card_token}
    for attempt in range(5):
        try:
            response = requests.post(Config.PROVIDER_URL + "/charges", json=payload,
                                     headers={"Authorization": "Bearer " + Config.PROVIDER_API_KEY})
            return response.json()
        except Exception:
            time.sleep(1)
    return None


def fetch_receipt(receipt_url):
    return requests.get(receipt_url, timeout=10).content
