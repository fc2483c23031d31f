# Copyright 2026 snan_nav contributors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""Where bench jobs run: serially, on a fork process pool, or on a Ray cluster.

Every job (a :class:`~snan_nav.bench.runner.Job` or a sequence job) is a pure function of
its fields, run by its ``run()`` method, so all executors return identical results in job
order; only the wall times inside them differ.

- ``process`` (default): ``workers`` forked processes (1 = serial in this process). Forking
  after the warm-up lets workers inherit the loaded numba kernels.
- ``ray``: the Ray cluster at ``RAY_ADDRESS`` when that variable is set (the package is
  shipped to it as a ``py_modules`` runtime environment; numpy, numba and the other
  requirements must be installed there), else a local Ray started here with ``workers``
  CPUs and shut down on close. Each task runs a batch of jobs on one CPU.

Workers stay single-threaded (``NUMBA_NUM_THREADS=1``) so they do not oversubscribe cores.
"""
from contextlib import contextmanager
import os
from typing import Callable, Iterator, List, Sequence

from snan_nav.bench.progress import Progress

EXECUTORS = ('process', 'ray')
WORKER_ENV = {'NUMBA_NUM_THREADS': '1', 'OMP_NUM_THREADS': '1', 'OPENBLAS_NUM_THREADS': '1'}
#: Object store of a local Ray: results are small arrays, so a small store is plenty.
LOCAL_RAY_OBJECT_STORE_BYTES = 256 * 1024 * 1024
BATCHES_PER_WORKER = 8  # several batches per worker: load balance and a moving progress bar

Runner = Callable[..., list]


def execute(job):
    """Run one job (module-level, so process pools and Ray can pickle it by reference)."""
    return job.run()


_WARM = set()


def execute_batch(jobs: Sequence) -> list:
    """Run a batch of jobs in order, warming up each agent kind once per worker process."""
    out = []
    for job in jobs:
        kind = (job.agent, job.crossbar is not None)
        if kind not in _WARM:
            job.warm_up()  # numba loading is not part of any job's measured time
            _WARM.add(kind)
        out.append(job.run())
    return out


def _worker_init() -> None:
    """Keep each worker on one thread (numba/BLAS) so workers do not oversubscribe cores."""
    for key, value in WORKER_ENV.items():
        os.environ.setdefault(key, value)


def _label(result) -> str:
    return str(getattr(result, 'agent', ''))


def _batches(jobs: Sequence, workers: int) -> List[list]:
    size = max(1, len(jobs) // (BATCHES_PER_WORKER * max(1, workers)))
    return [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def _run_serial(jobs: Sequence, progress: bool = True) -> list:
    bar = Progress(len(jobs)) if progress else None
    out = []
    for i, job in enumerate(jobs):
        out.append(job.run())
        if bar is not None:
            bar.update(i + 1, _label(out[-1]))
    if bar is not None:
        bar.close()
    return out


@contextmanager
def _process_pool(workers: int) -> Iterator[Runner]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    # fork: workers inherit the loaded numba kernels. Workers start on the first submit,
    # i.e. after the caller's warm-up.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context('fork'),
                               initializer=_worker_init)

    def run(jobs: Sequence, progress: bool = True) -> list:
        bar = Progress(len(jobs)) if progress else None
        out = []
        chunk = max(1, len(jobs) // (BATCHES_PER_WORKER * workers))
        for i, result in enumerate(pool.map(execute, jobs, chunksize=chunk)):
            out.append(result)
            if bar is not None:
                bar.update(i + 1, _label(result))
        if bar is not None:
            bar.close()
        return out

    try:
        yield run
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _package_root() -> str:
    import snan_nav
    return os.path.dirname(os.path.dirname(os.path.abspath(snan_nav.__file__)))


def start_ray(workers: int):
    """Connect to ``RAY_ADDRESS`` or start a local Ray; return ``(ray, started_here)``.

    Raises ValueError with the reason when Ray is missing or cannot start.
    """
    try:
        import ray
    except ImportError:
        raise ValueError('--executor ray needs the "ray" package (pip install -r '
                         'requirements.txt)') from None
    if ray.is_initialized():
        return ray, False
    import logging
    import snan_nav
    address = os.environ.get('RAY_ADDRESS') or None
    common = {'include_dashboard': False, 'logging_level': logging.WARNING,
              'log_to_driver': True}
    try:
        if address:
            ray.init(address=address, runtime_env={'py_modules': [snan_nav],
                                                   'env_vars': dict(WORKER_ENV)}, **common)
        else:
            path = os.pathsep.join(p for p in (_package_root(), os.environ.get('PYTHONPATH'))
                                   if p)
            ray.init(num_cpus=max(1, workers), object_store_memory=LOCAL_RAY_OBJECT_STORE_BYTES,
                     runtime_env={'env_vars': dict(WORKER_ENV, PYTHONPATH=path)}, **common)
    except Exception as exc:  # Ray raises many types (ConnectionError, RuntimeError, ...)
        where = f'the Ray cluster at RAY_ADDRESS={address}' if address else 'a local Ray'
        raise ValueError(f'cannot start {where}: {exc}') from None
    return ray, True


@contextmanager
def _ray_pool(workers: int) -> Iterator[Runner]:
    ray, started = start_ray(workers)
    task = ray.remote(num_cpus=1)(execute_batch)
    cpus = int(ray.cluster_resources().get('CPU', workers) or workers)

    def run(jobs: Sequence, progress: bool = True) -> list:
        batches = _batches(jobs, cpus)
        futures = [task.remote(batch) for batch in batches]
        index = {ref: i for i, ref in enumerate(futures)}
        done = [None] * len(futures)
        bar = Progress(len(jobs)) if progress else None
        pending, finished = list(futures), 0
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                i = index[ref]
                done[i] = ray.get(ref)
                finished += len(batches[i])
                if bar is not None:
                    bar.update(finished, _label(done[i][-1]))
        if bar is not None:
            bar.close()
        return [result for batch in done for result in batch]

    try:
        yield run
    finally:
        if started:
            ray.shutdown()


#: Most worker processes per core the process pool accepts (more only slow the runs down).
WORKERS_PER_CORE = 4


@contextmanager
def open_executor(kind: str = 'process', workers: int = 1) -> Iterator[Runner]:
    """Open an executor; yield ``run(jobs, progress=True) -> results`` (in job order).

    The same executor can run many job lists (e.g. one per tuning trial); Ray and the process
    pool are started once and closed when the block ends. Raises ValueError for an unknown
    ``kind`` or a Ray that cannot start.
    """
    if kind not in EXECUTORS:
        raise ValueError(f'unknown executor {kind!r}; valid: {", ".join(EXECUTORS)}')
    cores = os.cpu_count() or 1
    if kind == 'process' and workers > WORKERS_PER_CORE * cores:
        # the fork pool starts every worker up front, however few the runs
        raise ValueError(f'--jobs {workers}: at most {WORKERS_PER_CORE} worker processes per '
                         f'core ({WORKERS_PER_CORE * cores} on these {cores} cores)')
    if kind == 'ray':
        with _ray_pool(workers) as run:
            yield run
    elif workers <= 1:
        yield _run_serial
    else:
        with _process_pool(workers) as run:
            yield run
