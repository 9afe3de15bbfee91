from django.urls import path

from . import views_families as views

urlpatterns = [
    path("families/", views.families_list, name="families_list"),
    path("families/new/", views.family_new, name="family_new"),
    path("families/<int:family_id>/", views.family_detail, name="family_detail"),
    path("families/<int:family_id>/edit/", views.family_edit, name="family_edit"),
    path("families/<int:family_id>/members/", views.family_member_add, name="family_member_add"),
    path("families/<int:family_id>/members/<int:member_id>/remove/", views.family_member_remove,
         name="family_member_remove"),
    path("families/join/<int:woman_id>/", views.woman_family_join, name="woman_family_join"),
]
