from decimal import Decimal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from lunchline.models import Guardianship, Student


class StudentRepository:
    def __init__(self, session):
        self.session = session

    def get(self, student_id):
        return self.session.get(Student, student_id)

    def get_for_guardian(self, student_id, guardian_id, *, lock=False):
        stmt = (
            select(Student)
            .join(Guardianship, Guardianship.student_id == Student.id)
            .where(Student.id == student_id, Guardianship.guardian_id == guardian_id)
        )
        if lock:
            stmt = stmt.with_for_update(of=Student)
        return self.session.execute(stmt).scalar_one_or_none()

    def for_guardian(self, guardian_id):
        stmt = (
            select(Student)
            .join(Guardianship, Guardianship.student_id == Student.id)
            .where(Guardianship.guardian_id == guardian_id)
            .order_by(Student.first_name)
        )
        return self.session.execute(stmt).scalars().all()

    def by_card(self, card_number, school_id):
        stmt = select(Student).where(Student.card_number == card_number, Student.school_id == school_id)
        return self.session.execute(stmt).scalar_one_or_none()

    def search(self, school_id, query, offset, limit):
        pattern = f"%{query}%"
        stmt = (
            select(Student)
            .where(Student.school_id == school_id)
            .where(or_(Student.first_name.ilike(pattern), Student.last_name.ilike(pattern)))
            .order_by(Student.last_name, Student.first_name)
            .offset(offset)
            .limit(limit)
        )
        return self.session.execute(stmt).scalars().all()

    def credit(self, student_id, amount: Decimal):
        stmt = (
            update(Student)
            .where(Student.id == student_id)
            .values(balance=Student.balance + amount)
            .returning(Student.balance)
        )
        return self.session.execute(stmt).scalar_one()

    def add_guardian(self, student_id, guardian_id):
        self.session.merge(Guardianship(student_id=student_id, guardian_id=guardian_id))

    def low_balance_batch(self, threshold: Decimal, after_id, batch_size=500):
        stmt = (
            select(Student)
            .where(Student.balance < threshold, Student.id > after_id)
            .options(selectinload(Student.guardianships).selectinload(Guardianship.guardian))
            .order_by(Student.id)
            .limit(batch_size)
        )
        return self.session.execute(stmt).scalars().all()

    def auto_topup_candidates(self, after_id, batch_size=200):
        stmt = (
            select(Student)
            .where(Student.auto_topup_amount.is_not(None))
            .options(selectinload(Student.guardianships))
            .where(Student.balance < Student.auto_topup_threshold)
            .where(Student.id > after_id)
            .order_by(Student.id)
            .limit(batch_size)
        )
        return self.session.execute(stmt).scalars().all()
