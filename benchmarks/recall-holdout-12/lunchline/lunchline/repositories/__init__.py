from lunchline.repositories.ledger import LedgerRepository, PaymentRepository
from lunchline.repositories.menus import MenuRepository
from lunchline.repositories.orders import OrderRepository
from lunchline.repositories.reports import ReportRepository
from lunchline.repositories.students import StudentRepository
from lunchline.repositories.users import UserRepository

__all__ = [
    "LedgerRepository", "MenuRepository", "OrderRepository", "PaymentRepository",
    "ReportRepository", "StudentRepository", "UserRepository",
]
