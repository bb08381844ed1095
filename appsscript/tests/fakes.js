'use strict';
/**
 * Small fakes of the Apps Script services the .gs files use, and a loader that runs the .gs files in a
 * node:vm context with those fakes as globals. Only what the code calls is faked; a call the fakes do not
 * know fails loudly (a TypeError), so a test cannot pass on a service it does not model.
 *
 * Values written by the scripts are copied into this realm (vm arrays have another Array prototype, which
 * assert.deepStrictEqual would reject).
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const crypto = require('node:crypto');

const GS_DIR = path.resolve(__dirname, '..');

/** The generated SCHEMA, read the way Apps Script gets it: by running Schema.gs. */
function loadSchema() {
  const ctx = vm.createContext({});
  vm.runInContext(fs.readFileSync(path.join(GS_DIR, 'Schema.gs'), 'utf8'), ctx, { filename: 'Schema.gs' });
  return JSON.parse(JSON.stringify(ctx.SCHEMA));
}

const SCHEMA = loadSchema();

function gsFiles() {
  return fs.readdirSync(GS_DIR).filter((f) => f.endsWith('.gs')).sort();
}

// ---------------------------------------------------------------------------------------------- A1 notation

function columnNumber(letters) {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function parseA1(a1) {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(a1);
  if (!m) throw new Error(`fake getRange: unsupported A1 notation ${JSON.stringify(a1)}`);
  const row = Number(m[2]);
  const col = columnNumber(m[1]);
  const lastRow = m[3] ? Number(m[4]) : row;
  const lastCol = m[3] ? columnNumber(m[3]) : col;
  return [row, col, lastRow - row + 1, lastCol - col + 1];
}

function letter(col) {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function isDate(v) {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** What a cell keeps: a String, Number, Boolean or Date (stored as a Date of this realm), '' for empty. */
function copyValue(v) {
  if (v === undefined || v === null) return '';
  if (isDate(v)) return new Date(v.getTime());
  if (typeof v === 'object') throw new Error(`fake sheet: refusing to store an object ${String(v)}`);
  return v;
}

/**
 * The text Sheets shows for a value, which depends on the spreadsheet's locale (and the cell's format; the
 * fake uses each locale's default formats). A time typed as 08:00 is a date-time on Sheets' day zero,
 * 1899-12-30, in the spreadsheet's time zone.
 */
function displayValue(v, locale, timeZone) {
  const danish = locale === 'da_DK';
  if (typeof v === 'boolean') return danish ? (v ? 'SAND' : 'FALSK') : (v ? 'TRUE' : 'FALSE');
  if (typeof v === 'number') return danish ? String(v).replace('.', ',') : String(v);
  if (isDate(v)) {
    const p = partsIn(timeZone, v.getTime());
    const timeOnly = p.year === '1899' && p.month === '12' && p.day === '30';
    if (danish) return timeOnly ? `${p.hour}.${p.minute}.${p.second}` : `${Number(p.day)}.${Number(p.month)}.${p.year}`;
    const h = Number(p.hour);
    return timeOnly ? `${h % 12 || 12}:${p.minute}:${p.second} ${h < 12 ? 'AM' : 'PM'}`
      : `${Number(p.month)}/${Number(p.day)}/${p.year}`;
  }
  return String(v);
}

/** The Date a cell holds when someone types the time "HH:MM" into a sheet whose time zone is `timeZone`. */
function sheetTime(hhmm, timeZone) {
  const [h, m] = hhmm.split(':').map(Number);
  const wanted = Date.UTC(1899, 11, 30, h, m);
  let ms = wanted;
  for (let i = 0; i < 3; i++) {
    const p = partsIn(timeZone || 'Europe/Copenhagen', ms);
    const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute),
      Number(p.second));
    ms += wanted - shown;
  }
  return new Date(ms);
}

// ---------------------------------------------------------------------------------------------- Sheets

class FakeRange {
  constructor(sheet, row, col, numRows, numCols) {
    if (row < 1 || col < 1 || numRows < 1 || numCols < 1) {
      throw new Error(`fake getRange: bad range ${row},${col},${numRows},${numCols}`);
    }
    Object.assign(this, { sheet, row, col, numRows, numCols });
  }

  a1() {
    const first = `${letter(this.col)}${this.row}`;
    if (this.numRows === 1 && this.numCols === 1) return first;
    return `${first}:${letter(this.col + this.numCols - 1)}${this.row + this.numRows - 1}`;
  }

  getA1Notation() { return this.a1(); }

  getRow() { return this.row; }

  getColumn() { return this.col; }

  getNumRows() { return this.numRows; }

  getNumColumns() { return this.numCols; }

  /** Cells as the script reads them (Range.getValues): String, Number, Boolean or Date, '' when empty. */
  cells(convert) {
    const env = this.sheet.book.env;
    env.reads.calls += 1;
    env.reads.cells += this.numRows * this.numCols;
    const out = [];
    for (let r = 0; r < this.numRows; r++) {
      const line = [];
      for (let c = 0; c < this.numCols; c++) line.push(convert(this.sheet.cell(this.row + r, this.col + c)));
      out.push(line);
    }
    return out;
  }

  getValues() {
    const env = this.sheet.book.env;
    return this.cells((v) => (isDate(v) ? new env.ScriptDate(v.getTime()) : v));
  }

  getValue() { return this.getRange11().getValues()[0][0]; }

  getDisplayValues() {
    const book = this.sheet.book;
    return this.cells((v) => displayValue(v, book.locale, book.timeZone));
  }

  getDisplayValue() { return this.getRange11().getDisplayValues()[0][0]; }

  getRange11() { return new FakeRange(this.sheet, this.row, this.col, 1, 1); }

  /**
   * Range.createTextFinder: Sheets searches the cells' display values on its side and returns the matching
   * cells as ranges; no value travels to the script (counted apart, as env.reads.searched).
   */
  createTextFinder(text) {
    const range = this;
    const opts = { matchCase: false, matchEntireCell: false };
    const finder = {
      matchCase(b) { opts.matchCase = !!b; return finder; },
      matchEntireCell(b) { opts.matchEntireCell = !!b; return finder; },
      findAll() {
        const book = range.sheet.book;
        book.env.reads.searched += range.numRows * range.numCols;
        const norm = (t) => (opts.matchCase ? t : t.toLowerCase());
        const wanted = norm(String(text));
        const found = [];
        for (let r = 0; r < range.numRows; r++) {
          for (let c = 0; c < range.numCols; c++) {
            const shown = norm(displayValue(range.sheet.cell(range.row + r, range.col + c), book.locale, book.timeZone));
            if (opts.matchEntireCell ? shown === wanted : shown.includes(wanted)) {
              found.push(new FakeRange(range.sheet, range.row + r, range.col + c, 1, 1));
            }
          }
        }
        return found;
      },
    };
    return finder;
  }

  setValue(value) {
    for (let r = 0; r < this.numRows; r++) {
      for (let c = 0; c < this.numCols; c++) this.sheet.put(this.row + r, this.col + c, value);
    }
    this.sheet.book.env.log(`setValue ${this.sheet.name}!${this.a1()}`);
    return this;
  }

  setValues(values) {
    if (values.length !== this.numRows || values.some((line) => line.length !== this.numCols)) {
      throw new Error(`The number of rows or columns in the data does not match the range ${this.a1()}`);
    }
    values.forEach((line, r) => line.forEach((v, c) => this.sheet.put(this.row + r, this.col + c, v)));
    this.sheet.book.env.log(`setValues ${this.sheet.name}!${this.a1()}`);
    return this;
  }
}

class FakeSheet {
  constructor(book, name, rows) {
    this.book = book;
    this.name = name;
    this.rows = (rows || []).map((line) => line.map(copyValue));
    this.failAppend = null; // set to an Error to make appendRow throw
  }

  getName() { return this.name; }

  cell(row, col) {
    const line = this.rows[row - 1];
    return line && line[col - 1] !== undefined ? line[col - 1] : '';
  }

  put(row, col, value) {
    while (this.rows.length < row) this.rows.push([]);
    const line = this.rows[row - 1];
    while (line.length < col) line.push('');
    line[col - 1] = copyValue(value);
  }

  getLastRow() {
    for (let r = this.rows.length; r > 0; r--) {
      if (this.rows[r - 1].some((v) => v !== '')) return r;
    }
    return 0;
  }

  getLastColumn() {
    return Math.max(0, ...this.rows.map((line) => line.length));
  }

  getRange(a, b, c, d) {
    if (typeof a === 'string') return new FakeRange(this, ...parseA1(a));
    return new FakeRange(this, a, b, c === undefined ? 1 : c, d === undefined ? 1 : d);
  }

  getDataRange() {
    return new FakeRange(this, 1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }

  appendRow(values) {
    if (this.failAppend) throw this.failAppend;
    const row = this.getLastRow() + 1;
    Array.from(values).forEach((v, i) => this.put(row, i + 1, v));
    this.book.env.log(`appendRow ${this.name}!${row}`);
    return this;
  }
}

class FakeSpreadsheet {
  constructor(env, id, tabs, locale, timeZone) {
    this.env = env;
    this.id = id;
    this.locale = locale || 'da_DK';
    this.timeZone = timeZone || 'Europe/Copenhagen';
    this.sheets = new Map();
    for (const [name, rows] of Object.entries(tabs || {})) this.sheets.set(name, new FakeSheet(this, name, rows));
  }

  getId() { return this.id; }

  getSpreadsheetLocale() { return this.locale; }

  getSpreadsheetTimeZone() { return this.timeZone; }

  getSheetByName(name) { return this.sheets.get(name) || null; }

  sheet(name) {
    const s = this.sheets.get(name);
    if (!s) throw new Error(`test: no tab ${name} in ${this.id}`);
    return s;
  }

  toast(message, title, seconds) {
    this.env.toasts.push({ message: String(message), title: String(title), seconds });
  }
}

// ---------------------------------------------------------------------------------------------- builders

/** Instruks rows as bootstrap writes them: header, then label | default | help per setting. */
function instruksRows(overrides) {
  const rows = [SCHEMA.instruks.header.slice()];
  for (const s of SCHEMA.instruks.settings) {
    const value = overrides && Object.prototype.hasOwnProperty.call(overrides, s.key) ? overrides[s.key] : s.default;
    rows.push([s.label, value, s.help]);
  }
  return rows;
}

function clientTabs(overrides) {
  const tabs = { [SCHEMA.instruks.name]: instruksRows(overrides) };
  for (const [name, tab] of Object.entries(SCHEMA.tabs)) {
    if (name !== SCHEMA.queueTab) tabs[name] = [tab.headers.slice()];
  }
  return tabs;
}

function queueTabs(dataRows) {
  return { [SCHEMA.queueTab]: [SCHEMA.tabs[SCHEMA.queueTab].headers.slice(), ...(dataRows || [])] };
}

// ---------------------------------------------------------------------------------------------- date/time

const FORMATTERS = new Map();

function partsIn(timeZone, ms) {
  let f = FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    FORMATTERS.set(timeZone, f);
  }
  const parts = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return parts;
}

/** Utilities.formatDate for the SimpleDateFormat letters the scripts use: yyyy MM dd HH mm ss and 'quotes'. */
function formatDate(date, timeZone, pattern) {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new Error('formatDate: invalid date');
  const p = partsIn(timeZone, ms);
  const fields = { yyyy: p.year, MM: p.month, dd: p.day, HH: p.hour, mm: p.minute, ss: p.second };
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new Error(`formatDate: unterminated quote in ${pattern}`);
      out += pattern.slice(i + 1, end);
      i = end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (pattern[j] === ch) j++;
      const token = pattern.slice(i, j);
      if (!(token in fields)) throw new Error(`fake formatDate: unsupported pattern letters ${token}`);
      out += fields[token];
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- the env

const OPERATOR = 'drift@firma.dk';
const GATEWAY_URL = 'https://script.google.com/macros/s/AKfy-gateway-deployment/exec';
const GATEWAY_SECRET = 'test-secret-0123456789abcdef';

/** The client token the operator makes (appsscript/tools/client-token.js): hex HMAC-SHA256 of the id. */
function clientToken(secret, clientSheet) {
  return crypto.createHmac('sha256', secret).update(clientSheet, 'utf8').digest('hex');
}

/** Utilities.computeHmacSha256Signature(value, key): Byte[] as Java gives it, signed (-128..127). */
function hmacBytes(value, key) {
  return Array.from(crypto.createHmac('sha256', String(key)).update(String(value), 'utf8').digest())
    .map((b) => (b > 127 ? b - 256 : b));
}

function makeProperties(initial) {
  const store = new Map(Object.entries(initial || {}));
  return {
    store,
    getProperty: (k) => (store.has(k) ? store.get(k) : null),
    setProperty(k, v) { store.set(k, String(v)); return this; },
    setProperties(values) {
      for (const [k, v] of Object.entries(values)) store.set(k, String(v));
      return this;
    },
    deleteProperty(k) { store.delete(k); return this; },
    getProperties: () => Object.fromEntries(store),
  };
}

/**
 * One project's script lock, shared by every getScriptLock() call, as in Apps Script. `busy`: another
 * execution holds it; `busyForMs`: ... and releases it after that many ms (null = not within any timeout).
 */
function makeLock(env, prefix) {
  const state = { busy: false, busyForMs: null, held: false, waits: [] };
  const acquire = (ms) => {
    state.waits.push(ms);
    if (state.busy) {
      if (state.busyForMs === null || state.busyForMs > ms) {
        env.now += ms; // waited the whole timeout in vain
        return false;
      }
      env.now += state.busyForMs;
      state.busy = false;
      state.busyForMs = null;
    }
    state.held = true;
    env.log(`${prefix}lock`);
    return true;
  };
  state.object = {
    waitLock(ms) {
      if (!acquire(ms)) throw new Error('Lock timeout: another process was holding the lock for too long.');
    },
    tryLock(ms) { return acquire(ms); },
    hasLock: () => state.held,
    releaseLock() {
      state.held = false;
      env.log(`${prefix}release`);
    },
  };
  return state;
}

/**
 * A fresh world with two Apps Script projects and one clock:
 * - the client spreadsheet's bound script (env.gs), run by a bookkeeper who is no editor of the queue;
 *   Script Properties QUEUE_URL and QUEUE_TOKEN; its UrlFetchApp reaches the web app below;
 * - the queue's web app (env.gateway.gs), a standalone copy of the same files deployed "execute as me" by
 *   the operator (drift@firma.dk), who alone can open the queue spreadsheet; Script Properties
 *   QUEUE_SPREADSHEET_ID and QUEUE_SECRET.
 * `opts`:
 *   now: ISO instant (default 2026-11-23T09:15:00Z), user: e-mail of the active user ('' = unknown),
 *   effectiveUser: the user the script runs as (default: user, or bogholder@firma.dk when user is ''),
 *   settings: Instruks overrides by setting key, queueRows: existing data rows, uuids: list of ids,
 *   queueId: the web app's QUEUE_SPREADSHEET_ID (null = not set), ui: false for a trigger context (no getUi),
 *   locale / timeZone: the client spreadsheet's (default da_DK, Europe/Copenhagen),
 *   clientProperties: the client script's Script Properties (default: the web app's URL and a valid token).
 *
 * As the reference says, and unlike a naive fake: getValues gives Number, Boolean and Date where the cells
 * hold them (getDisplayValue gives the locale's text); waitLock(ms) on a lock another execution holds waits
 * (the clock moves on by ms) and then throws, tryLock(ms) waits and returns false; getProjectTriggers lists
 * only the current user's triggers; openById fails for a user who has no access. env.reads counts the cells
 * and calls of every read.
 */
function createEnv(opts) {
  const o = Object.assign({
    clientId: 'client-sheet-1', queueSpreadsheetId: 'queue-sheet-1', now: '2026-11-23T09:15:00Z',
    user: 'bogholder@firma.dk', settings: {}, queueRows: [], uuids: [], ui: true,
  }, opts || {});
  const env = {
    events: [], toasts: [], alerts: [], menus: [], triggers: [], flushes: 0, logs: [], fetches: [],
    reads: { cells: 0, calls: 0, searched: 0 },
    log(event) { env.events.push(event); },
  };
  env.activeUser = o.user;
  env.effectiveUser = o.effectiveUser || o.user || 'bogholder@firma.dk';
  /** Another person at the keyboard (their click, their menu, their editor). */
  env.setUser = (email) => { env.activeUser = email; env.effectiveUser = email; };
  env.client = new FakeSpreadsheet(env, o.clientId, o.clientTabs || clientTabs(o.settings), o.locale, o.timeZone);
  env.queueBook = new FakeSpreadsheet(env, o.queueSpreadsheetId, o.queueTabs || queueTabs(o.queueRows));
  env.queueBook.editors = new Set([OPERATOR]); // shared with the operator (and the service account) only
  env.spreadsheets = new Map([[env.client.id, env.client], [env.queueBook.id, env.queueBook]]);
  env.active = env.client;

  // Clock: new Date() in the scripts is env.now.
  env.now = Date.parse(o.now);
  env.setNow = (iso) => { env.now = Date.parse(iso); };
  const RealDate = Date;
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length) super(...args);
      else super(env.now);
    }

    static now() { return env.now; }
  }
  env.ScriptDate = FakeDate;

  let uuidCounter = 0;
  const uuids = o.uuids.slice();
  env.Utilities = {
    getUuid() {
      if (uuids.length) return uuids.shift();
      uuidCounter += 1;
      return `00000000-0000-4000-8000-${String(uuidCounter).padStart(12, '0')}`;
    },
    formatDate,
    computeHmacSha256Signature: hmacBytes,
  };

  const openById = (user) => (id) => {
    const book = env.spreadsheets.get(id);
    if (!book) throw new Error('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    if (book.editors && !book.editors.has(user())) {
      throw new Error('You do not have permission to access the requested document.');
    }
    return book;
  };
  env.console = { log: (...args) => env.logs.push(args.map(String).join(' ')) };
  env.console.error = env.console.log;

  // ------------------------------------------------------------------------------------ the client project
  const clientInitial = o.clientProperties || { QUEUE_URL: GATEWAY_URL, QUEUE_TOKEN: clientToken(GATEWAY_SECRET, o.clientId) };
  env.scriptProperties = makeProperties(clientInitial);
  env.documentProperties = makeProperties({});
  env.PropertiesService = {
    getScriptProperties: () => env.scriptProperties,
    getDocumentProperties: () => env.documentProperties,
    getUserProperties: () => { throw new Error('fake: user properties are not used'); },
  };
  env.lock = makeLock(env, '');
  env.LockService = { getScriptLock: () => env.lock.object, getDocumentLock: () => env.lock.object };
  env.Session = {
    getActiveUser: () => ({ getEmail: () => env.activeUser }),
    getEffectiveUser: () => ({ getEmail: () => env.effectiveUser }),
  };

  const ui = {
    ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL' },
    alert(...args) {
      const message = args.length >= 3 ? args[1] : args[0];
      env.alerts.push(String(message));
      return 'OK';
    },
    createMenu(name) {
      const menu = { name: String(name), items: [] };
      const builder = {
        addItem(caption, fn) { menu.items.push({ caption: String(caption), fn: String(fn) }); return builder; },
        addSeparator() { menu.items.push({ separator: true }); return builder; },
        addToUi() { env.menus.push(menu); },
      };
      return builder;
    },
  };
  env.SpreadsheetApp = {
    getActiveSpreadsheet: () => env.active,
    getActive: () => env.active,
    openById: openById(() => env.effectiveUser),
    flush() { env.flushes += 1; env.log('flush'); },
    getUi() {
      if (!o.ui) throw new Error('Cannot call SpreadsheetApp.getUi() from this context.');
      return ui;
    },
  };

  // Installable triggers belong to the user who creates them; getProjectTriggers() lists "all installable
  // triggers associated with the current project and current user" (ScriptApp reference).
  let triggerCounter = 0;
  env.ScriptApp = {
    newTrigger(handler) {
      const spec = { handler: String(handler) };
      const builder = {
        timeBased() { spec.timeBased = true; return builder; },
        everyMinutes(n) {
          if (![1, 5, 10, 15, 30].includes(n)) throw new Error(`everyMinutes: ${n} is not 1, 5, 10, 15 or 30`);
          spec.everyMinutes = n;
          return builder;
        },
        create() {
          triggerCounter += 1;
          const id = `trigger-${triggerCounter}`;
          const trigger = Object.assign({}, spec, {
            id, owner: env.effectiveUser,
            getHandlerFunction: () => spec.handler,
            getUniqueId: () => id,
          });
          env.triggers.push(trigger);
          return trigger;
        },
      };
      return builder;
    },
    getProjectTriggers: () => env.triggers.filter((t) => t.owner === env.effectiveUser),
    deleteTrigger(t) {
      const i = env.triggers.indexOf(t);
      if (i < 0 || t.owner !== env.effectiveUser) throw new Error('deleteTrigger: unknown trigger');
      env.triggers.splice(i, 1);
    },
  };
  /** A time-driven trigger fires: its handler runs as the trigger's owner, with no UI. */
  env.fire = (trigger) => {
    const saved = [env.activeUser, env.effectiveUser, o.ui];
    env.activeUser = trigger.owner;
    env.effectiveUser = trigger.owner;
    o.ui = false;
    try {
      return env.gs[trigger.handler]({ triggerUid: trigger.getUniqueId() });
    } finally {
      [env.activeUser, env.effectiveUser, o.ui] = saved;
    }
  };

  // UrlFetchApp: the web app's /exec URL runs the gateway's doPost and answers with its output (Google
  // redirects to the output; UrlFetchApp follows). `env.http`: fail (an Error the fetch throws), or
  // status/body (an answer that never reached the web app, e.g. 404 for a deleted deployment).
  env.http = { fail: null, status: null, body: null };
  const response = (code, body) => ({ getResponseCode: () => code, getContentText: () => body });
  env.UrlFetchApp = {
    fetch(url, params) {
      const p = Object.assign({}, params || {});
      env.fetches.push({ url: String(url), params: JSON.parse(JSON.stringify(p)) });
      if (env.http.fail) throw env.http.fail; // a network failure throws whatever muteHttpExceptions says
      let answer;
      if (env.http.status !== null) answer = response(env.http.status, env.http.body || '');
      else if (String(url) !== GATEWAY_URL) answer = response(404, '<html><body>Not Found</body></html>');
      else if (String(p.method).toLowerCase() !== 'post') answer = response(405, '<html>GET</html>');
      else {
        const payload = String(p.payload);
        const e = {
          queryString: '', parameter: {}, parameters: {}, contextPath: '', contentLength: payload.length,
          postData: { contents: payload, length: payload.length, type: p.contentType || 'application/x-www-form-urlencoded', name: 'postData' },
        };
        let output;
        try {
          output = env.gateway.gs.doPost(e);
        } catch (err) {
          output = null;
          answer = response(200, `<html><body>${String(err)}</body></html>`); // Google's error page
        }
        if (output) {
          if (output.mimeType !== 'application/json') throw new Error('fake: the web app did not answer JSON');
          answer = response(200, output.getContent());
        }
      }
      if (!p.muteHttpExceptions && answer.getResponseCode() >= 400) {
        throw new Error(`Request failed for ${url} returned code ${answer.getResponseCode()}`);
      }
      return answer;
    },
  };

  // ------------------------------------------------------------------------------------ the web app project
  const gateway = { operator: OPERATOR, url: GATEWAY_URL, secret: GATEWAY_SECRET };
  const gatewayInitial = { QUEUE_SECRET: GATEWAY_SECRET };
  if (o.queueId !== null) gatewayInitial.QUEUE_SPREADSHEET_ID = o.queueId === undefined ? o.queueSpreadsheetId : o.queueId;
  gateway.scriptProperties = makeProperties(gatewayInitial);
  gateway.lock = makeLock(env, 'gateway ');
  gateway.globals = {
    SpreadsheetApp: {
      getActiveSpreadsheet: () => null, // a standalone script has no container
      openById: openById(() => OPERATOR),
      flush() { env.log('gateway flush'); },
      getUi() { throw new Error('Cannot call SpreadsheetApp.getUi() from this context.'); },
    },
    LockService: { getScriptLock: () => gateway.lock.object },
    PropertiesService: {
      getScriptProperties: () => gateway.scriptProperties,
      getDocumentProperties: () => null, // no container document
    },
    Session: {
      getActiveUser: () => ({ getEmail: () => '' }), // anonymous access: nobody is signed in
      getEffectiveUser: () => ({ getEmail: () => OPERATOR }),
    },
    ContentService: {
      MimeType: { JSON: 'application/json', TEXT: 'text/plain' },
      createTextOutput(content) {
        const output = {
          content: String(content === undefined ? '' : content), mimeType: 'text/plain',
          setMimeType(m) { output.mimeType = m; return output; },
          getContent: () => output.content,
          getMimeType: () => output.mimeType,
        };
        return output;
      },
    },
  };
  env.gateway = gateway;

  const context = (globals, order) => {
    const ctx = vm.createContext(Object.assign({ Utilities: env.Utilities, console: env.console, Date: FakeDate }, globals));
    for (const file of order || gsFiles()) {
      vm.runInContext(fs.readFileSync(path.join(GS_DIR, file), 'utf8'), ctx, { filename: file });
    }
    return ctx;
  };
  /** The .gs files run in fresh vm contexts; `order` lets a test load them in another order. */
  env.load = (order) => {
    env.gs = context({
      SpreadsheetApp: env.SpreadsheetApp, LockService: env.LockService, PropertiesService: env.PropertiesService,
      Session: env.Session, ScriptApp: env.ScriptApp, UrlFetchApp: env.UrlFetchApp,
    }, order);
    gateway.gs = context(gateway.globals, order);
    return env.gs;
  };

  /** Data rows of the queue tab (below the header), copied into this realm. */
  env.queueRows = () => env.queueBook.sheet(SCHEMA.queueTab).rows.slice(1).map((line) => line.slice());
  env.statusCell = () => env.client.sheet(SCHEMA.statusCell.tab).getRange(SCHEMA.statusCell.cell).getValue();
  env.setSetting = (key, value) => {
    const s = SCHEMA.instruks.settings.find((x) => x.key === key);
    env.client.sheet(SCHEMA.instruks.name).getRange(s.cell).setValue(value);
  };
  env.load();
  env.events.length = 0;
  env.reads.cells = 0;
  env.reads.calls = 0;
  return env;
}

/** The row jobqueue.rows.new_job_row writes, built from SCHEMA in the test realm. */
function expectedRow(fields) {
  const values = Object.assign({
    status: SCHEMA.jobStatus.WAITING, worker: '', lease_until: '', attempt: 0, not_before: '', message: '',
    finished_at: '',
  }, fields);
  return SCHEMA.tabs[SCHEMA.queueTab].columns.map((c) => {
    if (!(c.key in values)) throw new Error(`test: no expected value for ${c.key}`);
    return values[c.key];
  });
}

module.exports = {
  SCHEMA, GS_DIR, gsFiles, createEnv, expectedRow, formatDate, instruksRows, clientTabs, queueTabs,
  parseA1, FakeSpreadsheet, sheetTime, displayValue, clientToken, OPERATOR, GATEWAY_URL, GATEWAY_SECRET,
};
