from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "clientela.retention.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from clientela.accounts.team_copies import register_team_copy
        from clientela.contacts.client_copies import register_client_copy
        from clientela.retention.surveys.models import SurveyAnswer, SurveyRequest

        for model in (SurveyRequest, SurveyAnswer):
            register_team_copy(model)
            register_client_copy(model)

        from clientela.retention.surveys import receivers

        receivers.connect()

        from clientela.retention.surveys.views import register_extensions

        register_extensions()

        from clientela.retention.surveys.tasks import register_survey_jobs

        register_survey_jobs()

        from clientela.retention.surveys.timeline import register_timeline

        register_timeline()
