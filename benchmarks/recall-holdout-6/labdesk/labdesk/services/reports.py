"""Printable result reports (HTML rendered to PDF by wkhtmltopdf)."""
from __future__ import annotations

import html
import os
import subprocess
import tempfile

from aiohttp import web

from labdesk.auth import Principal
from labdesk.repositories import OrderRepository, PatientRepository, ResultRepository

ROW = "<tr><td>{code}</td><td>{value}</td><td>{unit}</td><td>{range}</td><td>{flag}</td></tr>"
PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{clinic}</h1><h2>{patient} ({mrn})</h2><p>Accession {accession}</p>
<table><tr><th>Test</th><th>Result</th><th>Unit</th><th>Reference</th><th>Flag</th></tr>{rows}</table>
</body></html>"""


class ReportService:
    def __init__(self, results: ResultRepository, orders: OrderRepository, patients: PatientRepository,
                 report_dir: str, wkhtmltopdf_bin: str):
        self.results = results
        self.orders = orders
        self.patients = patients
        self.report_dir = report_dir
        self.wkhtmltopdf_bin = wkhtmltopdf_bin

    @classmethod
    def from_app(cls, app: web.Application) -> "ReportService":
        pool = app["db"]
        s = app["settings"]
        return cls(ResultRepository(pool), OrderRepository(pool), PatientRepository(pool),
                   s.report_dir, s.wkhtmltopdf_bin)

    def path_for(self, order_id: int) -> str:
        return os.path.join(self.report_dir, f"order-{int(order_id)}.pdf")

    def _html(self, clinic_name: str, patient, order, results) -> str:
        rows = "".join(
            ROW.format(
                code=html.escape(r["test_code"]),
                value=html.escape(r["value"] or ""),
                unit=html.escape(r["unit"] or ""),
                range=html.escape(r["ref_range"] or ""),
                flag=html.escape(r["flag"] or ""),
            )
            for r in results
        )
        return PAGE.format(
            title=html.escape(order["accession_no"]),
            clinic=html.escape(clinic_name),
            patient=html.escape(patient["full_name"]),
            mrn=html.escape(patient["mrn"]),
            accession=html.escape(order["accession_no"]),
            rows=rows,
        )

    async def render(self, principal: Principal, clinic_name: str, order_id: int) -> str:
        order = await self.orders.get_for_clinic(order_id, principal.clinic_id)
        if order is None:
            raise web.HTTPNotFound(reason="order not found")
        patient = await self.patients.get_for_clinic(order["patient_id"], order["clinic_id"])
        results = [r for r in await self.results.list_for_order(order_id) if r["status"] == "final"]
        if not results:
            raise web.HTTPConflict(reason="no released results yet")

        target = self.path_for(order_id)
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:
            fh.write(self._html(clinic_name, patient, order, results))
            source = fh.name
        try:
            subprocess.run(
                [self.wkhtmltopdf_bin, "--quiet", "--encoding", "utf-8", source, target],
                check=True,
                timeout=60,
                capture_output=True,
            )
        finally:
            os.unlink(source)
        return target
