"""Replenishment to par: what a van needs from a workshop (picking list), and « Préparer »."""
