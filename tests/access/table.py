from . import assessments, evaluation, portal_units

ACCESS = {
    **portal_units.ACCESS,
    **assessments.ACCESS,
    **evaluation.ACCESS,
}
