"""The consultations' addresses."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.consultation_list, name="consultations_list"),
    path("new/", views.consultation_new, name="consultations_new"),
    path("tags/", views.tags, name="consultations_tags"),
    path("<int:consultation_id>/", views.consultation_detail, name="consultations_detail"),
    path("<int:consultation_id>/edit/", views.consultation_edit, name="consultations_edit"),
    path(
        "<int:consultation_id>/questions/new/",
        views.question_add,
        name="consultations_question_add",
    ),
    path(
        "<int:consultation_id>/questions/<int:question_id>/delete/",
        views.question_delete,
        name="consultations_question_delete",
    ),
    path("<int:consultation_id>/send/", views.consultation_send, name="consultations_send"),
    path("<int:consultation_id>/remind/", views.consultation_remind, name="consultations_remind"),
    path(
        "<int:consultation_id>/results/", views.consultation_results, name="consultations_results"
    ),
    path("<int:consultation_id>/results.csv", views.consultation_csv, name="consultations_csv"),
    path(
        "<int:consultation_id>/answers/<int:answer_id>/tags/",
        views.answer_tags,
        name="consultations_answer_tags",
    ),
    path(
        "<int:consultation_id>/you-said-we-did/",
        views.outcome_publish,
        name="consultations_outcome",
    ),
    path("<int:consultation_id>/answer/", views.answer, name="consultations_answer"),
]
