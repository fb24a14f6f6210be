"""The sanctions addresses, by area (as sanctions/views/ and sanctions/forms/)."""

from . import commendations, dashboard, deliveries, detentions, exclusions, meetings, misses, policy

urlpatterns = [
    *misses.urlpatterns,
    *dashboard.urlpatterns,
    *detentions.urlpatterns,
    *exclusions.urlpatterns,
    *meetings.urlpatterns,
    *policy.urlpatterns,
    *deliveries.urlpatterns,
    *commendations.urlpatterns,
]
