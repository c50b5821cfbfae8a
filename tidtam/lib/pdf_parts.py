"""Parts of one long PDF laid out side by side, in processes of their own, their pages numbered
on from one part to the next (the report books: dashboards.book_pdf).

A part's page numbers depend on how many pages the parts before it have, known only once they
are laid out. Each worker lays its part out and reports its page count; `render_pdf` then asks
it where the part starts (its page_offset) and it waits to be told, which it is as soon as every
part before it is counted; meanwhile the other workers lay the next parts out. So the workers
run side by side, each holding one part's layout at a time.

The workers are started with "spawn" (a fresh interpreter: the book's process may run threads,
which fork does not copy safely), so this module imports nothing of Django at its top: a worker
sets Django up before it imports the renderer. Spawn starts a worker by importing the
`__main__` module of the book's process: every entry point guards its work with
`if __name__ == "__main__"` (manage.py, bench/books.py and pytest do).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any


def render_side_by_side(
    htmls: Iterable[str], *, count: int, first_page: int, folder: Path, workers: int
) -> Iterator[Path]:
    """Render each of the `count` HTML documents to `folder` with `workers` processes; yield
    the files in order as they are done. The first part's pages are numbered from `first_page`
    (its `counter(page)` values shifted by it), each next part's from where the one before
    ended. Each document is handed to the workers as soon as `htmls` gives it: the book's
    process writes the next parts' HTML while the workers start and lay the first ones out."""
    spawn = multiprocessing.get_context("spawn")
    paths = [folder / f"part-{n}.pdf" for n in range(1, count + 1)]
    with spawn.Manager() as manager:
        counts = manager.Queue()
        starts = manager.dict()
        told = manager.Condition()
        numbering = threading.Thread(
            target=_number_parts, args=(counts, starts, told, first_page, count)
        )
        numbering.start()
        try:
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=spawn,
                initializer=_start_worker,
                initargs=(counts, starts, told),
            ) as pool:
                futures: list[Future[None]] = []
                done = 0
                try:
                    for n, html in enumerate(htmls):
                        futures.append(pool.submit(_render_part, n, html, str(paths[n])))
                        while done < len(futures) and futures[done].done():
                            futures[done].result()
                            yield paths[done]
                            done += 1
                    assert len(futures) == count, f"{len(futures)} parts given, {count} told"
                    for future in futures[done:]:
                        future.result()
                        yield paths[done]
                        done += 1
                except BaseException:
                    # A part failed: the parts after it would wait for their start forever.
                    for future in futures:
                        future.cancel()
                    with told:
                        for n in range(len(paths)):
                            starts.setdefault(n, 0)
                        told.notify_all()
                    raise
        finally:
            counts.put(None)  # the numbering thread stops, whatever happened
            numbering.join()


def _number_parts(counts: Any, starts: Any, told: Any, first_page: int, parts: int) -> None:
    """In the book's process: from the page counts the workers report, in any order, where
    each part starts, told as soon as every part before it is counted."""
    known: dict[int, int] = {}
    start, following = first_page, 0
    while following < parts:
        reported = counts.get()
        if reported is None:
            return
        known[reported[0]] = reported[1]
        with told:
            while following in known:
                starts[following] = start
                start += known.pop(following)
                following += 1
            told.notify_all()


_WORKER: dict[str, Any] = {}


def _start_worker(counts: Any, starts: Any, told: Any) -> None:
    """A worker process: Django set up for the static files `render_pdf` reads."""
    import django

    django.setup()
    _WORKER.update(counts=counts, starts=starts, told=told)


def _render_part(index: int, html: str, path: str) -> None:
    from tidtam.lib.pdf import render_pdf

    counts, starts, told = _WORKER["counts"], _WORKER["starts"], _WORKER["told"]

    def starts_at(pages: int) -> int:
        counts.put((index, pages))
        with told:
            while index not in starts:
                told.wait()
            start: int = starts[index]
        return start

    Path(path).write_bytes(render_pdf(html, page_offset=starts_at))
