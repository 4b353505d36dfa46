from django.http import JsonResponse


def asset_detail(request, pk):  # reach: request
    return JsonResponse({"id": pk})
