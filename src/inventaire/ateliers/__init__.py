"""Workshops: stock held at the company's premises, from which the vans are refilled."""
