from . import assessments, evaluation, linkage, portal_units, public

ACCESS = {
    **portal_units.ACCESS,
    **assessments.ACCESS,
    **evaluation.ACCESS,
    **linkage.ACCESS,
    **public.ACCESS,
}
