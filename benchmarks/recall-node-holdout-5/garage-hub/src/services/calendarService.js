'use strict';

const { createHttpClient } = require('../lib/httpClient');
const { Workshop } = require('../models');
const { AppError } = require('../middleware/errorHandler');

const calendarHttp = createHttpClient({ name: 'calendar', timeoutMs: 8000 });

function parseIcsBusy(ics) {
  const busy = [];
  const blocks = ics.split('BEGIN:VEVENT').slice(1, 2001);
  for (const block of blocks) {
    const start = /DTSTART[^:]*:(\d{8}T\d{6}Z?)/.exec(block);
    const end = /DTEND[^:]*:(\d{8}T\d{6}Z?)/.exec(block);
    if (start && end) {
      busy.push({ start: start[1], end: end[1] });
    }
  }
  return busy;
}

/** Pulls the workshop's external calendar (ICS) so blocked times are not offered to customers. */
async function syncCalendar(workshopId) {
  const workshop = await Workshop.findById(workshopId).select('calendarUrl').lean();
  if (!workshop || !workshop.calendarUrl) {
    throw new AppError(400, 'No calendar configured', 'no_calendar');
  }
  const res = await calendarHttp.get(workshop.calendarUrl, { responseType: 'text', maxContentLength: 2 * 1024 * 1024 });
  const busy = parseIcsBusy(String(res.data));
  await Workshop.updateOne({ _id: workshopId }, { $set: { busyBlocks: busy, calendarSyncedAt: new Date() } }, { strict: false });
  return { blocks: busy.length };
}

module.exports = { syncCalendar, parseIcsBusy };
