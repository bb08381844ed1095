/**
 * The queue spreadsheet: one job row per click, in exactly the format of jobqueue/rows.py new_job_row
 * (tests/fixtures/queue_row_contract.json proves both sides agree). Only the queue's web app (Gateway.gs),
 * running as the operator, opens it; a client spreadsheet's script asks the web app (QueueClient.gs).
 */

var QUEUE_ID_PROPERTY = 'QUEUE_SPREADSHEET_ID';
var ISO_UTC_PATTERN = "yyyy-MM-dd'T'HH:mm:ss'Z'";

/** ISO 8601 UTC with seconds, as jobqueue.rows.iso writes it: "2026-11-23T09:15:00Z". */
function isoUtc_(date) {
  return Utilities.formatDate(date, 'UTC', ISO_UTC_PATTERN);
}

/** One queue row: the columns of SCHEMA's queue tab in order. Mirrors jobqueue.rows.new_job_row. */
function newJobRow_(jobId, createdAtIso, clientSheet, jobType, requestedBy) {
  var values = {
    job_id: jobId,
    created_at: createdAtIso,
    client_sheet: clientSheet,
    job_type: jobType,
    requested_by: requestedBy,
    status: SCHEMA.jobStatus.WAITING,
    worker: '',
    lease_until: '',
    attempt: 0,
    not_before: '',
    message: '',
    finished_at: ''
  };
  return queueColumns_().map(function (c) {
    if (!Object.prototype.hasOwnProperty.call(values, c.key)) {
      throw new Error('newJobRow_ has no value for queue column ' + c.key + '; update it with jobqueue/rows.py');
    }
    return values[c.key];
  });
}

/** True if a job of this type for this client is still waiting. Mirrors jobqueue.rows.has_waiting_job. */
function hasWaitingJob_(rows, clientSheet, jobType) {
  var clientI = queueIndex_('client_sheet');
  var typeI = queueIndex_('job_type');
  var statusI = queueIndex_('status');
  return rows.some(function (row) {
    var cell = function (i) { return i < row.length ? String(row[i]) : ''; };
    return cell(clientI) === clientSheet && cell(typeI) === jobType &&
      cell(statusI) === SCHEMA.jobStatus.WAITING;
  });
}

/** The queue tab, from the web app's Script Property QUEUE_SPREADSHEET_ID; a user error if it fails. */
function openQueueTab_() {
  var id = PropertiesService.getScriptProperties().getProperty(QUEUE_ID_PROPERTY);
  id = id ? String(id).trim() : '';
  if (!id) throw userError_(MESSAGES.missingQueueId(QUEUE_ID_PROPERTY));
  var spreadsheet;
  try {
    spreadsheet = SpreadsheetApp.openById(id);
  } catch (e) {
    throw userError_(MESSAGES.queueNotOpened(QUEUE_ID_PROPERTY, id, e));
  }
  var sheet = spreadsheet.getSheetByName(SCHEMA.queueTab);
  if (!sheet) throw userError_(MESSAGES.queueTabMissing(SCHEMA.queueTab, id));
  return sheet;
}

/**
 * The rows the duplicate check needs, without reading the history: Sheets' own search (TextFinder, on the
 * status column, whole cell, case-sensitive) finds the cells that say WAITING, and only the rows from the
 * first to the last of them are read, only in the columns hasWaitingJob_ looks at. Waiting jobs are few and
 * recent (the worker takes the oldest first), so a click reads a handful of cells whether the tab holds 50
 * rows or 50,000. The rows come back as wide as the tab ('' in the columns not read).
 */
function waitingRows_(sheet, lastRow) {
  if (lastRow < 2) return [];
  var found = sheet.getRange(2, queueIndex_('status') + 1, lastRow - 1, 1)
    .createTextFinder(SCHEMA.jobStatus.WAITING).matchCase(true).matchEntireCell(true).findAll();
  if (!found.length) return [];
  var rows = found.map(function (range) { return range.getRow(); });
  var first = Math.min.apply(null, rows);
  var last = Math.max.apply(null, rows);
  var columns = ['client_sheet', 'job_type', 'status'].map(queueIndex_);
  var from = Math.min.apply(null, columns);
  var to = Math.max.apply(null, columns);
  var padding = [];
  for (var i = 0; i < from; i++) padding.push('');
  return sheet.getRange(first, from + 1, last - first + 1, to - from + 1).getValues().map(function (values) {
    return padding.concat(values);
  });
}

/**
 * Append one waiting job unless the same client already has one of this type waiting.
 * The caller (the web app) holds its script lock, so two clicks cannot both pass the check.
 * Returns {added: boolean, row: the row written or null}.
 *
 * appendRow, not setValues at getLastRow()+1: `worker.py enqueue` may append at the same time, and appendRow
 * is atomic against other appends. Every cell is plain text that Sheets keeps as typed (an ISO time with "T"
 * is not parsed as a date) or the number 0.
 */
function enqueueJob_(clientSheet, jobType, requestedBy) {
  var sheet = openQueueTab_();
  var width = queueColumns_().length;
  var last = sheet.getLastRow();
  var expected = SCHEMA.tabs[SCHEMA.queueTab].headers;
  var header = last >= 1 ? sheet.getRange(1, 1, 1, width).getValues()[0].map(String) : [];
  if (header.join('\u0000') !== expected.join('\u0000')) {
    throw userError_(MESSAGES.queueHeaderMismatch(SCHEMA.queueTab, expected, header));
  }
  if (hasWaitingJob_(waitingRows_(sheet, last), clientSheet, jobType)) return { added: false, row: null };
  var row = newJobRow_(Utilities.getUuid(), isoUtc_(new Date()), clientSheet, jobType, requestedBy);
  sheet.appendRow(row);
  return { added: true, row: row };
}
