from . import linkage, portal_units

ACCESS = {
    **portal_units.ACCESS,
    **linkage.ACCESS,
}
