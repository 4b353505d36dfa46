"""Background-job frameworks: which one starts a job, and how a team bounds its run time.

A missing timeout on an outbound call is a different defect in a served request (a user
waits, a worker is gone) than in a job the team deliberately stops after a deadline (one job
slot for at most that long). The knowledge is data (data/job_frameworks.yaml); this module
is its only reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class JobFramework:
    name: str
    modules: frozenset[str]
    deadline_keywords: frozenset[str]
    app_deadline_settings: frozenset[str] = frozenset()  # settings giving every job of it a deadline
    job_decorators: frozenset[str] = frozenset()  # its own decorators that make a function a job (`@repeat`)


@dataclass(frozen=True, slots=True)
class JobKnowledge:
    frameworks: tuple[JobFramework, ...]
    enqueue_calls: Mapping[str, tuple[int, str]]  # method name -> (position of the function, keyword)
    deferral_methods: frozenset[str]  # `job.delay(...)`: run the job later on a worker
    thread_starts: Mapping[str, tuple[int, str]]  # `Thread(target=f)`: class -> where f is
    task_starts: frozenset[str]  # `asyncio.create_task(f(...))`: run f as a background task
    deadline_exceptions: Mapping[str, str]  # qualified exception a deadline raises -> framework
    longest_deadline: float  # seconds: a longer deadline written out does not bound a hang

    def framework_of(self, qualified: str) -> JobFramework | None:
        """The framework an import path (`rq.decorators.job`, `celery.shared_task`) belongs to."""
        root = qualified.partition(".")[0]
        return next((f for f in self.frameworks if root in f.modules), None)


@lru_cache(maxsize=1)
def job_knowledge() -> JobKnowledge:
    text = resources.files("servicelens.data").joinpath("job_frameworks.yaml").read_text("utf-8")
    data = packaged_yaml(text)
    enqueue = data.pop("enqueue_calls")
    deferrals = frozenset(data.pop("deferral_methods"))
    threads = data.pop("thread_starts")
    task_starts = frozenset(data.pop("task_starts"))
    longest = float(data.pop("longest_bounding_deadline"))
    frameworks = tuple(JobFramework(name, frozenset(spec["modules"]), frozenset(spec["deadline_keywords"]),
                                    frozenset(spec.get("app_deadline_settings") or ()),
                                    frozenset(spec.get("job_decorators") or ()))
                       for name, spec in data.items())
    exceptions = {exception: name for name, spec in data.items() for exception in spec.get("deadline_exceptions") or ()}
    calls = {name: (int(spec["position"]), str(spec["keyword"])) for name, spec in enqueue.items()}
    starts = {name: (int(spec["position"]), str(spec["keyword"])) for name, spec in threads.items()}
    return JobKnowledge(frameworks, MappingProxyType(calls), deferrals, MappingProxyType(starts), task_starts,
                        MappingProxyType(exceptions), longest)
