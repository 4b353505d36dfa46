from django.http import JsonResponse
from django.views import View
from django.views.generic import ListView

from shop.models import Order


def order_detail(request, pk):  # reach: request
    return JsonResponse(describe(Order.objects.get(pk=pk)))


def describe(order):  # reach: request
    return {"id": order.pk, "total": str(order.total)}


def legacy_lookup(request, code):  # reach: request
    return JsonResponse({"code": code})


class OrderListView(ListView):
    model = Order

    def get_queryset(self):  # reach: request
        return Order.objects.filter(owner=self.request.user)


class CartView(View):
    def get(self, request):  # reach: request
        return JsonResponse(cart_summary(request.user))

    def post(self, request):  # reach: request
        return JsonResponse({}, status=201)


def cart_summary(user):  # reach: request
    return {"user": user.pk}


def unused_helper(order):  # reach: none
    return order.pk
