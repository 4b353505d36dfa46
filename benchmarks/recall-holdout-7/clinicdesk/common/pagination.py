from rest_framework.pagination import CursorPagination, PageNumberPagination


class DefaultPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AppointmentCursorPagination(CursorPagination):
    page_size = 100
    ordering = "-slot__start"
