from . import portal_units, public

ACCESS = {
    **portal_units.ACCESS,
    **public.ACCESS,
}
