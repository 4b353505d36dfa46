from sqlalchemy import select

from ..models import Account, SupplierCredential
from .base import Repository


class AccountRepository(Repository):
    model = Account

    def list_all(self, page=1, per_page=100):
        return self.session.scalars(select(Account).order_by(Account.name).limit(per_page).offset((page - 1) * per_page)).all()

    def supplier_credential(self, supplier_code):
        return self.session.scalars(
            select(SupplierCredential).where(SupplierCredential.supplier_code == supplier_code)
        ).first()
