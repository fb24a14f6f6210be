from django.urls import path  # noqa: F401 (each area adds its paths below)

from .views import accounts, agreements, messages, overview, signoff  # noqa: F401

urlpatterns = [
    # The child overview (parents/views/overview.py)
    # Invitations and linking a further child (parents/views/accounts.py)
    # The home-school agreement (parents/views/agreements.py)
    # The weekly sign-off (parents/views/signoff.py)
    # Messages (parents/views/messages.py)
]
