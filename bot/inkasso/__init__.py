"""Inkasso: case proposals from the ledger's inkasso list and case files for the collection partner."""
