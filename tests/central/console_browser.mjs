// Drives Debian's chromium headless through the DevTools protocol (no npm package: Node's own
// WebSocket) against a running central: logs in, opens every console page in Vietnamese and English
// at desktop and phone widths, saves a screenshot of each, and checks that a hostile text in the
// audit (an <img onerror>) shows as text and runs nothing.
// Usage: node --experimental-websocket console_browser.mjs BASE_URL USER PASSWORD OUT_DIR
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, user, password, out] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
const browser = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (why) => { console.error(`FAIL ${why}`); process.exitCode = 1; };

async function devtoolsPort() {
  for (let i = 0; i < 200; ++i) {
    const file = join(profile, 'DevToolsActivePort');
    if (existsSync(file)) {
      const port = readFileSync(file, 'utf8').split('\n')[0];
      if (port) return port;
    }
    await sleep(100);
  }
  throw new Error('chromium did not start');
}

let ws;
let nextId = 1;
const waiting = new Map();
function send(method, params = {}) {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}
async function evaluate(expression) {
  const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(r.exceptionDetails)}`);
  return r.result.value;
}
async function until(expression, what) {
  for (let i = 0; i < 100; ++i) {
    if (await evaluate(expression)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
async function shot(name) {
  await sleep(300);
  const { data } = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
  writeFileSync(join(out, `${name}.png`), Buffer.from(data, 'base64'));
}

try {
  const port = await devtoolsPort();
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    if (message.error) w.reject(new Error(JSON.stringify(message.error))); else w.resolve(message.result);
  };
  await send('Page.enable');
  await send('Runtime.enable');
  for (const [device, width, height, mobile] of [['desktop', 1280, 800, false], ['phone', 390, 844, true]]) {
    await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile });
    await send('Page.navigate', { url: `${base}/console/` });
    await until("document.readyState === 'complete' && !!document.querySelector('#login, #nav:not([hidden])')", 'the page');
    if (await evaluate("!!document.querySelector('#login')")) {
      await shot(`${device}-login-vi`);
      await evaluate(`(() => { const f = document.querySelector('#login');
        f.username.value = ${JSON.stringify(user)}; f.password.value = ${JSON.stringify(password)}; f.requestSubmit(); })()`);
      await until("!document.querySelector('#nav').hidden", 'the login');
    }
    for (const lang of ['vi', 'en']) {
      if ((await evaluate('document.documentElement.lang')) !== lang) await evaluate("document.querySelector('#lang').click()");
      for (const page of ['fleet', 'members', 'audit']) {
        await evaluate(`location.hash = '#${page}'`);
        await until("!!document.querySelector('main h1')", page);
        if (page === 'members') {
          await evaluate(`(() => { const f = document.querySelector('main form');
            f.phone.value = '0901234567'; f.requestSubmit(); })()`);
          await until("!!document.querySelector('#member')", 'the member');
        }
        if (page === 'audit') await until("document.querySelectorAll('main tbody tr').length > 0", 'audit rows');
        await shot(`${device}-${page}-${lang}`);
      }
    }
  }
  if (await evaluate('window.__xss === 1')) fail('a hostile reason ran as script');
  if (!(await evaluate("[...document.querySelectorAll('td')].some((td) => td.textContent.includes('<img src=x onerror'))")))
    fail('the hostile reason is not shown as text');
  if (await evaluate("document.querySelectorAll('main img').length") !== 0) fail('a hostile reason became an element');
} catch (error) {
  fail(error.message);
} finally {
  ws?.close();
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  browser.kill();
  await exited;
  rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
