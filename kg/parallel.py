"""Where the per-file work runs: this process, local worker processes, or a Dask cluster.

Each runner takes (path, key) tasks and yields ``FileResult``s as they finish, in any
order. At most ``IN_FLIGHT`` tasks per worker are submitted ahead, so neither the
queue nor the finished results waiting to be written grow with the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from kg.errors import KgError
from kg.work import FileResult, Options, process_file, warm

Task = tuple[str, str]  # (path, cache key)
#: Tasks submitted ahead per worker: enough to keep every worker busy.
IN_FLIGHT = 4
#: A worker process is replaced after this many files: whatever it caches per text
#: cannot pile up over a long build.
TASKS_PER_WORKER = 2000


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_serial(tasks: Iterable[Task], options: Options) -> Iterator[FileResult]:
    """In this process, one file after another (``-j 1``)."""
    for path, key in tasks:
        yield process_file(path, key, options)


def run_processes(tasks: Iterable[Task], options: Options, jobs: int
                  ) -> Iterator[FileResult]:
    """On ``jobs`` local worker processes.

    Workers start from a fork server (a clean process: the parent's open store and
    threads are not inherited) and load the pipeline once each. A worker that dies
    (killed, out of memory) stops the build with a clear error instead of hanging.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kg.work"])
    pending: set[Future[FileResult]] = set()
    todo = iter(tasks)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=warm,
                             initargs=(options,),
                             max_tasks_per_child=TASKS_PER_WORKER) as pool:
        try:
            for path, key in todo:
                pending.add(pool.submit(process_file, path, key, options))
                if len(pending) >= jobs * IN_FLIGHT:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield future.result()
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BrokenProcessPool:
            raise KgError("a build worker process died (out of memory or killed); "
                          "the files done so far are kept: run the build again to "
                          "go on from there") from None
        finally:
            for future in pending:
                future.cancel()


def run_dask(tasks: Iterable[Task], options: Options, address: str
             ) -> Iterator[FileResult]:
    """On a Dask cluster: ``address`` is a scheduler (``tcp://host:8786``), or
    ``local`` for a ``LocalCluster`` of this machine's cores.

    The workers run the same ``process_file`` and read the input paths themselves, so
    the inputs must be on a file system every worker sees, at the same absolute
    paths. Results come back to this process, which alone writes the outputs.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - installed with kg
        raise KgError(f"--dask needs dask.distributed ({exc})") from None
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=default_jobs(), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout="30s")
    except OSError as exc:
        raise KgError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        threads = max(1, sum(client.nthreads().values()))
        todo = iter(tasks)
        queue = as_completed()
        for path, key in todo:
            queue.add(client.submit(process_file, path, key, options,
                                    os.path.abspath(path), pure=False))
            if queue.count() >= threads * IN_FLIGHT:
                break
        for future in queue:
            result: FileResult = future.result()
            future.release()
            yield result
            nxt = next(todo, None)
            if nxt is not None:
                queue.add(client.submit(process_file, nxt[0], nxt[1], options,
                                        os.path.abspath(nxt[0]), pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
