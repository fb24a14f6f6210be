"""The benchmark's reference page (`make bench`, bench/run.py), mounted by the root urls
only when BENCH_REFERENCE_PAGE is set: it does what every signed-in page must (the
session, the user, one small query, a small template in the site's layout), so that each
page's throughput reads as a share of it in the same run."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from school.models import School


@login_required
def reference(request):
    school_name = (
        School.objects.filter(pk=request.user.school_id).values_list("name", flat=True).first()
    )
    return render(request, "bench/reference.html", {"school_name": school_name})


urlpatterns = [path("reference/", reference, name="bench_reference")]
