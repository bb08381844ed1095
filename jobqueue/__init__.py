"""The queue-sheet protocol: enqueue, claim with lease, heartbeat, finish, retry."""
