from . import evaluation, portal_units

ACCESS = {
    **portal_units.ACCESS,
    **evaluation.ACCESS,
}
