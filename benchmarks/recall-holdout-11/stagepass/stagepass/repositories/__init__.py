from stagepass.repositories.events import EventRepository
from stagepass.repositories.finance import PayoutRepository, RefundRepository
from stagepass.repositories.orders import OrderRepository, PromoRepository
from stagepass.repositories.tickets import TicketRepository
from stagepass.repositories.users import UserRepository

__all__ = ["EventRepository", "OrderRepository", "PayoutRepository", "PromoRepository",
           "RefundRepository", "TicketRepository", "UserRepository"]
