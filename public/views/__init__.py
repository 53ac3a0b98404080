"""Public pages: rating search, a unit's page (and its archive for insiders), statistics."""
