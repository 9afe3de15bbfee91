from django.urls import path

from . import views_practices as views

urlpatterns = [
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/new/", views.practice_new, name="practice_new"),
    path("practices/export.xlsx", views.practice_export, name="practice_export"),
    path("practices/<int:practice_id>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:practice_id>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:practice_id>/submit/", views.practice_submit, name="practice_submit"),
    path("practices/<int:practice_id>/pass-up/", views.practice_pass_up, name="practice_pass_up"),
    path("practices/<int:practice_id>/return/", views.practice_return, name="practice_return"),
    path("practices/<int:practice_id>/publish/", views.practice_publish, name="practice_publish"),
    path("practices/<int:practice_id>/photos/<int:practice_photo_id>/remove/", views.practice_photo_remove,
         name="practice_photo_remove"),
    path("practices/photos/<int:practice_photo_id>/", views.practice_photo, name="practice_photo"),
    path("news/photos/<int:practice_photo_id>/", views.practice_photo_public, name="practice_photo_public"),
]
