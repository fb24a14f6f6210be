from django.urls import path

from ..views import notice

urlpatterns = [
    path("notice/", notice.notice_choose, name="privacy_notice"),
    path("notice/edit/", notice.notice_edit, name="privacy_notice_edit"),
    path("notice/<slug:slug>/", notice.notice_page, name="privacy_notice_school"),
]
