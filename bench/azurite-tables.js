// Summarises Azurite's table database by table: rows, bytes as Azurite saves them, and the properties that take the
// most room (numbered chunk properties such as Text0, Text1 are counted together as Text#).
// Usage: node bench/azurite-tables.js <azurite folder>/__azurite_db_table__.json
'use strict';
const fs = require('fs');
const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/azurite-tables.js <path to __azurite_db_table__.json>');
  process.exit(2);
}
const db = JSON.parse(fs.readFileSync(file, 'utf8'));
const mib = (bytes) => (bytes / 1048576).toFixed(1);
let all = 0;
for (const collection of db.collections) {
  const rows = collection.data.length;
  if (!rows) continue;
  let total = 0;
  const byProperty = {};
  for (const row of collection.data) {
    total += JSON.stringify(row).length;
    for (const [name, value] of Object.entries(row.properties || {})) {
      const key = name.replace(/\d+$/, '#');
      byProperty[key] = (byProperty[key] || 0) + JSON.stringify(value).length + name.length;
    }
  }
  all += total;
  const top = Object.entries(byProperty).sort((a, b) => b[1] - a[1]).slice(0, 8)
    .map(([name, bytes]) => `${name}=${mib(bytes)}M`).join(' ');
  console.log(`${collection.name.padEnd(40)} ${String(rows).padStart(8)} rows ${mib(total).padStart(7)} MiB  ${top}`);
}
console.log(`${'all'.padEnd(40)} ${''.padStart(8)}      ${mib(all).padStart(7)} MiB`);
