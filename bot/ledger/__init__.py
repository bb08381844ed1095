"""The ledger port (what the robot needs from an accounting system) and its Playwright adapter."""
