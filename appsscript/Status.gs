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
  if (String(range.getValue()) !== text) range.setValue(text);
}

/** Sheets' day zero: a cell holding only a time is a date-time on this day in the spreadsheet's time zone. */
var SHEETS_DAY_ZERO = '1899-12-30';

/**
 * A setting's value as text, read locale-independently. getValue() gives a String, Number, Boolean or Date
 * (Range reference), not the text the sheet's locale and format make of it (getDisplayValue shows a time as
 * "08.00.00" in a Danish sheet, "8:00:00 AM" in an American one, TRUE as "SAND"). Converted explicitly:
 * a time as "HH:mm" ("HH:mm:ss" with seconds) in the spreadsheet's time zone, another date as "yyyy-MM-dd",
 * a number as JavaScript writes it ("8.5"), a boolean as TRUE/FALSE.
 */
function readSetting_(spreadsheet, key) {
  var value = instruksSheet_(spreadsheet).getRange(setting_(key).cell).getValue();
  return cellText_(value, spreadsheet.getSpreadsheetTimeZone()).trim();
}

function cellText_(value, timeZone) {
  if (value === null || value === undefined) return '';
  if (Object.prototype.toString.call(value) === '[object Date]') {
    var day = Utilities.formatDate(value, timeZone, 'yyyy-MM-dd');
    var time = Utilities.formatDate(value, timeZone, 'HH:mm:ss').replace(/:00$/, '');
    if (day === SHEETS_DAY_ZERO) return time;
    return time === '00:00' ? day : day + ' ' + time;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** An error whose message is for the user (a setup or input problem), not a bug. */
function userError_(message) {
  var error = new Error(message);
  error.userMessage = message;
  return error;
}
