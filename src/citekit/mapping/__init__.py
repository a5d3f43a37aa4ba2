"""Declarative mapping tables between format fields and CSL variables."""
