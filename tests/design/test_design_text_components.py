"""Components derived from what a requirement says about its surroundings (data/compositions.yaml,
s42 rules): an outside system to exchange with, people working offline, work due on a cadence,
files kept, text searched, people told, history reported on, a form anyone can use.

Each rule is tried on sentences from domains the corpus does not have (veterinary, water,
libraries, construction, courts), and on look-alikes that use the same words for something else.
"""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.composition import Facts, compose
from servicelens.design.requirement import parse_requirement


def _fired(text: str) -> dict[str, list]:
    catalog = load_catalog()
    req = parse_requirement(text, catalog)
    result = compose(req, Facts(), catalog.compositions["rules"], ())
    return {b.id.removeprefix("composed_"): b for b in result.blocks}


FIRES = [
    ("external_integration", "A veterinary practice app: every invoice is posted to the practice's Xero accounting system at the end of the visit."),
    ("external_integration", 'A water utility tracks meter replacements; completed jobs are sent to the asset management system so work orders close there.'),
    ("external_integration", 'Court clerks file hearing outcomes, and each outcome must be forwarded to the national case management system within the hour.'),
    ("external_integration", "Site managers log concrete pours; the supplier's delivery tickets arrive from the Cemex API every few minutes."),
    ("external_integration", "The county library reconciles fines with the council's finance system, and payments are settled via SFTP with the bank."),
    ("external_integration", "Lab results for the herd come back from the diagnostics lab over HL7 and must appear on the animal's record."),
    ("external_integration", 'Dispensing data come from our pharmacy system (VetStock) through its REST API.'),
    ("external_integration", 'Leak repairs are raised in and closed back to SAP PM by the depot.'),
    ("external_integration", "Judgments are submitted to the Ministry's Court Records Register."),
    ("external_integration", 'New claims are sent to the fraud scoring vendor.'),
    ("offline_sync", 'Meter readers work in basements with no signal, so the app must keep recording readings offline and upload them later.'),
    ("offline_sync", 'Inspectors on building sites often have patchy mobile coverage; inspections captured there must sync when they are back online.'),
    ("offline_sync", 'The mobile library van has an unreliable internet connection but loans still have to be issued.'),
    ("offline_sync", 'Farm vets visit remote farms without any network, and treatments they record must not be lost.'),
    ("offline_sync", 'Bailiffs serving warrants must be able to work offline for up to a day.'),
    ("scheduled_batch", 'The practice exports the controlled drugs register to the regulator every month.'),
    ("scheduled_batch", 'Meter readings are reconciled against the billing figures overnight.'),
    ("scheduled_batch", 'Court listings are published to the public website every night.'),
    ("scheduled_batch", 'Overdue reminders go out to borrowers each morning at 7am.'),
    ("scheduled_batch", "The site's daily safety summary is generated at 18:00 and emailed to the contractor."),
    ("stored_files", 'Vets attach X-rays and lab PDFs to each consultation.'),
    ("stored_files", 'Inspectors take photos of every leaking hydrant.'),
    ("stored_files", 'Court users upload scanned documents as evidence for their claim.'),
    ("stored_files", 'Site engineers upload drawings and the signed plans to each work package.'),
    ("stored_files", 'Every library donation is photographed and the images are kept with the catalogue record.'),
    ("text_search", 'Patrons search the catalogue by title, author or keyword.'),
    ("text_search", 'Clerks must find past cases by party names or part of the description.'),
    ("text_search", 'Vets need full-text search over years of consultation notes.'),
    ("text_search", "Engineers look up defects by words in the inspector's notes."),
    ("text_search", 'Water permits must be searchable by address and holder name.'),
    ("people_notifications", "Owners get a reminder by SMS two days before their pet's vaccination is due."),
    ("people_notifications", 'Residents must be notified when a boil-water notice is issued for their street.'),
    ("people_notifications", 'When a reserved book comes in, the library emails the borrower.'),
    ("people_notifications", 'The site manager is alerted by push when a crane inspection fails.'),
    ("people_notifications", 'Court users are told by email when their hearing date moves.'),
    ("people_notifications", 'The clinic wants a low-stock alert when a vaccine drops below its minimum.'),
    ("people_notifications", 'A changed fixture tells both the old and the new official.'),
    ("reporting_replica", 'Managers want reports comparing visits across the last five years.'),
    ("reporting_replica", 'The water board runs ad-hoc queries over all the historical readings.'),
    ("reporting_replica", 'The court publishes trend reports on case durations.'),
    ("reporting_replica", 'Library analysts need year-over-year comparisons of loans per branch.'),
    ("reporting_replica", 'Directors compare incident rates with previous years.'),
    ("public_abuse", 'Anyone can register for a library card on the website.'),
    ("public_abuse", 'The water company has a public form to report leaks, without an account.'),
    ("public_abuse", 'Pet owners book appointments through an online booking form.'),
    ("public_abuse", 'Members of the public can submit objections to a planning application.'),
    ("public_abuse", "Last year bots flooded the court's hearing-slot booking page."),
]

