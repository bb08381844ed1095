/**
 * Small lookups over SCHEMA (Schema.gs, generated from sheets_schema). Nothing here types a sheet name,
 * header, cell or status text.
 */

/** Every button of the client spreadsheet: Instruks first, then the table tabs, as the schema lists them. */
function schemaButtons_() {
  var buttons = SCHEMA.instruks.buttons.slice();
  Object.keys(SCHEMA.tabs).forEach(function (tab) {
    buttons = buttons.concat(SCHEMA.tabs[tab].buttons);
  });
  return buttons;
}

/** The button whose Apps Script function is `name`. */
function buttonByFunction_(name) {
  var found = schemaButtons_().filter(function (b) { return b.function === name; });
  if (!found.length) throw new Error('SCHEMA has no button with function ' + name);
  return found[0];
}

/** The setting with this key, e.g. "schedule_times" -> {label, cell, row, ...}. */
function setting_(key) {
  var found = SCHEMA.instruks.settings.filter(function (s) { return s.key === key; });
  if (!found.length) throw new Error('SCHEMA has no Instruks setting ' + key);
  return found[0];
}

/** A setting's cell with its tab, as messages name it: "Instruks!B27". */
function settingRef_(key) {
  return SCHEMA.instruks.name + '!' + setting_(key).cell;
}

/** The queue tab's columns, in sheet order. */
function queueColumns_() {
  return SCHEMA.tabs[SCHEMA.queueTab].columns;
}

/** 0-based position of a queue column. */
function queueIndex_(key) {
  var keys = queueColumns_().map(function (c) { return c.key; });
  var i = keys.indexOf(key);
  if (i < 0) throw new Error('SCHEMA queue tab has no column ' + key);
  return i;
}
