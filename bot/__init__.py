"""Rykkerbot: the robot that sends payment reminders and hands cases to debt collection."""