LOOK_ALIKES = [
    ("external_integration", 'Vets write clinical notes about each animal and the practice manager reviews them weekly.'),
    ("external_integration", 'Borrowers return books at any branch and the book goes back on the shelf.'),
    ("external_integration", 'Our API must answer in 200 ms for the court staff.'),
    ("external_integration", 'Engineers send their site diary to the project manager for review.'),
    ("external_integration", 'All court data must stay in the UK.'),
    ("external_integration", 'Inspections are exported to CSV files for the engineers.'),
    ("offline_sync", 'The court website is taken offline every Sunday night for maintenance.'),
    ("offline_sync", 'Library staff can renew loans at the desk or online.'),
    ("offline_sync", 'Customers pay for treatments in the clinic or online before the visit.'),
    ("offline_sync", 'The water board holds an offline meeting once a quarter.'),
    ("offline_sync", "The contractor's network of subcontractors covers the whole region."),
    ("offline_sync", 'Each flag is evaluated in the SDK with no network call per request.'),
    ("scheduled_batch", 'The library is open every day from 9 to 5.'),
    ("scheduled_batch", 'About 400 daily users book rooms in the court building.'),
    ("scheduled_batch", 'Vets see about 30 animals each day.'),
    ("scheduled_batch", 'Water quality is sampled by hand at each reservoir.'),
    ("scheduled_batch", 'Site managers walk the site every morning.'),
    ("stored_files", 'Each borrower must show a photo ID at the desk.'),
    ("stored_files", 'The court documents every hearing with a date and a judge.'),
    ("stored_files", 'Vets record the weight and temperature of each animal.'),
    ("stored_files", 'The water board takes readings at 300 pumping stations.'),
    ("stored_files", 'Site managers add a new task to the snag list.'),
    ("text_search", 'Police can search the premises with a warrant.'),
    ("text_search", 'The volunteer search and rescue team files a report after each call-out.'),
    ("text_search", 'Clerks look up a case by its case number.'),
    ("text_search", 'The library runs a job search workshop every Friday.'),
    ("text_search", 'The court registry stores about 2 million judgments.'),
    ("people_notifications", 'Each patron record holds an email address and a phone number.'),
    ("people_notifications", "The practice keeps the owner's name and email on file."),
    ("people_notifications", 'Contractors submit invoices to the site office.'),
    ("people_notifications", 'Judges publish their rulings at the end of the week.'),
    ("people_notifications", 'Water samples are taken from each tap and tested in the lab.'),
    ("people_notifications", 'Guards must stay alert while the court is in session.'),
    ("reporting_replica", 'A site engineer reports each defect to the foreman.'),
    ("reporting_replica", 'Vets report adverse reactions to the regulator within 15 days.'),
    ("reporting_replica", 'Users report a leaking pipe with the app.'),
    ("reporting_replica", 'Clerks keep the records of every hearing.'),
    ("reporting_replica", 'The library holds 200,000 books.'),
    ("public_abuse", 'The library is closed on public holidays.'),
    ("public_abuse", 'Only registered contractors can submit invoices after signing in.'),
    ("public_abuse", 'The court hears public cases on Mondays.'),
    ("public_abuse", "Staff log in with the council's single sign-on."),
    ("public_abuse", 'The veterinary practice is open to the public every weekday.'),
]


@pytest.mark.parametrize("rule,text", FIRES)
def test_the_text_calls_for_the_component(rule, text):
    assert rule in _fired(text)


@pytest.mark.parametrize("rule,text", LOOK_ALIKES)
def test_a_look_alike_adds_nothing(rule, text):
    assert rule not in _fired(text)


def test_the_integration_is_named_after_the_party_the_text_names():
    block = _fired("A veterinary practice app: every invoice is posted to the practice's Xero accounting system at the end of the visit.")["external_integration"]
    comp = block.components[0]
    assert comp.name.startswith("Practice's Xero accounting system integration worker") or "Xero" in comp.name
    assert "retries" in comp.technology


def test_an_api_named_by_the_text_is_the_party():
    comp = _fired("Site managers log concrete pours; the supplier's delivery tickets arrive from the Cemex API every few minutes.")["external_integration"].components[0]
    assert comp.name.startswith("Cemex integration worker")


def test_the_component_reason_cites_the_phrase():
    comp = _fired("Bailiffs serving warrants must be able to work offline for up to a day.")["offline_sync"].components[0]
    assert 'the text says "work offline"' in comp.role


def test_a_component_already_in_the_design_is_not_added_again():
    from servicelens.model.design import Component
    catalog = load_catalog()
    req = parse_requirement("Inspectors take photos of every leaking hydrant.", catalog)
    have = (Component("Object storage for photos", "files", "S3-compatible object storage"),)
    result = compose(req, Facts(), catalog.compositions["rules"], have)
    assert not any(b.id == "composed_stored_files" for b in result.blocks)


def test_a_name_in_brackets_leads_the_integration_name():
    comp = _fired("Dispensing data come from our pharmacy system (VetStock) through its REST API.")["external_integration"].components[0]
    assert comp.name.startswith("VetStock pharmacy system integration worker")
