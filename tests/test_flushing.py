"""When a long run writes what it buffered (pure, with a clock the test moves)."""

from __future__ import annotations

from bot.flows.flushing import Flushes


def test_a_flush_at_each_quarter_at_most_and_never_twice_within_the_pause() -> None:
    now = [0.0]
    writes: list[int] = []
    flushes = Flushes(100, lambda: writes.append(int(now[0])), parts=4, seconds=15.0, clock=lambda: now[0])
    for done in range(1, 101):
        now[0] += 1.0  # a second per item
        flushes.advanced(done)
    assert writes == [25, 50, 75, 100]  # each quarter, 25 s apart

    writes.clear()
    now[0] = 0.0
    slow = Flushes(100, lambda: writes.append(int(now[0])), parts=4, seconds=15.0, clock=lambda: now[0])
    for done in range(1, 101):
        now[0] += 0.1  # the whole run takes 10 s: no flush before the flow's own last one
        slow.advanced(done)
    assert writes == []


def test_a_quarter_reached_during_the_pause_is_flushed_once_the_pause_is_over() -> None:
    now = [0.0]
    writes: list[float] = []
    flushes = Flushes(8, lambda: writes.append(now[0]), parts=4, seconds=15.0, clock=lambda: now[0])
    for done, at in [(2, 5.0), (3, 16.0), (4, 17.0), (8, 40.0)]:
        now[0] = at
        flushes.advanced(done)
    assert writes == [16.0, 40.0]  # the first quarter late (after the pause), the half skipped, the end
