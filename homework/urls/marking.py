from django.urls import path

from homework.views import marking

urlpatterns = [
    path("homework/", marking.homework_home, name="homework_home"),
    path("homework/<int:homework_id>/", marking.homework_register, name="homework_register"),
    path(
        "homework/<int:homework_id>/marks/",
        marking.register_save,
        name="homework_register_save",
    ),
    path(
        "homework/<int:homework_id>/paper/",
        marking.register_paper,
        name="homework_register_paper",
    ),
    path("homework/<int:homework_id>/return/", marking.register_return, name="homework_return"),
]
