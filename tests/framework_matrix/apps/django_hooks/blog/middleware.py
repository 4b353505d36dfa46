import time


class TimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):  # reach: request
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Elapsed"] = str(time.monotonic() - started)
        return response


def region_middleware(get_response):
    def middleware(request):  # reach: request
        request.region = request.headers.get("X-Region", "eu")
        return get_response(request)

    return middleware  # reach: none
