from . import evaluation, linkage, portal_units, ratings

ACCESS = {
    **portal_units.ACCESS,
    **evaluation.ACCESS,
    **linkage.ACCESS,
    **ratings.ACCESS,
}
