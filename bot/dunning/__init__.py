"""Dunning: the reminder policy from the instruction sheet and the pure rules that apply it."""
