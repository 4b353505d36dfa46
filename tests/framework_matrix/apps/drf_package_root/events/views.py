# imports only the project's bases: nothing here says REST framework
from crowd.utils.views import ListAPIView, RetrieveUpdateAPIView


class EventList(ListAPIView):
    queryset = None


class EventDetail(RetrieveUpdateAPIView):
    queryset = None


class ArchivedEventList(ListAPIView):
    """A look-alike: a view no URLconf binds."""

    queryset = None
