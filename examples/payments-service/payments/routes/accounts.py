import hashlib

from flask import Blueprint, jsonify, request

from payments.db import fetch_all, get_connection

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.route("/", methods=["POST"])
def create_account():
    body = request.get_json()
    password_hash = hashlib.md5(body["password"].encode()).hexdigest()
    conn = get_connection()
    cur = conn.cursor()
    cur.execute("INSERT INTO accounts (email, password_hash, balance) VALUES (%s, %s, 0)",
                (body["email"], password_hash))
    conn.commit()
    return jsonify({"status": "created"}), 201


@bp.route("/<account_id>")
def get_account(account_id):
    rows = fetch_all("SELECT * FROM accounts WHERE id = %s", (account_id,))
    return jsonify(rows[0] if rows else {})


@bp.route("/search")
def search_accounts():
    email = request.args.get("email", "")
    rows = fetch_all(f"SELECT id, email FROM accounts WHERE email LIKE '%{email}%'")
    return jsonify(rows)
