from .accounts import AccountRepository
from .invoices import InvoiceRepository
from .orders import OrderRepository
from .parts import PartRepository

__all__ = ["AccountRepository", "InvoiceRepository", "OrderRepository", "PartRepository"]
