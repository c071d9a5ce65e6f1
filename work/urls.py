from django.urls import path

from work.views import department, programmes, requests

urlpatterns = [
    path("work/", requests.work_to_set, name="work-to-set"),
    path("work/<int:request_id>/set/", requests.work_set, name="work-set"),
    path("work/<int:request_id>/seen/", requests.work_acknowledge, name="work-acknowledge"),
    path("work/<int:request_id>/record/", requests.work_record, name="work-record"),
    path("work/<int:request_id>/done-file/", requests.work_done_file, name="work-done-file"),
    path("work/files/<int:attachment_id>/", requests.work_file, name="work-file"),
    path("work/pack/<int:placement_day_id>.pdf", requests.work_pack, name="work-pack"),
    path("work/department/", department.work_department, name="work-department"),
    path("work/programmes/", programmes.programme_list, name="programme-list"),
    path(
        "work/programmes/<int:programme_id>/",
        programmes.programme_detail,
        name="programme-detail",
    ),
    path(
        "work/programmes/tasks/<int:task_id>/",
        programmes.programme_task_edit,
        name="programme-task-edit",
    ),
    path(
        "work/programmes/tasks/<int:task_id>/move/",
        programmes.programme_task_move,
        name="programme-task-move",
    ),
    path(
        "work/programmes/tasks/<int:task_id>/remove/",
        programmes.programme_task_remove,
        name="programme-task-remove",
    ),
]
