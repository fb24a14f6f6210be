from django.urls import path

from ..views import scrutiny, scrutiny_reviews

urlpatterns = [
    path("scrutiny/", scrutiny.scrutiny_rounds, name="scrutiny_rounds"),
    path("scrutiny/new/", scrutiny.scrutiny_round_new, name="scrutiny_round_new"),
    path("scrutiny/rounds/<int:round_id>/", scrutiny.scrutiny_round, name="scrutiny_round"),
    path(
        "scrutiny/rounds/<int:round_id>/draw/",
        scrutiny.scrutiny_round_draw,
        name="scrutiny_round_draw",
    ),
    path(
        "scrutiny/rounds/<int:round_id>/close/",
        scrutiny.scrutiny_round_close,
        name="scrutiny_round_close",
    ),
    path("scrutiny/checklist/", scrutiny.scrutiny_checklist, name="scrutiny_checklist"),
    path(
        "scrutiny/checklist/<int:criterion_id>/",
        scrutiny.scrutiny_criterion,
        name="scrutiny_criterion",
    ),
    path(
        "scrutiny/samples/<int:sample_id>/",
        scrutiny_reviews.scrutiny_sample,
        name="scrutiny_sample",
    ),
    path("scrutiny/results/", scrutiny_reviews.scrutiny_results, name="scrutiny_results"),
    path("scrutiny/mine/", scrutiny_reviews.scrutiny_mine, name="scrutiny_mine"),
    path("scrutiny/mine/<int:review_id>/", scrutiny_reviews.scrutiny_reply, name="scrutiny_reply"),
]
