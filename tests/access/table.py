from . import portal_units

ACCESS = {
    **portal_units.ACCESS,
}
