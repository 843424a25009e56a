"""The read cache: one computation per key at a time, expired values served while one thread refreshes."""

from __future__ import annotations

import threading
import time

from narrascope.api.reads import Cache


def test_values_are_kept_until_they_expire() -> None:
    cache = Cache(seconds=60)
    calls: list[int] = []
    assert cache.get(("k",), lambda: calls.append(1) or len(calls)) == 1
    assert cache.get(("k",), lambda: calls.append(1) or len(calls)) == 1
    cache.clear()
    assert cache.get(("k",), lambda: calls.append(1) or len(calls)) == 2


def test_concurrent_misses_compute_once() -> None:
    cache = Cache(seconds=60)
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(("k",), slow))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 4 and len(calls) == 1


def test_expired_value_is_served_while_one_thread_refreshes() -> None:
    cache = Cache(seconds=0.0)
    cache.get(("k",), lambda: "old")
    started, release = threading.Event(), threading.Event()

    def refresh() -> str:
        started.set()
        release.wait(5)
        return "new"

    refresher = threading.Thread(target=cache.get, args=(("k",), refresh))
    refresher.start()
    assert started.wait(5)
    assert cache.get(("k",), lambda: "never") == "old"  # does not wait for the refresh
    release.set()
    refresher.join()


def test_value_computed_across_a_clear_is_not_kept() -> None:
    cache = Cache(seconds=60)

    def racing() -> str:
        cache.clear()  # a job wrote while this aggregate was being computed
        return "before the write"

    assert cache.get(("k",), racing) == "before the write"
    assert cache.get(("k",), lambda: "after the write") == "after the write"
