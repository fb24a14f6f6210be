"""Who may open the children's overview and a child's page: guardians only, each their
own children (the overview answers every guardian, listing only their own)."""

from django.urls import reverse

PAGES = {
    "parents_overview": (lambda w: reverse("parents_overview"), {"parent", "other_parent"}),
    "parents_child": (lambda w: reverse("parents_child", args=[w.pupil.pk]), {"parent"}),
}
