from casebook.api.resources import CaseItem, CaseList

API_ROUTES = [
    (CaseList, "/cases/"),
    (CaseItem, "/cases/<int:case_id>/"),
]

UNUSED_ROUTES = [(CaseList, "/old-cases/")]
