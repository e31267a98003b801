"""The program's models, one module per subject: people (teams, skills, profiles,
handles), training, certification, governance and advocacy.

Django finds them through this package; the rest of the app imports them from here
or from their subject's module. Nothing in it imports the app's services, so no
sub-package that reads a model is imported back by the models."""

from .advocacy import (
    PointEvent,
    PointKind,
    PointTally,
    Share,
    SharePick,
    ShareStatus,
    TallyPeriod,
)
from .certification import (
    CertificationEvent,
    CertificationState,
    Level,
    Revocation,
)
from .governance import (
    PolicyAcceptance,
    SocialPolicy,
)
from .people import (
    Availability,
    Certification,
    Department,
    HandleStatus,
    PlatformHandle,
    Profile,
    Role,
    Skill,
    Team,
)
from .training import (
    Attempt,
    AttemptAnswer,
    AttemptStatus,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Question,
    QuestionKind,
    Quiz,
)

__all__ = [
    "Attempt",
    "AttemptAnswer",
    "AttemptStatus",
    "Availability",
    "Certification",
    "CertificationEvent",
    "CertificationState",
    "Choice",
    "Course",
    "Department",
    "HandleStatus",
    "Lesson",
    "LessonProgress",
    "Level",
    "PlatformHandle",
    "PointEvent",
    "PointKind",
    "PointTally",
    "PolicyAcceptance",
    "Profile",
    "Question",
    "QuestionKind",
    "Quiz",
    "Revocation",
    "Role",
    "Share",
    "SharePick",
    "ShareStatus",
    "Skill",
    "SocialPolicy",
    "TallyPeriod",
    "Team",
]
