"""Supplier orders: a draft per supplier, sent, received into a workshop in one or more parts."""
