from django.utils import translation


class UserLanguageMiddleware:
    """Speak the language the signed-in user chose (after LocaleMiddleware's guess)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            if profile is not None and profile.ui_language:
                translation.activate(profile.ui_language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
