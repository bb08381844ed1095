'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { SCHEMA, createEnv, expectedRow } = require('./fakes');

const QUEUE_HEADERS = SCHEMA.tabs[SCHEMA.queueTab].headers;
const WAITING = SCHEMA.jobStatus.WAITING;

function allButtons() {
  let buttons = SCHEMA.instruks.buttons.slice();
  for (const tab of Object.values(SCHEMA.tabs)) buttons = buttons.concat(tab.buttons);
  return buttons;
}

test('every schema button has a global function of its name', () => {
  const env = createEnv();
  const buttons = allButtons();
  assert.equal(buttons.length, 8);  // six queue a job, two tick every open proposal (Godkend alle)
  for (const b of buttons) assert.equal(typeof env.gs[b.function], 'function', b.function);
});

for (const button of allButtons().filter((b) => b.job_type)) {
  test(`${button.function} ("${button.label}") writes one waiting ${button.job_type} row, every cell`, () => {
    const env = createEnv({ uuids: ['11111111-2222-4333-8444-555555555555'], now: '2026-11-23T09:15:07Z' });
    assert.equal(env.gs[button.function](), true);
    assert.deepEqual(env.queueRows(), [expectedRow({
      job_id: '11111111-2222-4333-8444-555555555555',
      created_at: '2026-11-23T09:15:07Z',
      client_sheet: 'client-sheet-1',
      job_type: button.job_type,
      requested_by: 'bogholder@firma.dk',
    })]);
    assert.equal(env.queueRows()[0].length, QUEUE_HEADERS.length);
    assert.equal(env.statusCell(), WAITING);
    assert.deepEqual(env.events, [
      'gateway lock', `appendRow ${SCHEMA.queueTab}!2`, 'gateway release',
      `setValue ${SCHEMA.statusCell.tab}!${SCHEMA.statusCell.cell}`, 'flush',
    ]);
    assert.equal(env.gateway.lock.held, false);
    assert.equal(env.toasts.length, 1);
    assert.match(env.toasts[0].message, new RegExp(button.label));
    assert.deepEqual(env.alerts, []);
  });
}

test('the header row is kept and rows are appended below existing ones', () => {
  const existing = expectedRow({
    job_id: 'old', created_at: '2026-11-20T08:00:00Z', client_sheet: 'client-sheet-1', job_type: 'rykkerflow',
    requested_by: 'x@y.dk', status: SCHEMA.jobStatus.DONE,
  });
  const env = createEnv({ queueRows: [existing] });
  env.gs.startRykkerflow();
  const rows = env.queueBook.sheet(SCHEMA.queueTab).rows;
  assert.deepEqual(rows[0], QUEUE_HEADERS);
  assert.deepEqual(rows[1], existing);
  assert.equal(rows[2][0], '00000000-0000-4000-8000-000000000001');
  assert.equal(rows.length, 3);
});

test('an empty e-mail (user outside the domain) is requested by "ukendt"', () => {
  const env = createEnv({ user: '' });
  env.gs.sendRykkere();
  const row = env.queueRows()[0];
  assert.equal(row[QUEUE_HEADERS.indexOf(SCHEMA.tabs[SCHEMA.queueTab].columns
    .find((c) => c.key === 'requested_by').header)], 'ukendt');
});

test('a busy queue lock: the web app waits 10 s, then the click tells the user and writes nothing', () => {
  const env = createEnv();
  env.gateway.lock.busy = true;
  const t0 = env.now;
  assert.equal(env.gs.startRykkerflow(), false);
  assert.equal(env.now - t0, 10000, 'waitLock waited its whole timeout');
  assert.deepEqual(env.queueRows(), []);
  assert.equal(env.statusCell(), '');
  assert.equal(env.alerts.length, 1);
  assert.match(env.alerts[0], /IKKE sat i kø/);
  assert.match(env.alerts[0], /Start rykkerflow nu/);
  assert.ok(env.gateway.lock.waits[0] > 0, 'the lock is given a timeout');
  assert.equal(env.flushes, 0);
});

