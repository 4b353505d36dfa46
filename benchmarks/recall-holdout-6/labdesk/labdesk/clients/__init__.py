from .factory import clients_ctx
from .notifier import NotifierClient
from .partner_lab import PartnerLabClient, PartnerLabError

__all__ = ["clients_ctx", "NotifierClient", "PartnerLabClient", "PartnerLabError"]
