/**
 * The client spreadsheet's side of the queue: a button or the timer asks the queue's web app (Gateway.gs) to
 * add a job. The script runs as the bookkeeper (or the timer's owner), who has no access to the queue
 * spreadsheet; it needs only the web app's address and this spreadsheet's token (Script Properties).
 */

var QUEUE_URL_PROPERTY = 'QUEUE_URL';
var QUEUE_TOKEN_PROPERTY = 'QUEUE_TOKEN';

function clientSetting_(property) {
  var value = PropertiesService.getScriptProperties().getProperty(property);
  value = value ? String(value).trim() : '';
  if (!value) throw userError_(MESSAGES.missingClientSetting(property));
  return value;
}

/**
 * Ask the web app to enqueue one job for this spreadsheet. Returns {added: boolean} or {busy: true} (the
 * web app's lock was taken for its whole wait); throws a user error (userMessage) for everything else.
 */
function requestJob_(clientSheet, jobType, requestedBy) {
  var url = clientSetting_(QUEUE_URL_PROPERTY);
  var token = clientSetting_(QUEUE_TOKEN_PROPERTY);
  var response;
  try {
    response = UrlFetchApp.fetch(url, {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify({
        client_sheet: clientSheet, job_type: jobType, requested_by: requestedBy, token: token
      }),
      muteHttpExceptions: true,
      followRedirects: true // the web app answers with a redirect to its output
    });
  } catch (e) {
    throw userError_(MESSAGES.queueUnreachable(e));
  }
  var code = response.getResponseCode();
  var answer = null;
  try {
    answer = JSON.parse(response.getContentText());
  } catch (e) {
    answer = null;
  }
  if (code !== 200 || !answer || typeof answer.ok !== 'boolean') {
    throw userError_(MESSAGES.queueBadAnswer(QUEUE_URL_PROPERTY, code));
  }
  if (answer.ok) return { added: answer.added === true };
  if (answer.reason === 'busy') return { busy: true };
  throw userError_(String(answer.message || answer.reason));
}
