/**
 * The queue's web app: the one place that opens the queue spreadsheet. Deployed once by the operator from a
 * standalone copy of this project ("Execute as: Me", "Who has access: Anyone"; see appsscript.json's webapp
 * and docs/going-live.md), it runs as the operator, who alone is an editor of the queue. A button or the
 * timer in a client spreadsheet POSTs {client_sheet, job_type, requested_by, token} (QueueClient.gs); the
 * bookkeeper needs no access to the queue and cannot read other clients' jobs.
 *
 * The token is the client's: hex HMAC-SHA256 of the client spreadsheet id under the web app's secret
 * (Script Property QUEUE_SECRET), so a token enqueues jobs for its own spreadsheet only. The answer is JSON
 * (a web app cannot set an HTTP status): {ok: true, added} or {ok: false, reason, message}.
 *
 * One script lock serialises every client's request, so the duplicate check holds across all clients.
 */

var GATEWAY_SECRET_PROPERTY = 'QUEUE_SECRET';
var GATEWAY_LOCK_WAIT_MS = 10000;
var MAX_REQUESTED_BY_LENGTH = 254;

/** A GET (a person opening the URL): says what this is, nothing more. */
function doGet() {
  return jsonOutput_({ ok: true, service: MESSAGES.gatewayName });
}

function doPost(e) {
  var answer;
  try {
    answer = handleJobRequest_(e);
  } catch (err) {
    console.error(err && err.stack ? err.stack : String(err)); // the web app's execution log
    answer = { ok: false, reason: 'error', message: MESSAGES.unexpected(err) };
  }
  return jsonOutput_(answer);
}

function jsonOutput_(value) {
  return ContentService.createTextOutput(JSON.stringify(value)).setMimeType(ContentService.MimeType.JSON);
}

function refused_(reason, message) {
  return { ok: false, reason: reason, message: message };
}

/** Hex HMAC-SHA256 of the client spreadsheet id: the client's token. Utilities gives signed bytes. */
function clientToken_(secret, clientSheet) {
  return Utilities.computeHmacSha256Signature(clientSheet, secret).map(function (b) {
    var v = (b < 0 ? b + 256 : b).toString(16);
    return v.length === 1 ? '0' + v : v;
  }).join('');
}

/** String comparison that takes as long however many leading characters match. */
function sameText_(a, b) {
  if (a.length !== b.length) return false;
  var diff = 0;
  for (var i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The request's fields, checked; a string naming the problem if one is wrong. */
function parseJobRequest_(e) {
  var body;
  try {
    body = JSON.parse(e && e.postData ? e.postData.contents : '');
  } catch (err) {
    return MESSAGES.badRequest('JSON');
  }
  if (!body || typeof body !== 'object') return MESSAGES.badRequest('JSON');
  var text = function (key) { return typeof body[key] === 'string' ? body[key] : ''; };
  var request = {
    clientSheet: text('client_sheet'), jobType: text('job_type'), requestedBy: text('requested_by'),
    token: text('token')
  };
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(request.clientSheet)) return MESSAGES.badRequest('client_sheet');
  var types = Object.keys(SCHEMA.jobTypes).map(function (k) { return SCHEMA.jobTypes[k]; });
  if (types.indexOf(request.jobType) < 0) return MESSAGES.badRequest('job_type');
  // Written to the queue as a cell value: nothing a sheet would take for a formula.
  if (!request.requestedBy || request.requestedBy.length > MAX_REQUESTED_BY_LENGTH ||
      /^[=+\-@\s]/.test(request.requestedBy)) {
    return MESSAGES.badRequest('requested_by');
  }
  return request;
}

function handleJobRequest_(e) {
  var request = parseJobRequest_(e);
  if (typeof request === 'string') return refused_('bad_request', request);
  var secret = PropertiesService.getScriptProperties().getProperty(GATEWAY_SECRET_PROPERTY);
  if (!secret) return refused_('setup', MESSAGES.gatewaySecretMissing(GATEWAY_SECRET_PROPERTY));
  if (!sameText_(request.token, clientToken_(String(secret), request.clientSheet))) {
    return refused_('unauthorized', MESSAGES.tokenRefused(QUEUE_TOKEN_PROPERTY));
  }
  var lock = LockService.getScriptLock();
  if (!lock.tryLock(GATEWAY_LOCK_WAIT_MS)) return refused_('busy', '');
  try {
    var result = enqueueJob_(request.clientSheet, request.jobType, request.requestedBy);
    return { ok: true, added: result.added, job_id: result.row ? result.row[queueIndex_('job_id')] : null };
  } catch (err) {
    if (err && err.userMessage) return refused_('setup', err.userMessage);
    throw err;
  } finally {
    lock.releaseLock();
  }
}
