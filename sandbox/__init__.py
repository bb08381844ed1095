"""Local stand-ins that speak the real protocols: a demo accounting site and a Sheets API v4 emulator."""
