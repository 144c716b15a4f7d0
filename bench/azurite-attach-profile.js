#!/usr/bin/env node
// Samples the CPU of an Azurite that is already running (a bench's, mid-run) for a while and writes a .cpuprofile that
// bench/azurite-profile.js summarises. It opens node's inspector in that process (SIGUSR1) and drives its profiler over
// the DevTools protocol, so nothing has to be decided when Azurite starts (the settle bench's profile-azurite probe
// covers a whole run instead).
// Usage: node --experimental-websocket bench/azurite-attach-profile.js <azurite pid> <seconds> <out.cpuprofile>
'use strict';
const fs = require('fs');
const [pidArg, secondsArg, out] = process.argv.slice(2);
if (!pidArg || !secondsArg || !out || typeof WebSocket !== 'function') {
  console.error('usage: node --experimental-websocket bench/azurite-attach-profile.js <pid> <seconds> <out.cpuprofile>');
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  process.kill(Number(pidArg), 'SIGUSR1');
  let targets;
  for (let i = 0; i < 50 && !targets; i++) {
    await sleep(200);
    try {
      targets = await (await fetch('http://127.0.0.1:9229/json/list')).json();
    } catch {
      // The inspector is still opening.
    }
  }
  if (!targets || targets.length === 0) {
    throw new Error('the inspector did not open on 127.0.0.1:9229');
  }

  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let next = 1;
  const waiting = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && waiting.has(message.id)) {
      waiting.get(message.id)(message);
      waiting.delete(message.id);
    }
  };
  const send = (method, params = {}) => new Promise((resolve) => {
    const id = next++;
    waiting.set(id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });

  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 1000 });
  await send('Profiler.start');
  console.log(`sampling Azurite (pid ${pidArg}) for ${secondsArg} s`);
  await sleep(Number(secondsArg) * 1000);
  const stopped = await send('Profiler.stop');
  fs.writeFileSync(out, JSON.stringify(stopped.result.profile));
  await send('Profiler.disable');
  socket.close();
  console.log(`written ${out}; summarise with: node bench/azurite-profile.js ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
