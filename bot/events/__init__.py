"""The event log a person reads (tab Hændelser): the robot's journal and decisions as Danish rows."""
