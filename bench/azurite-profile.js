#!/usr/bin/env node
// Summarises a node CPU profile (.cpuprofile, as `bench settle ... profile-azurite` has Azurite write): self time per
// function and per source file, largest first. Usage: node bench/azurite-profile.js <file.cpuprofile> [top=25]
'use strict';
const fs = require('fs');
const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/azurite-profile.js <file.cpuprofile> [top=25]');
  process.exit(2);
}
const top = Number(topArg || 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfMicros.set(id, (selfMicros.get(id) || 0) + (profile.timeDeltas[i] || 0));
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const perFunction = new Map();
const perFile = new Map();
for (const [id, micros] of selfMicros) {
  const frame = byId.get(id).callFrame;
  const where = (frame.url || '(native)').replace(/^.*node_modules\//, '');
  const name = `${frame.functionName || '(anonymous)'}  ${where}:${frame.lineNumber + 1}`;
  perFunction.set(name, (perFunction.get(name) || 0) + micros);
  perFile.set(where, (perFile.get(where) || 0) + micros);
}
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(micros / 1e6).toFixed(1).padStart(8)} s ${(100 * micros / total).toFixed(1).padStart(5)} %  ${name}`);
  }
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
print('self time per function', perFunction);
print('self time per file', perFile);