test('a lock another click releases within the timeout: this click waits for it and is queued', () => {
  const env = createEnv();
  Object.assign(env.gateway.lock, { busy: true, busyForMs: 3000 });
  const t0 = env.now;
  assert.equal(env.gs.startRykkerflow(), true);
  assert.equal(env.now - t0, 3000);
  assert.equal(env.queueRows().length, 1);
  assert.deepEqual(env.alerts, []);
  assert.equal(env.gateway.lock.held, false);
});

test('a second click while the first job still waits adds no row and says so', () => {
  const env = createEnv();
  assert.equal(env.gs.startRykkerflow(), true);
  assert.equal(env.gs.startRykkerflow(), false);
  assert.equal(env.queueRows().length, 1);
  assert.equal(env.alerts.length, 1);
  assert.match(env.alerts[0], /venter allerede/);
  assert.equal(env.gateway.lock.held, false);
  // "Hent nye forslag" is also a rykkerflow: the same rule applies.
  assert.equal(env.gs.hentNyeForslag(), false);
  assert.equal(env.queueRows().length, 1);
});

test('the duplicate rule: only a waiting job of the same type for the same client blocks', () => {
  const col = (key) => SCHEMA.tabs[SCHEMA.queueTab].columns.findIndex((c) => c.key === key);
  const row = (client, type, status) => {
    const r = expectedRow({ job_id: `${client}-${type}-${status}`, created_at: '2026-11-23T08:00:00Z',
      client_sheet: client, job_type: type, requested_by: 'x@y.dk' });
    r[col('status')] = status;
    return r;
  };
  const env = createEnv({ queueRows: [
    row('other-client', 'rykkerflow', WAITING),
    row('client-sheet-1', 'send_rykkere', WAITING),
    row('client-sheet-1', 'rykkerflow', SCHEMA.jobStatus.RUNNING),
    row('client-sheet-1', 'rykkerflow', SCHEMA.jobStatus.RETRYING),
    row('client-sheet-1', 'rykkerflow', SCHEMA.jobStatus.DONE),
  ] });
  assert.equal(env.gs.startRykkerflow(), true, 'no waiting rykkerflow for this client');
  assert.equal(env.gs.sendRykkere(), false, 'send_rykkere is waiting for this client');
  assert.equal(env.gs.opretGodkendteSager(), true);
  assert.equal(env.queueRows().length, 7);
});

test('a missing QUEUE_SPREADSHEET_ID gives a clear message and writes nothing', () => {
  for (const queueId of [null, '', '   ']) {
    const env = createEnv({ queueId });
    assert.equal(env.gs.startRykkerflow(), false);
    assert.equal(env.alerts.length, 1);
    assert.match(env.alerts[0], /QUEUE_SPREADSHEET_ID mangler/);
    assert.match(env.alerts[0], /Scriptegenskaber/);
    assert.deepEqual(env.queueRows(), []);
    assert.equal(env.statusCell(), '');
    assert.equal(env.gateway.lock.held, false);
  }
});

test('a queue id that cannot be opened names the id', () => {
  const env = createEnv({ queueId: 'no-such-sheet' });
  assert.equal(env.gs.sendRykkere(), false);
  assert.match(env.alerts[0], /QUEUE_SPREADSHEET_ID = no-such-sheet/);
  assert.match(env.alerts[0], /redigeringsadgang/);
  assert.equal(env.gateway.lock.held, false);
});

test('a queue spreadsheet without the queue tab says how to create it', () => {
  const env = createEnv({ queueTabs: { Ark1: [] } });
  assert.equal(env.gs.startRykkerflow(), false);
  assert.match(env.alerts[0], new RegExp(`ingen fane "${SCHEMA.queueTab}"`));
  assert.match(env.alerts[0], /worker\.py bootstrap --spreadsheet queue-sheet-1/);
});

test('a queue tab whose header row differs is refused, not written into', () => {
  const headers = QUEUE_HEADERS.slice();
  [headers[2], headers[3]] = [headers[3], headers[2]];
  const env = createEnv({ queueTabs: { [SCHEMA.queueTab]: [headers] } });
  assert.equal(env.gs.startRykkerflow(), false);
  assert.match(env.alerts[0], /forventede overskrifter/);
  assert.equal(env.queueBook.sheet(SCHEMA.queueTab).rows.length, 1);
  // An empty queue tab (no header at all) is refused too.
  const empty = createEnv({ queueTabs: { [SCHEMA.queueTab]: [] } });
  assert.equal(empty.gs.startRykkerflow(), false);
  assert.match(empty.alerts[0], /forventede overskrifter/);
});

