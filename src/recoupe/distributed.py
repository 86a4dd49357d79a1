"""``recoupe ingest --ray``: the per-article stages on Ray workers, placement here, in order.

Why this split: analysing (spaCy) and embedding (e5) an article needs nothing but the article, and
is where an ingest spends its time (docs/benchmarks.md); placing an article into a story depends
on every article placed before it. So each worker is a Ray actor that loads the models once and
prepares whole batches (``stories.prepare_batch``: analysis, embedding, clustering features), and
this process takes the prepared batches back in their order and places and writes them exactly as
the single-process ingest does: the stories are identical, whatever the number of workers.

Reading and cleaning stay in this process: they are cheap (docs/scale.md), the store's duplicate
check needs the cleaned text before any work is sent, and workers then need no access to the
input files (a cluster's nodes rarely share the desk's disk). Back-pressure: at most
``in_flight`` batches per worker are queued; the next is sent when the oldest comes back, so
memory stays bounded however long the input.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from .config import Config
from .stories import Batch, Prepared, collected, load_models, prepare_batch


def _lines(e: Exception) -> list[str]:
    return [line.strip() for line in str(e).strip().splitlines() if line.strip()] or [type(e).__name__]


def _first_line(e: Exception) -> str:
    return _lines(e)[0]


def _last_line(e: Exception) -> str:
    """Ray wraps a worker's error in its traceback: the last line is the error itself."""
    return _lines(e)[-1]


class RayError(Exception):
    """A Ray problem phrased for the user in one line (address not answering, Ray missing...)."""


@dataclass
class RayOptions:
    """How to run the per-article stages on Ray."""

    address: str | None = None  # "host:port" of a running cluster's head (or "auto"); None: a local Ray for the run
    workers: int | None = None  # actors; default: the cluster's CPUs (a local Ray: this machine's cores)
    in_flight: int = 2  # batches queued per worker (back-pressure)
    connect_timeout: float = 5.0  # seconds to wait for the head's port before saying it does not answer


class _Worker:
    """One Ray actor: the models loaded once, then batch after batch."""

    def __init__(self, config_json: str) -> None:
        self.config = Config.model_validate_json(config_json)
        load_models(self.config)

    def ready(self) -> bool:
        return True

    def prepare(self, batch: Batch) -> Prepared:
        cpu = time.process_time()
        prepared = prepare_batch(batch, self.config, lambda: None)  # None: the features embed the batch here
        # CPU seconds next to the wall seconds: on a shared machine they tell a worker's cost from its wait
        prepared.timings["cpu"] = time.process_time() - cpu
        return prepared.without_tokens()


def _check_address(address: str, timeout: float) -> None:
    """Fail in seconds, in one line, when the head does not answer (ray.init would wait a long time)."""
    if address == "auto":  # the cluster this machine belongs to: Ray finds it
        return
    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise RayError(f"Ray address {address!r} is not host:port (e.g. 10.0.0.5:6379 or ray://10.0.0.5:10001)")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except OSError as e:
        raise RayError(f"Ray address {address} does not answer ({e.strerror or e})") from None


def connect(options: RayOptions) -> bool:
    """Join the cluster at ``options.address`` or start a local Ray; True when this call started it
    (and so must shut it down). A Ray already initialised in this process is used as it is."""
    try:
        import ray
    except ImportError:
        raise RayError("--ray needs Ray: pip install 'recoupe[ray]'") from None
    if options.address:
        _check_address(options.address, options.connect_timeout)
    if ray.is_initialized():
        return False
    import logging

    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
    if options.address:
        try:
            ray.init(address=options.address, **quiet)
        except Exception as e:  # Ray raises many kinds (ConnectionError, RuntimeError...): one line for all
            raise RayError(f"cannot join the Ray cluster at {options.address}: {_first_line(e)}") from None
        return True
    try:
        ray.init(num_cpus=options.workers or os.cpu_count() or 1, **quiet)
    except Exception as e:
        raise RayError(f"cannot start a local Ray: {_first_line(e)}") from None
    return True


class RayStages:
    """The per-article stages on Ray actors (see the module's docstring); the ``stages`` of ``stories.ingest``."""

    def __init__(self, options: RayOptions | None = None) -> None:
        self.options = options or RayOptions()
        self.timings: dict[str, float] = {}
        self._started = False
        self.started_at = 0.0  # perf_counter when every worker had its models: the stages' clock
        self._actors: list = []
        self._futures: dict[int, object] = {}

    def start(self, batches: list[Batch], config: Config) -> None:
        import ray

        self.connect()
        cpus = int(ray.cluster_resources().get("CPU", 1))
        n = max(1, min(self.options.workers or cpus, len(batches)))
        # one core per actor, and its embedding pool sized to it (otherwise each actor sizes it to the machine)
        actor = ray.remote(num_cpus=1, runtime_env={"env_vars": {"RECOUPE_EMBED_THREADS": "1", "OMP_NUM_THREADS": "1"}})(_Worker)
        self._actors = [actor.remote(config.model_dump_json()) for _ in range(n)]
        try:  # models loaded everywhere before the clock of the stages starts (and a worker that cannot load them says so)
            ray.get([a.ready.remote() for a in self._actors])
        except ray.exceptions.RayError as e:
            raise RayError(f"a Ray worker could not start (is recoupe installed on it?): {_last_line(e)}") from None
        self.started_at = time.perf_counter()
        self._batches = batches
        self._window = n * max(1, self.options.in_flight)
        self._sent = 0
        self._fill()

    def _fill(self) -> None:
        while self._sent < len(self._batches) and len(self._futures) < self._window:
            i = self._sent
            self._futures[i] = self._actors[i % len(self._actors)].prepare.remote(self._batches[i])
            self._sent += 1

    def prepare(self, i: int, tick: Callable[[int], None] | None) -> Prepared:
        import ray

        try:
            prepared = ray.get(self._futures.pop(i))
        except ray.exceptions.RayError as e:
            raise RayError(f"a Ray worker failed: {_last_line(e)}") from None
        self._fill()
        return collected(prepared, self.timings, tick)

    def close(self) -> None:
        """End this ingest's actors (the models' memory); the Ray connection stays for ``shutdown``."""
        try:
            import ray
        except ImportError:
            return
        if ray.is_initialized():
            for a in self._actors:
                ray.kill(a)
        self._actors, self._futures = [], {}

    def shutdown(self) -> None:
        """Leave the cluster, or stop the local Ray, when this process joined or started it."""
        if self._started:
            import ray

            ray.shutdown()
            self._started = False

    def connect(self) -> None:
        """Join or start Ray now (``start`` does it otherwise): to fail before anything else is done."""
        self._started = connect(self.options) or self._started
