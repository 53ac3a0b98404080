from . import assessments, evaluation, linkage, portal_units

ACCESS = {
    **portal_units.ACCESS,
    **assessments.ACCESS,
    **evaluation.ACCESS,
    **linkage.ACCESS,
}
