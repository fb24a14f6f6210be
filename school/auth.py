def lockout_username(request, credentials):
    """The account a login attempt counts against: the email as typed, in any case."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower() or None
