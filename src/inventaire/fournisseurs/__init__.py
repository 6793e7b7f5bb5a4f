"""Suppliers: who the company orders parts from, how to reach them and how long they take."""
