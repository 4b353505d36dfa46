"""Collects the assumptions and open questions made while a workload is resolved."""
from __future__ import annotations

from servicelens.model.design import Assumption, OpenQuestion


class Notes:
    """Collects assumptions and questions while the workload is resolved."""

    def __init__(self) -> None:
        self.assumptions: list[Assumption] = []
        self.questions: list[OpenQuestion] = []

    def assume(self, topic: str, value: str, reason: str, question: str = "") -> None:
        self.assumptions.append(Assumption(topic, value, reason))
        if question:
            self.questions.append(OpenQuestion(question, f"{topic}: {value}", topic))
