/**
 * The client spreadsheet's Instruks tab: the "Robot status" cell (SCHEMA.statusCell) and setting values.
 */

function instruksSheet_(spreadsheet) {
  var sheet = spreadsheet.getSheetByName(SCHEMA.instruks.name);
  if (!sheet) throw userError_(MESSAGES.clientTabMissing(SCHEMA.instruks.name));
  return sheet;
}

function statusRange_(spreadsheet) {
  var sheet = spreadsheet.getSheetByName(SCHEMA.statusCell.tab);
  if (!sheet) throw userError_(MESSAGES.clientTabMissing(SCHEMA.statusCell.tab));
  return sheet.getRange(SCHEMA.statusCell.cell);
}

function setRobotStatus_(spreadsheet, text) {
  statusRange_(spreadsheet).setValue(text);
}

/** Write the status only if it differs: a trigger that repeats a problem every 15 minutes writes it once. */
function showRobotStatusOnce_(spreadsheet, text) {
  var range = statusRange_(spreadsheet);
  if (String(range.getDisplayValue()) !== text) range.setValue(text);
}

/**
 * A setting as the user sees it (display value, trimmed): a time typed as 08:00 is a time value in Sheets,
 * and getValue() would give a Date; the robot reads the formatted text too.
 */
function readSetting_(spreadsheet, key) {
  return String(instruksSheet_(spreadsheet).getRange(setting_(key).cell).getDisplayValue()).trim();
}

/** An error whose message is for the user (a setup or input problem), not a bug. */
function userError_(message) {
  var error = new Error(message);
  error.userMessage = message;
  return error;
}
