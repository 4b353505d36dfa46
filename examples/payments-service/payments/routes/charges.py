from flask import Blueprint, jsonify, request

from payments import provider
from payments.db import get_connection

bp = Blueprint("charges", __name__, url_prefix="/charges")


@bp.route("/", methods=["POST"])
def charge():
    body = request.get_json()
    amount = float(body["amount"])
    account_id = body["account_id"]
    conn = get_connection()
    cur = conn.cursor()
    cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
    balance = cur.fetchone()[0]
    if balance < amount:
        return jsonify({"error": "insufficient funds"}), 402
    result = provider.create_charge(account_id, amount, body["card_token"])
    cur.execute("UPDATE accounts SET balance = %s WHERE id = %s", (balance - amount, account_id))
    cur.execute("INSERT INTO charges (account_id, amount, status) VALUES (%s, %s, %s)",
                (account_id, amount, result["status"] if result else "failed"))
    conn.commit()
    return jsonify(result or {"status": "failed"}), 201


@bp.route("/<charge_id>/receipt")
def receipt(charge_id):
    url = request.args.get("receipt_url")
    return provider.fetch_receipt(url)
