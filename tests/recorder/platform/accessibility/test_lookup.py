"""ElementLookup: submit only enqueues, the worker answers, full queues and late requests."""

from __future__ import annotations

import threading
import time

from recorder.platform.accessibility.element import (
    DROPPED,
    FAILED,
    QUEUED_TOO_LONG,
    Element,
    ElementRecord,
    Missing,
    make_element,
)
from recorder.platform.accessibility.lookup import (
    ElementLookup,
    LookupRequest,
    dropped_record,
)


class FakeSource:
    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate
        self.asked: list[tuple[str, int, int]] = []
        self.thread: str | None = None
        self.closed = False

    def element_at(self, x: int, y: int, deadline_s: float) -> Element | Missing:
        self.thread = threading.current_thread().name
        if self.gate is not None:
            self.gate.wait(5)
        self.asked.append(("at", x, y))
        return make_element("push button", f"b{x}", None, (), (x, y, 1, 1))

    def focused_element(self, deadline_s: float) -> Element | Missing:
        self.asked.append(("focus", 0, 0))
        return make_element("password text", "secret", None, {"focused"}, None)

    def close(self) -> None:
        self.closed = True


def collect() -> tuple[list[tuple[LookupRequest, ElementRecord]], threading.Event, object]:
    got: list[tuple[LookupRequest, ElementRecord]] = []
    done = threading.Event()

    def on_answer(request: LookupRequest, record: ElementRecord) -> None:
        got.append((request, record))
        done.set()

    return got, done, on_answer


def wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not predicate() and time.monotonic() < end:
        time.sleep(0.005)
    assert predicate()


def test_requests_are_answered_on_the_worker_thread_in_order() -> None:
    source = FakeSource()
    got, _, on_answer = collect()
    lookup = ElementLookup(lambda: source, on_answer)  # type: ignore[arg-type]
    lookup.start()
    now = time.monotonic()
    assert lookup.submit("click", 10, 20, now, ref=1)
    assert lookup.submit("type", 0, 0, now, ref=2)
    assert lookup.submit("scroll", 30, 40, now, ref=3)
    wait_for(lambda: len(got) == 3)
    lookup.stop()
    assert [request.ref for request, _ in got] == [1, 2, 3]
    assert got[0][1]["name"] == "b10"
    assert got[0][1]["bounds"] == [10, 20, 1, 1]
    assert got[1][1]["role"] == "password text"
    assert got[1][1]["name"] is None
    assert source.thread == "overt-elements"
    assert source.closed
    assert lookup.stats() == {"submitted": 3, "answered": 3, "dropped": 0, "late": 0}


def test_a_full_queue_never_blocks_submit_and_counts_the_drop() -> None:
    gate = threading.Event()
    source = FakeSource(gate)
    got, _, on_answer = collect()
    lookup = ElementLookup(lambda: source, on_answer, queue_size=2, max_lag_s=60)  # type: ignore[arg-type]
    lookup.start()
    now = time.monotonic()
    lookup.submit("click", 1, 1, now)
    wait_for(lambda: source.thread is not None)  # the worker holds the first one
    results = [lookup.submit("click", i, i, now) for i in range(2, 6)]
    started = time.perf_counter()
    assert lookup.submit("click", 9, 9, now) is False
    assert time.perf_counter() - started < 0.05
    assert results == [True, True, False, False]
    assert lookup.dropped == 3
    gate.set()
    wait_for(lambda: len(got) == 3)
    lookup.stop()
    assert dropped_record()["missing_reason"] == DROPPED


def test_a_request_queued_too_long_is_not_looked_up_late() -> None:
    source = FakeSource()
    lookup = ElementLookup(lambda: source, lambda r, e: None, max_lag_s=0.25)  # type: ignore[arg-type]
    record = lookup.answer(source, LookupRequest("click", 5, 5, time.monotonic() - 1.0))  # type: ignore[arg-type]
    assert record["missing_reason"] == QUEUED_TOO_LONG
    assert record["lag_ms"] >= 1000
    assert source.asked == []
    assert lookup.late == 1


def test_a_source_that_raises_or_cannot_start_is_a_missing_failure() -> None:
    class Broken(FakeSource):
        def element_at(self, x: int, y: int, deadline_s: float) -> Element | Missing:
            raise RuntimeError("boom")

    lookup = ElementLookup(Broken, lambda r, e: None)  # type: ignore[arg-type]
    record = lookup.answer(Broken(), LookupRequest("click", 1, 1, time.monotonic()))  # type: ignore[arg-type]
    assert record["missing_reason"] == FAILED

    def no_source() -> FakeSource:
        raise OSError("no display")

    got, _, on_answer = collect()
    lookup = ElementLookup(no_source, on_answer)  # type: ignore[arg-type]
    lookup.start()
    lookup.submit("click", 1, 1, time.monotonic())
    wait_for(lambda: len(got) == 1)
    lookup.stop()
    assert got[0][1]["missing_reason"] == FAILED


def test_an_answer_callback_that_raises_does_not_stop_the_worker() -> None:
    source = FakeSource()
    calls: list[int] = []

    def on_answer(request: LookupRequest, record: ElementRecord) -> None:
        calls.append(1)
        raise ValueError("writer closed")

    lookup = ElementLookup(lambda: source, on_answer)  # type: ignore[arg-type]
    lookup.start()
    for i in range(3):
        lookup.submit("click", i, i, time.monotonic())
    wait_for(lambda: len(calls) == 3)
    lookup.stop()
