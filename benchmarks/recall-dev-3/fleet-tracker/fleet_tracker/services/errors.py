class NotFound(Exception):
    pass


class Conflict(Exception):
    pass


class InsufficientFunds(Exception):
    pass
