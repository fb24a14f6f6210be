from django.urls import path

from homework.views import setting

urlpatterns = [
    path("homework/new/", setting.homework_new, name="homework_new"),
    path("homework/workload/", setting.homework_workload, name="homework_workload"),
    path("homework/<int:homework_id>/edit/", setting.homework_edit, name="homework_edit"),
    path("homework/<int:homework_id>/copy/", setting.homework_copy, name="homework_copy"),
    path("homework/<int:homework_id>/publish/", setting.homework_publish, name="homework_publish"),
    path("homework/<int:homework_id>/delete/", setting.homework_delete, name="homework_delete"),
    path(
        "homework/attachments/<int:attachment_id>/",
        setting.homework_attachment,
        name="homework_attachment",
    ),
]
