"""Requests from a van: a technician asks the office for a part; served by a transfer or refused."""
