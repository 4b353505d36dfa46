"""Data access for accounts, entries, transfers and payouts."""
from decimal import Decimal

from sqlalchemy import func, text, update

from .extensions import db
from .models import Account, Entry, Payout, Transfer, User


class InsufficientFunds(Exception):
    def __init__(self, account_id):
        super().__init__(f"account {account_id} has insufficient funds")
        self.account_id = account_id


_ACTIVITY_TABLES = {
    "entries": "entries",
    "transfers": "transfers",
    "payouts": "payouts",
}

_ACTIVITY_ACCOUNT_COLUMN = {
    "entries": "account_id",
    "transfers": "source_account_id",
    "payouts": "account_id",
}


class LedgerRepository:
    def __init__(self, session=None):
        self.session = session or db.session

    # -- users -----------------------------------------------------------
    def find_user_by_email(self, email):
        return self.session.query(User).filter(User.email == email).one_or_none()

    def get_user(self, user_id):
        return self.session.get(User, user_id)

    def list_users(self, offset, limit):
        return (
            self.session.query(User)
            .order_by(User.id)
            .offset(offset)
            .limit(limit)
            .all()
        )

    # -- accounts --------------------------------------------------------
    def get_account(self, account_id):
        return self.session.get(Account, account_id)

    def accounts_for_owner(self, owner_id):
        return (
            self.session.query(Account)
            .filter(Account.owner_id == owner_id)
            .order_by(Account.id)
            .all()
        )

    def activity_count(self, kind, account_id):
        table = _ACTIVITY_TABLES[kind]
        column = _ACTIVITY_ACCOUNT_COLUMN[kind]
        sql = text(f"SELECT count(*) FROM {table} WHERE {column} = :account_id")
        return self.session.execute(sql, {"account_id": account_id}).scalar_one()

    def search_entries(self, account_id, term, limit=50):
        sql = (
            "SELECT id, amount, memo, created_at FROM entries "
            f"WHERE account_id = :account_id AND memo ILIKE '%{term}%' "
            "ORDER BY created_at DESC LIMIT :limit"
        )
        rows = self.session.execute(text(sql), {"account_id": account_id, "limit": limit})
        return [
            {
                "id": r["id"],
                "amount": str(r["amount"]),
                "memo": r["memo"],
                "created_at": r["created_at"].isoformat(),
            }
            for r in rows.mappings()
        ]

    def entries_for_account(self, account):
        return account.entries.order_by(Entry.created_at.desc()).all()

    # -- money movement --------------------------------------------------
    def debit(self, account, amount, memo, transfer_id=None):
        if account.balance < amount:
            raise InsufficientFunds(account.id)
        account.balance = account.balance - amount
        self.session.add(
            Entry(account_id=account.id, amount=-amount, memo=memo, transfer_id=transfer_id)
        )
        self.session.commit()

    def credit(self, account, amount, memo, transfer_id=None):
        account.balance = account.balance + amount
        self.session.add(
            Entry(account_id=account.id, amount=amount, memo=memo, transfer_id=transfer_id)
        )
        self.session.commit()

    def find_transfer_by_key(self, initiator_id, key):
        return (
            self.session.query(Transfer)
            .filter(Transfer.initiator_id == initiator_id, Transfer.idempotency_key == key)
            .one_or_none()
        )

    def create_transfer(self, initiator_id, source, dest, amount, dest_amount, key, memo):
        transfer = Transfer(
            initiator_id=initiator_id,
            source_account_id=source.id,
            dest_account_id=dest.id,
            amount=amount,
            dest_amount=dest_amount,
            idempotency_key=key,
        )
        self.session.add(transfer)
        self.session.commit()

        self.debit(source, amount, memo, transfer_id=transfer.id)
        self.credit(dest, dest_amount, memo, transfer_id=transfer.id)

        transfer.status = "completed"
        self.session.commit()
        return transfer

    def recent_transfers(self, account_id, limit):
        return (
            self.session.query(Transfer)
            .filter(Transfer.source_account_id == account_id)
            .order_by(Transfer.created_at.desc())
            .limit(limit)
            .all()
        )

    def refund_to_account(self, account_id, amount: Decimal, memo):
        """Return funds to an account after a failed payout."""
        self.session.query(Account).filter(Account.id == account_id).update(
            {Account.balance: Account.balance + amount}, synchronize_session=False
        )
        self.session.add(Entry(account_id=account_id, amount=amount, memo=memo))
        self.session.commit()

    # -- payouts ---------------------------------------------------------
    def reserve_payout(self, account, amount, iban):
        """Move ``amount`` out of the account and record a pending payout, atomically."""
        result = self.session.execute(
            update(Account)
            .where(Account.id == account.id, Account.balance >= amount)
            .values(balance=Account.balance - amount)
        )
        if result.rowcount != 1:
            self.session.rollback()
            raise InsufficientFunds(account.id)
        payout = Payout(account_id=account.id, amount=amount, currency=account.currency, iban=iban)
        self.session.add(payout)
        self.session.flush()
        self.session.add(
            Entry(account_id=account.id, amount=-amount, memo=f"payout {payout.id}")
        )
        self.session.commit()
        return payout

    def get_payout(self, payout_id):
        return self.session.get(Payout, payout_id)

    # -- reporting -------------------------------------------------------
    def balance_totals_by_currency(self):
        conn = db.engine.raw_connection()
        cur = conn.cursor()
        cur.execute(
            "SELECT currency, sum(balance), count(*) FROM accounts "
            "WHERE status = 'active' GROUP BY currency ORDER BY currency"
        )
        return cur.fetchall()

    def entry_counts_by_day(self, since):
        conn = db.engine.raw_connection()
        try:
            cur = conn.cursor()
            cur.execute(
                "SELECT date_trunc('day', created_at) AS day, count(*) FROM entries "
                "WHERE created_at >= %s GROUP BY 1 ORDER BY 1",
                (since,),
            )
            return cur.fetchall()
        finally:
            conn.close()

    def ledger_total(self, account_id):
        return (
            self.session.query(func.coalesce(func.sum(Entry.amount), 0))
            .filter(Entry.account_id == account_id)
            .scalar()
        )
