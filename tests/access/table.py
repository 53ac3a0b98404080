from . import evaluation, linkage, portal_units

ACCESS = {
    **portal_units.ACCESS,
    **evaluation.ACCESS,
    **linkage.ACCESS,
}
