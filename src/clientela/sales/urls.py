from django.urls import path

from clientela.sales.views import board, deals, pipelines, purchases, reports

app_name = "sales"

# Add entries with a targeted edit; several modules' pages live here.
urlpatterns: list = [
    # Board and deals (views/board.py, views/deals.py)
    path("deals/", board.board_page, name="board"),
    path("deals/more/", board.board_more, name="board_more"),
    path("deals/list/", deals.deal_list, name="deal_list"),
    path("deals/stage-times/", reports.stage_times, name="stage_times"),
    path("deals/new/", deals.deal_create, name="deal_create"),
    path("deals/new/stages/", deals.deal_stage_options, name="deal_stage_options"),
    path("deals/new/clients/", deals.deal_client_suggest, name="deal_client_suggest"),
    path("deals/<int:pk>/", deals.deal_detail, name="deal_detail"),
    path("deals/<int:pk>/edit/", deals.deal_edit, name="deal_edit"),
    path("deals/<int:pk>/move/", board.deal_move, name="deal_move"),
    path("deals/<int:pk>/delete/", deals.deal_delete, name="deal_delete"),
    path("deals/<int:pk>/restore/", deals.deal_restore, name="deal_restore"),
    path("deals/<int:pk>/history/", deals.deal_history, name="deal_history"),
    # Purchases and pipeline settings (views/purchases.py, views/pipelines.py)
    path("purchases/", purchases.purchase_list, name="purchase_list"),
    path("purchases/new/", purchases.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/", purchases.purchase_detail, name="purchase_detail"),
    path("purchases/<int:pk>/edit/", purchases.purchase_edit, name="purchase_edit"),
    path("purchases/<int:pk>/delete/", purchases.purchase_delete, name="purchase_delete"),
    path("purchases/<int:pk>/restore/", purchases.purchase_restore, name="purchase_restore"),
    path("settings/pipelines/", pipelines.pipeline_list, name="pipeline_list"),
    path("settings/pipelines/new/", pipelines.pipeline_create, name="pipeline_create"),
    path("settings/pipelines/<int:pk>/", pipelines.pipeline_detail, name="pipeline_detail"),
    path("settings/pipelines/<int:pk>/rename/", pipelines.pipeline_rename, name="pipeline_rename"),
    path(
        "settings/pipelines/<int:pk>/default/", pipelines.pipeline_default, name="pipeline_default"
    ),
    path("settings/pipelines/<int:pk>/active/", pipelines.pipeline_active, name="pipeline_active"),
    path("settings/pipelines/<int:pk>/move/", pipelines.pipeline_move, name="pipeline_move"),
    path("settings/pipelines/<int:pk>/stages/new/", pipelines.stage_create, name="stage_create"),
    path(
        "settings/pipelines/<int:pk>/stages/order/",
        pipelines.stages_reorder,
        name="stages_reorder",
    ),
    path("settings/stages/<int:pk>/edit/", pipelines.stage_edit, name="stage_edit"),
    path("settings/stages/<int:pk>/active/", pipelines.stage_active, name="stage_active"),
    path("settings/stages/<int:pk>/move/", pipelines.stage_move, name="stage_move"),
    path("settings/lost-reasons/", pipelines.lost_reason_list, name="lost_reason_list"),
    path("settings/lost-reasons/new/", pipelines.lost_reason_create, name="lost_reason_create"),
    path(
        "settings/lost-reasons/<int:pk>/edit/", pipelines.lost_reason_edit, name="lost_reason_edit"
    ),
    path(
        "settings/lost-reasons/<int:pk>/active/",
        pipelines.lost_reason_active,
        name="lost_reason_active",
    ),
    path(
        "settings/lost-reasons/<int:pk>/move/", pipelines.lost_reason_move, name="lost_reason_move"
    ),
]
