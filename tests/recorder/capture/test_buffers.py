"""The grab buffer pool: a buffer is reused only once nothing but the pool refers to it."""

from __future__ import annotations

from PIL import Image

from recorder.capture.buffers import BufferPool


def test_a_dropped_buffer_is_reused() -> None:
    pool = BufferPool()
    first = pool.take(64)
    first_id = id(first)
    del first
    assert id(pool.take(64)) == first_id
    assert pool.made == 1


def test_a_buffer_anything_still_holds_is_not_reused() -> None:
    pool = BufferPool()
    queued = [pool.take(64)]  # a grab in the ring or the write queue
    viewed = pool.take(64)
    view = memoryview(viewed)  # C code reading it
    pictured = pool.take(64)
    image = Image.frombuffer("RGBX", (4, 4), pictured, "raw", "RGBX", 0, 1)  # shares it
    busy = {id(queued[0]), id(viewed), id(pictured)}
    del viewed, pictured
    taken = pool.take(64)
    assert id(taken) not in busy
    assert pool.made == 4
    assert (view.nbytes, image.size) == (64, (4, 4))  # both still alive here


def test_at_most_keep_buffers_of_a_size_are_kept() -> None:
    pool = BufferPool(keep=2)
    held = [pool.take(8) for _ in range(5)]
    assert pool.made == 5
    assert pool.kept == 2
    del held
    pool.take(8)
    assert pool.made == 5


def test_each_size_has_its_own_buffers() -> None:
    pool = BufferPool()
    small, large = pool.take(8), pool.take(16)
    assert (len(small), len(large)) == (8, 16)
    del small, large
    assert len(pool.take(8)) == 8
    assert len(pool.take(16)) == 16
    assert pool.made == 2