test('an unexpected error in the web app is shown, logged there, and its lock is still released', () => {
  const env = createEnv();
  env.queueBook.sheet(SCHEMA.queueTab).failAppend = new Error('Service Spreadsheets failed');
  assert.equal(env.gs.startRykkerflow(), false);
  assert.equal(env.gateway.lock.held, false);
  assert.ok(env.events.includes('gateway release'));
  assert.match(env.alerts[0], /uventet fejl: Service Spreadsheets failed/);
  assert.ok(env.logs.some((l) => /Service Spreadsheets failed/.test(l)), 'the web app logs the stack');
  assert.equal(env.statusCell(), '');
});

test('onOpen builds the "Rykkerbot" menu with every button and the trigger switches', () => {
  const env = createEnv();
  env.gs.onOpen();
  assert.equal(env.menus.length, 1);
  assert.equal(env.menus[0].name, 'Rykkerbot');
  const items = env.menus[0].items.filter((i) => !i.separator);
  const n = allButtons().length;
  assert.deepEqual(items.slice(0, n), allButtons().map((b) => ({ caption: b.label, fn: b.function })));
  assert.deepEqual(items.slice(n).map((i) => i.fn), ['installTrigger', 'uninstallTrigger']);
  for (const item of items) assert.equal(typeof env.gs[item.fn], 'function', item.fn);
});

// Issue 17 item 13: a click reads only what the duplicate check needs, however long the history.
function historyRows(n, client, type, status) {
  const col = (key) => SCHEMA.tabs[SCHEMA.queueTab].columns.findIndex((c) => c.key === key);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = expectedRow({ job_id: `old-${i}`, created_at: '2026-01-01T08:00:00Z', client_sheet: client || `client-${i % 40}`,
      job_type: type || 'rykkerflow', requested_by: 'x@y.dk' });
    r[col('status')] = status || SCHEMA.jobStatus.DONE;
    rows.push(r);
  }
  return rows;
}

test('a click on a queue of 5,000 rows reads the header and the few waiting rows, not the history', () => {
  const waitingOther = historyRows(1, 'other-client', 'rykkerflow', WAITING);
  const waitingOtherType = historyRows(1, 'client-sheet-1', 'send_rykkere', WAITING);
  const env = createEnv({ queueRows: [...historyRows(4998), ...waitingOther, ...waitingOtherType] });
  const width = QUEUE_HEADERS.length;
  assert.equal(env.gs.startRykkerflow(), true);
  assert.equal(env.queueRows().length, 5001);
  // before: every cell of the tab under the lock (5,001 x 12 = 60,012)
  assert.ok(env.reads.cells <= width + 2 * 4, `read ${env.reads.cells} cells`);
  assert.ok(env.reads.searched <= 5000, 'Sheets searched one column');
  // the same click again is a duplicate, found the same way
  env.reads.cells = 0;
  assert.equal(env.gs.startRykkerflow(), false);
  assert.match(env.alerts[0], /venter allerede/);
  assert.ok(env.reads.cells <= width + 3 * 4, `read ${env.reads.cells} cells`);
});

test('a waiting job far back in a long history still blocks a duplicate', () => {
  const rows = [...historyRows(10), ...historyRows(1, 'client-sheet-1', 'rykkerflow', WAITING), ...historyRows(4989)];
  const env = createEnv({ queueRows: rows });
  assert.equal(env.gs.hentNyeForslag(), false);
  assert.equal(env.queueRows().length, 5000);
  assert.equal(env.gs.sendRykkere(), true, 'another type is not blocked');
});

test('a history without any waiting job reads only the header row', () => {
  const env = createEnv({ queueRows: historyRows(5000) });
  assert.equal(env.gs.opretGodkendteSager(), true);
  assert.equal(env.reads.cells, QUEUE_HEADERS.length);
});
