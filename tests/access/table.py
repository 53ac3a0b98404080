from . import portal_units, ratings

ACCESS = {
    **portal_units.ACCESS,
    **ratings.ACCESS,
}
