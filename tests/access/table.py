from . import evaluation, linkage, portal_units, public

ACCESS = {
    **portal_units.ACCESS,
    **evaluation.ACCESS,
    **linkage.ACCESS,
    **public.ACCESS,
}
