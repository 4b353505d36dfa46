from sqlalchemy import select

from lunchline.models import LedgerEntry, Payment


class LedgerRepository:
    def __init__(self, session):
        self.session = session

    def record(self, *, student_id, school_id, amount, kind, reference):
        entry = LedgerEntry(student_id=student_id, school_id=school_id, amount=amount, kind=kind, reference=reference)
        self.session.add(entry)
        self.session.flush()
        return entry

    def for_student(self, student_id, offset, limit):
        stmt = (
            select(LedgerEntry)
            .where(LedgerEntry.student_id == student_id)
            .order_by(LedgerEntry.created_at.desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.execute(stmt).scalars().all()

    def for_school(self, school_id, start, end):
        stmt = (
            select(LedgerEntry)
            .where(LedgerEntry.school_id == school_id)
            .where(LedgerEntry.created_at >= start, LedgerEntry.created_at < end)
            .order_by(LedgerEntry.created_at)
        )
        return self.session.execute(stmt).scalars().all()


class PaymentRepository:
    def __init__(self, session):
        self.session = session

    def add(self, payment):
        self.session.add(payment)
        self.session.flush()
        return payment

    def by_idempotency_key(self, key):
        stmt = select(Payment).where(Payment.idempotency_key == key)
        return self.session.execute(stmt).scalar_one_or_none()

    def by_provider_ref(self, provider_ref, *, lock=False):
        stmt = select(Payment).where(Payment.provider_ref == provider_ref)
        if lock:
            stmt = stmt.with_for_update()
        return self.session.execute(stmt).scalar_one_or_none()
