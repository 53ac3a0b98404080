"""Expert evaluation and the grade review: who may open which page.

The world gets one evaluated application of its unit, scored and signed by ``expert`` alone,
so ``expert_other`` is the expert who was not assigned.
"""

from .rules import Rule

BUREAU = frozenset({"bureau"})
EXPERTS = frozenset({"expert", "expert_other"})
# The report: the bureau, the unit's own enterprise, township and supervising department, and
# the assigned expert; the same roles elsewhere get 404, the others 403.
REPORT_READERS = frozenset({"bureau", "enterprise", "township", "supervisor", "expert"})


def evaluated(world):
    cached = getattr(world, "_evaluated", None)
    if cached is None:
        from tests.evaluation_support import accepted_application, assign, sign

        application = accepted_application(world.unit, world.users["bureau"])
        (assignment,) = assign(application, world.users["bureau"], world.users["expert"])
        sign(assignment, "90.0")
        cached = world._evaluated = (application, assignment)
    return cached


def application_pk(world):
    return {"pk": evaluated(world)[0].pk}


def assignment_pk(world):
    return {"pk": evaluated(world)[1].pk}


def expert_pk(world):
    from assessments.models import Expert

    return {"pk": Expert.objects.get(user=world.users["expert"]).pk}


ACCESS = {
    "evaluation:board": Rule(BUREAU),
    "evaluation:experts": Rule(BUREAU),
    "evaluation:expert_create": Rule(BUREAU),
    "evaluation:expert_detail": Rule(BUREAU, kwargs=expert_pk),
    "evaluation:expert_edit": Rule(BUREAU, kwargs=expert_pk),
    "evaluation:conflicts": Rule(EXPERTS),
    "evaluation:assign": Rule(BUREAU, kwargs=application_pk),
    "evaluation:report": Rule(REPORT_READERS, kwargs=application_pk),
    "evaluation:worklist": Rule(EXPERTS),
    # another expert's assignment is not found
    "evaluation:assignment": Rule(frozenset({"expert"}), kwargs=assignment_pk),
    "evaluation:declare": Rule(frozenset({"expert"}), kwargs=assignment_pk, method="post"),
    "evaluation:review_list": Rule(BUREAU),
    "evaluation:review_batch": Rule(BUREAU, method="post"),
    "evaluation:review": Rule(BUREAU, kwargs=application_pk),
}
