"""Check files in worker processes: results in task order, a worker that dies costs one file, Ctrl-C is clean.

``multiprocessing.Pool`` waits forever when a worker is killed (the kernel's OOM killer, a SIGKILL), and on
Ctrl-C every worker prints a traceback. This small pool is built for what a linter of untrusted input needs:

* each worker has a pipe of its own and is given one chunk of files at a time; it sends back each file's result
  as soon as it has it, so the parent always knows which file a worker was checking;
* the parent waits on the pipes and on the processes' sentinels together. When a worker dies, the file it was
  checking gets an SH001 finding ("the worker checking this file died"), the rest of its chunk goes back to
  the queue, a new worker takes its place, and the run goes on. Each death costs one file, so the run ends;
* workers ignore SIGINT (SIGINT is blocked while one starts, so none can be interrupted before it ignores the
  signal): Ctrl-C interrupts the parent alone, which kills its workers and reports one line, exit code 130.

Workers receive rule codes, not modules, and module-level functions (what to check a file with, how to load
the rules), so every argument pickles and the same code works with ``spawn`` (macOS, Windows); this module
knows nothing of what checking a file means. On Linux ``fork`` is used while this process has a single thread: a forked worker inherits
the imported modules and caches and starts in milliseconds instead of re-importing shlint.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections import deque

from shlint.records import field, record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from shlint.analyzer.engine import FileResult
    from shlint.api import FileTask
    from shlint.config import Settings
    from shlint.rules.catalogue import RuleSet

    CheckFile = Callable[[FileTask, Settings, RuleSet], FileResult]
    LoadRules = Callable[[tuple[str, ...]], RuleSet]
    Lost = Callable[[str, str, Settings], FileResult]  # (path, why, settings): the result of a lost file

CHUNKS_PER_WORKER = 8  # small enough chunks that one slow file does not leave the other workers idle
WORKER_DIED = "the worker checking this file died ({how}), perhaps out of memory; the file was not checked"


@record(frozen=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    pending: deque[int] = field(default_factory=deque)  # indices of the files sent and not yet answered


def run_parallel(
    tasks: list[FileTask],
    settings: Settings,
    codes: tuple[str, ...],
    workers: int,
    *,
    check_file: CheckFile,
    load_rules: LoadRules,
    lost: Lost,
    done: Callable[[], None] = lambda: None,
) -> list[FileResult]:
    """The result of each task, in task order, checked by ``workers`` processes with ``check_file`` and the
    rules ``load_rules(codes)`` gives; a file whose worker died gets ``lost(path, why, settings)``. ``done`` is
    called once per file as its result arrives (a progress line counts them)."""
    import multiprocessing  # here: only parallel runs pay for importing it
    import threading
    from multiprocessing.connection import wait

    method = "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
    context = multiprocessing.get_context(method)
    size = max(1, -(-len(tasks) // (workers * CHUNKS_PER_WORKER)))
    queue: deque[list[int]] = deque(
        list(range(start, min(start + size, len(tasks)))) for start in range(0, len(tasks), size)
    )
    results: list[FileResult | None] = [None] * len(tasks)
    live: list[_Worker] = []
    refusals = 0  # workers that died before taking any work: not a file's fault, so counted apart

    def start() -> _Worker | None:
        parent_end, child_end = context.Pipe()
        try:
            with _sigint_blocked():
                args = (child_end, settings, codes, check_file, load_rules)
                process = context.Process(target=worker_main, args=args, daemon=True)
                process.start()
        except OSError:  # no process can be started now (out of memory, a process limit)
            parent_end.close()
            return None
        finally:
            child_end.close()
        worker = _Worker(process, parent_end)
        live.append(worker)
        return worker

    def retire(worker: _Worker) -> None:
        _stop(worker)
        live.remove(worker)

    def assign(worker: _Worker | None) -> None:
        """Give an idle worker the next chunk; one that cannot take it is replaced, and the chunk kept."""
        nonlocal refusals
        while worker is not None and queue:
            chunk = queue.popleft()
            try:
                worker.conn.send([(index, tasks[index]) for index in chunk])
            except OSError:  # it died while idle
                queue.appendleft(chunk)
                retire(worker)
                refusals += 1
                worker = start() if refusals <= 2 * workers else None
                continue
            worker.pending.extend(chunk)
            return

    try:
        for _ in range(min(workers, len(queue))):
            assign(start())
        while any(worker.pending for worker in live):
            busy = [worker for worker in live if worker.pending]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                if _receive(worker, results, done):
                    if not worker.pending:
                        assign(worker)
                    continue
                # The worker died with work in hand: the file it was checking is lost, the rest is queued again.
                index = worker.pending.popleft()
                results[index] = lost(tasks[index].path, _death(worker.process), settings)
                done()
                if worker.pending:
                    queue.appendleft(list(worker.pending))
                worker.pending.clear()
                retire(worker)
                if queue:
                    assign(start())
        for worker in list(live):
            retire(worker)
    finally:
        for worker in live:
            _kill(worker)
    if queue:  # no worker could be kept alive to take these: check them here rather than not at all
        rules = load_rules(codes)
        for chunk in queue:
            for index in chunk:
                results[index] = check_file(tasks[index], settings, rules)
                done()
    assert all(result is not None for result in results)
    return results  # type: ignore[return-value]


def _receive(worker: _Worker, results: list[FileResult | None], done: Callable[[], None]) -> bool:
    """Take every result the worker has sent; False when it is gone before answering all it was given."""
    while worker.pending:
        if worker.process.exitcode is not None and not worker.conn.poll():
            return False
        if not worker.conn.poll():
            return True  # alive and still working
        try:
            index, result = worker.conn.recv()
        except (EOFError, OSError):
            return False
        if index == worker.pending[0]:
            worker.pending.popleft()
            results[index] = result
            done()
    return True


def _death(process: BaseProcess) -> str:
    """What the file a worker was checking is reported with: how the worker died."""
    process.join()
    code = process.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exit code {code}"
    return WORKER_DIED.format(how=how)


def _stop(worker: _Worker) -> None:
    """Let an idle worker finish: it ends when its pipe says so (or closes)."""
    with contextlib.suppress(OSError):
        worker.conn.send(None)
    worker.conn.close()
    worker.process.join()


def _kill(worker: _Worker) -> None:
    """End a worker now (Ctrl-C, or an error in this process): SIGKILL cannot be ignored, so join returns."""
    if worker.process.exitcode is None:
        worker.process.kill()
    worker.process.join()
    with contextlib.suppress(OSError):
        worker.conn.close()


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT held back while a worker starts: the worker inherits the mask, ignores SIGINT, then unblocks."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # Windows: Ctrl-C reaches workers as CTRL_C_EVENT; they ignore it once started
        yield
        return
    mask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        mask(signal.SIG_UNBLOCK, {signal.SIGINT})


def worker_main(
    conn: Connection,
    settings: Settings,
    codes: tuple[str, ...],
    check_file: CheckFile,
    load_rules: LoadRules,
) -> None:
    """A worker: check each chunk it is sent, answering file by file, until told to stop (module level, so
    ``spawn`` finds it by name)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    rules = load_rules(codes)
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if chunk is None:
            return
        for index, task in chunk:
            result = check_file(task, settings, rules)
            try:
                conn.send((index, result))
            except OSError:
                return  # the parent is gone: nobody wants the result
