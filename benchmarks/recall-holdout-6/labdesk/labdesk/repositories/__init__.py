from .clinics import ClinicRepository
from .kits import KitRepository
from .orders import OrderRepository
from .patients import PatientRepository
from .results import ResultRepository

__all__ = ["ClinicRepository", "KitRepository", "OrderRepository", "PatientRepository", "ResultRepository"]
