"""Locations: where stock is held (a technician's van, a workshop)."""
