def navigation(request):
    from .navigation import nav_items

    return {"nav_items": nav_items(request.user)}
