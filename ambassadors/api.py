"""The program over REST: training (courses, attempts, submissions, the quiz key
for admins), the caller's profile, the leaderboard, handles and their approval.
Every error is ``{"code", "message"}``; bad input is a 400 with a code."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ErrorSerializer
from common.errors import DomainError
from common.scopes import NO_SCOPE

from .advocacy.points import leaderboard, points_of
from .advocacy.shares import share_create
from .governance.services import handle_register, handle_review
from .models import Certification, PlatformHandle, Profile, Role
from .models.advocacy import Share, TallyPeriod
from .selectors import user_role
from .training.selectors import attempt_questions, course_detail, courses_for
from .training.services import attempt_start, attempt_submit, course_get


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    text = {
        400: "Bad input (code says which).",
        403: "Not allowed for this role.",
        404: "Not found or out of reach.",
        409: "Not in a state that allows it.",
        429: "Too soon (cool-down or daily attempts).",
    }
    return {c: OpenApiResponse(ErrorSerializer, description=text[c]) for c in codes}


# --- Serializers ---------------------------------------------------------------------


class CourseLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    minutes = serializers.IntegerField()
    completed = serializers.BooleanField()
    html = serializers.CharField(help_text="The lesson, rendered and sanitised.")


class QuizInfoSerializer(serializers.Serializer):
    pass_mark = serializers.IntegerField()
    time_limit_minutes = serializers.IntegerField()
    cooldown_minutes = serializers.IntegerField()
    max_attempts_per_day = serializers.IntegerField()
    questions = serializers.IntegerField()


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    minutes = serializers.IntegerField()
    lessons_total = serializers.IntegerField()
    lessons_done = serializers.IntegerField()
    passed = serializers.BooleanField()
    best_score = serializers.IntegerField(allow_null=True)
    is_refresher = serializers.BooleanField()


class CourseDetailSerializer(CourseSerializer):
    lessons = CourseLessonSerializer(many=True)
    quiz = QuizInfoSerializer(allow_null=True)


class QuizChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuizQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["single", "multiple"])
    text = serializers.CharField()
    choices = QuizChoiceSerializer(many=True)


class QuizAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    questions = QuizQuestionSerializer(many=True)


class AttemptSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='{"<question id>": ["<choice id>", ...]}',
    )


class CertificationStateSerializer(serializers.Serializer):
    level = serializers.CharField()
    rank = serializers.IntegerField()
    state = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class ResultQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    chosen = serializers.ListField(child=serializers.IntegerField())
    correct_choices = serializers.ListField(child=serializers.IntegerField())
    correct = serializers.BooleanField()
    explanation = serializers.CharField()


class QuizResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    passed = serializers.BooleanField()
    certification = CertificationStateSerializer()
    questions = ResultQuestionSerializer(many=True)


class KeyChoiceSerializer(QuizChoiceSerializer):
    correct = serializers.BooleanField()


class KeyQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    explanation = serializers.CharField()
    choices = KeyChoiceSerializer(many=True)


class QuizKeySerializer(serializers.Serializer):
    questions = KeyQuestionSerializer(many=True)


class PlatformHandleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformHandle
        fields = [
            "id",
            "platform",
            "handle",
            "platform_user_id",
            "disclosure",
            "status",
            "review_note",
            "reviewed_at",
        ]


class HandleCreateSerializer(serializers.Serializer):
    platform = serializers.CharField()
    handle = serializers.CharField(max_length=200)
    disclosure = serializers.CharField(max_length=400)
    platform_user_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True
    )


class HandleReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AmbassadorPointsSerializer(serializers.Serializer):
    week = serializers.IntegerField()
    month = serializers.IntegerField()
    all = serializers.IntegerField()


class AmbassadorMeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    team = serializers.CharField(allow_null=True)
    department = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    certification = CertificationStateSerializer()
    handles = PlatformHandleSerializer(many=True)
    points = AmbassadorPointsSerializer()


class LeaderboardStandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    team = serializers.CharField()
    points = serializers.IntegerField()


class LeaderboardSerializer(serializers.Serializer):
    period = serializers.CharField()
    team = serializers.IntegerField(allow_null=True)
    results = LeaderboardStandingSerializer(many=True)


def certification_of(profile: Profile | None) -> dict:
    level = profile.certification if profile else 0
    return {
        "level": Certification(level).label if level in Certification.values else "",
        "rank": level,
        "state": (profile.certification_state or "none") if profile else "none",
        "expires_at": profile.certification_expires_at if profile else None,
    }


def _profile(user) -> Profile | None:
    return Profile.objects.select_related("team").filter(user=user).first()


# --- Views ---------------------------------------------------------------------------


class CourseList(APIView):
    @extend_schema(
        tags=["training"],
        summary="Published courses with my progress",
        responses={200: CourseSerializer(many=True)},
    )
    def get(self, request):
        return Response(
            CourseSerializer(courses_for(user=request.user), many=True).data
        )


class CourseDetail(APIView):
    @extend_schema(
        tags=["training"],
        summary="A course with its lessons (never the quiz answers)",
        responses={200: CourseDetailSerializer, **_errors(404)},
    )
    def get(self, request, course_id: int):
        data = course_detail(user=request.user, course_id=course_id)
        return Response(CourseDetailSerializer(data).data)


class AttemptStart(APIView):
    @extend_schema(
        tags=["training"],
        summary="Start (or resume) a quiz attempt: the questions, without answers",
        request=None,
        responses={201: QuizAttemptSerializer, **_errors(404, 429)},
    )
    def post(self, request, course_id: int):
        attempt = attempt_start(user=request.user, course_id=course_id)
        return Response(
            QuizAttemptSerializer(attempt_questions(attempt=attempt)).data,
            status=status.HTTP_201_CREATED,
        )


class AttemptSubmit(APIView):
    @extend_schema(
        tags=["training"],
        summary="Submit an attempt's answers (counted once)",
        request=AttemptSubmitSerializer,
        responses={200: QuizResultSerializer, **_errors(400, 404, 409)},
    )
    def post(self, request, attempt_id: int):
        body = request.data if isinstance(request.data, dict) else None
        if body is None or "answers" not in body:
            raise DomainError("invalid_answers", 'The body must be {"answers": {...}}.')
        result = attempt_submit(
            user=request.user, attempt_id=attempt_id, answers=body["answers"]
        )
        explanations = {
            q.pk: q.explanation for q in result.attempt.quiz.questions.all()
        }
        return Response(
            QuizResultSerializer(
                {
                    "score": result.score,
                    "passed": result.passed,
                    "certification": certification_of(_profile(request.user)),
                    "questions": [
                        {
                            "id": q.question_id,
                            "chosen": q.chosen,
                            "correct_choices": q.correct_choices,
                            "correct": q.correct,
                            "explanation": explanations.get(q.question_id, ""),
                        }
                        for q in result.questions
                    ],
                }
            ).data
        )


class QuizKey(APIView):
    @extend_schema(
        tags=["training"],
        summary="A course's questions with the answer key (admins only, for editing)",
        responses={200: QuizKeySerializer, **_errors(403, 404)},
    )
    def get(self, request, course_id: int):
        if user_role(request.user) != Role.ADMIN:
            raise DomainError(
                "admin_only", "Only an admin may read the answer key.", 403
            )
        course = course_get(course_id=course_id)
        quiz = getattr(course, "quiz", None)
        questions = quiz.questions.prefetch_related("choices") if quiz else []
        return Response(
            QuizKeySerializer(
                {
                    "questions": [
                        {
                            "id": q.pk,
                            "kind": q.kind,
                            "text": q.text,
                            "explanation": q.explanation,
                            "choices": [
                                {"id": c.pk, "text": c.text, "correct": c.correct}
                                for c in q.choices.all()
                            ],
                        }
                        for q in questions
                    ]
                }
            ).data
        )


class Me(APIView):
    @extend_schema(
        tags=["ambassadors"],
        summary="My profile, level, expiry, handles and points",
        responses={200: AmbassadorMeSerializer, **_errors(404)},
    )
    def get(self, request):
        profile = _profile(request.user)
        if profile is None:
            raise DomainError("no_profile", "You have no profile.", 404)
        return Response(
            AmbassadorMeSerializer(
                {
                    "username": request.user.get_username(),
                    "role": profile.role,
                    "team": profile.team.name if profile.team else None,
                    "department": profile.department,
                    "languages": list(profile.languages or []),
                    "certification": certification_of(profile),
                    "handles": list(profile.handles.order_by("platform")),
                    "points": points_of(user_id=request.user.pk),
                }
            ).data
        )


class Leaderboard(APIView):
    @extend_schema(
        tags=["ambassadors"],
        summary="The leaderboard of the week, the month or all time",
        parameters=[
            OpenApiParameter("period", enum=TallyPeriod.values, default="week"),
            OpenApiParameter("team", int, description="A team's id (default: all)"),
        ],
        responses={200: LeaderboardSerializer, **_errors(400)},
    )
    def get(self, request):
        period = request.query_params.get("period", "week")
        if period not in TallyPeriod.values:
            raise DomainError("invalid_period", "period is one of week, month, all.")
        raw_team = request.query_params.get("team", "")
        team_id = None
        if raw_team:
            if not raw_team.isdigit():
                raise DomainError("invalid_team", "team is a team id.")
            team_id = int(raw_team)
        return Response(
            LeaderboardSerializer(
                {
                    "period": period,
                    "team": team_id,
                    "results": leaderboard(period=period, team_id=team_id),
                }
            ).data
        )


class HandleCreate(APIView):
    @extend_schema(
        tags=["ambassadors"],
        summary="Register the handle I speak from on a platform (waits for approval)",
        request=HandleCreateSerializer,
        responses={201: PlatformHandleSerializer, **_errors(400, 403)},
    )
    def post(self, request):
        data = HandleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        handle = handle_register(user=request.user, **data.validated_data)
        return Response(
            PlatformHandleSerializer(handle).data, status=status.HTTP_201_CREATED
        )


class HandleReview(APIView):
    approve = True

    @extend_schema(
        tags=["ambassadors"],
        summary="A manager approves (or refuses, with a note) a handle",
        request=HandleReviewSerializer,
        responses={200: PlatformHandleSerializer, **_errors(400, 404)},
    )
    def post(self, request, handle_id: int):
        data = HandleReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        handle = handle_review(
            handle_id=handle_id,
            actor=request.user,
            approve=self.approve,
            note=data.validated_data.get("note", ""),
        )
        return Response(PlatformHandleSerializer(handle).data)


class HandleRefuse(HandleReview):
    approve = False


class AmbassadorShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = Share
        fields = [
            "id",
            "pick",
            "platform",
            "handle",
            "kind",
            "text",
            "status",
            "external_id",
            "error",
            "created_at",
            "sent_at",
        ]


class ShareCreateSerializer(serializers.Serializer):
    pick = serializers.IntegerField()
    comment = serializers.CharField(max_length=400, required=False, allow_blank=True)


class ShareCreate(APIView):
    @extend_schema(
        tags=["ambassadors"],
        summary="Share a picked brand post from my approved handle (once per post)",
        request=ShareCreateSerializer,
        responses={201: AmbassadorShareSerializer, **_errors(400, 403, 404, 409)},
    )
    def post(self, request):
        data = ShareCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        share = share_create(
            user=request.user,
            pick_id=data.validated_data["pick"],
            comment=data.validated_data.get("comment"),
        )
        return Response(
            AmbassadorShareSerializer(share).data, status=status.HTTP_201_CREATED
        )


class ShareDetail(APIView):
    @extend_schema(
        tags=["ambassadors"],
        summary="One of my shares",
        responses={200: AmbassadorShareSerializer, **_errors(404)},
    )
    def get(self, request, share_id: int):
        share = Share.objects.filter(pk=share_id, user=request.user).first()
        if share is None:
            raise DomainError("not_found", "No such share.", 404)
        return Response(AmbassadorShareSerializer(share).data)


api_urlpatterns = [
    path("training/courses/", CourseList.as_view(), name="api-training-courses"),
    path(
        "training/courses/<int:course_id>/",
        CourseDetail.as_view(),
        name="api-training-course",
    ),
    path(
        "training/courses/<int:course_id>/attempts/",
        AttemptStart.as_view(),
        name="api-training-attempts",
    ),
    path(
        "training/courses/<int:course_id>/quiz/",
        QuizKey.as_view(),
        name="api-training-quiz",
    ),
    path(
        "training/attempts/<int:attempt_id>/submit/",
        AttemptSubmit.as_view(),
        name="api-training-submit",
    ),
    path("ambassadors/me/", Me.as_view(), name="api-ambassadors-me"),
    path(
        "ambassadors/leaderboard/",
        Leaderboard.as_view(),
        name="api-ambassadors-leaderboard",
    ),
    path("ambassadors/handles/", HandleCreate.as_view(), name="api-handles"),
    path("ambassadors/shares/", ShareCreate.as_view(), name="api-shares"),
    path(
        "ambassadors/shares/<int:share_id>/",
        ShareDetail.as_view(),
        name="api-share",
    ),
    path(
        "ambassadors/handles/<int:handle_id>/approve/",
        HandleReview.as_view(),
        name="api-handle-approve",
    ),
    path(
        "ambassadors/handles/<int:handle_id>/refuse/",
        HandleRefuse.as_view(),
        name="api-handle-refuse",
    ),
]


# Token scopes (common.scopes): a person's own program (training, handles, shares,
# their figures) needs no scope beyond their token; the role checks above decide.
for _view in (
    CourseList,
    CourseDetail,
    AttemptStart,
    QuizKey,
    AttemptSubmit,
    Me,
    Leaderboard,
    HandleCreate,
    ShareCreate,
    ShareDetail,
    HandleReview,
    HandleRefuse,
):
    _view.required_scope = NO_SCOPE
