from . import assessments, portal_units

ACCESS = {
    **portal_units.ACCESS,
    **assessments.ACCESS,
}
