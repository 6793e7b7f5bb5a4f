"""Pianos and their billed services: the PLS (Dampp-Chaser) maintenance cycle."""
