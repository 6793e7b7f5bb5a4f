"""Appointments booked in Gazelle, stored and replaced at each read."""
