from django.apps import AppConfig


class MockfeedsConfig(AppConfig):
    name = "mockfeeds"
