from django.apps import AppConfig


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from . import models

        # Every change to people, levels, handles and policies is in the audit log
        # (who, when, before and after); other apps register their own rules.
        auditlog.register(
            get_user_model(),
            exclude_fields=["password", "last_login"],
            m2m_fields={"groups"},
        )
        auditlog.register(
            models.Profile, exclude_fields=["last_assigned_at"], m2m_fields={"skills"}
        )
        for model in (
            models.Team,
            models.Skill,
            models.PlatformHandle,
            models.Course,
            models.Lesson,
            models.Quiz,
            models.Question,
            models.Choice,
            models.SocialPolicy,
            models.Revocation,
            models.SharePick,
        ):
            auditlog.register(model)
        auditlog.register(models.Level, m2m_fields={"courses"})
