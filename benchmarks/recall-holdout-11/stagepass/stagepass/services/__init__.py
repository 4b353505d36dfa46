class ServiceError(Exception):
    status = "400 Bad Request"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status = "422 Unprocessable Entity"


class NotFound(ServiceError):
    status = "404 Not Found"


class Conflict(ServiceError):
    status = "409 Conflict"


class InvalidCredentials(ServiceError):
    status = "401 Unauthorized"


class TooManyAttempts(ServiceError):
    status = "429 Too Many Requests"
