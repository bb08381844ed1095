#!/usr/bin/env node
'use strict';
/**
 * The operator's tool for the queue's web app (appsscript/Gateway.gs); not pushed by clasp.
 *
 *   node appsscript/tools/client-token.js --new-secret
 *       prints a new random secret for the web app's Script Property QUEUE_SECRET
 *   QUEUE_SECRET=... node appsscript/tools/client-token.js CLIENT_SPREADSHEET_ID [...]
 *       prints each client spreadsheet's token (one line each) for its script's Script Property QUEUE_TOKEN
 *
 * A token is the hex HMAC-SHA256 of the spreadsheet id under the secret: it lets that spreadsheet's buttons
 * queue jobs for that spreadsheet only. The secret is read from the environment, not the command line, so it
 * stays out of the shell history.
 */
const crypto = require('node:crypto');

function clientToken(secret, clientSheet) {
  return crypto.createHmac('sha256', secret).update(clientSheet, 'utf8').digest('hex');
}

function main(argv, env, out, err) {
  if (argv.length === 1 && argv[0] === '--new-secret') {
    out(crypto.randomBytes(32).toString('hex'));
    return 0;
  }
  if (!argv.length) {
    err('Usage: QUEUE_SECRET=... node appsscript/tools/client-token.js CLIENT_SPREADSHEET_ID [...]\n' +
      '       node appsscript/tools/client-token.js --new-secret');
    return 2;
  }
  const secret = (env.QUEUE_SECRET || '').trim();
  if (!secret) {
    err('QUEUE_SECRET is not set: set it to the web app\'s Script Property QUEUE_SECRET.');
    return 2;
  }
  for (const id of argv) {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) {
      err(`Not a spreadsheet id: ${JSON.stringify(id)} (the part of the address between /d/ and /edit).`);
      return 2;
    }
  }
  argv.forEach((id) => out(clientToken(secret, id)));
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, (l) => console.log(l), (l) => console.error(l));
}

module.exports = { clientToken, main };
