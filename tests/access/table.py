from . import assessments, evaluation, linkage, moved, portal_units, public, ratings, repair

ACCESS = {
    **portal_units.ACCESS,
    **assessments.ACCESS,
    **evaluation.ACCESS,
    **ratings.ACCESS,
    **linkage.ACCESS,
    **public.ACCESS,
    **moved.ACCESS,
    **repair.ACCESS,
}
