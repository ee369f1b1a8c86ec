// Drives Debian's chromium headless through the DevTools protocol (no npm package: Node's own
// WebSocket) against a running central: logs in, opens every console page in Vietnamese and English
// at desktop and phone widths, saves a screenshot of each, and checks that a hostile text in the
// audit (an <img onerror>) shows as text and runs nothing. On the members page it returns the member's
// receipt (RETURN_DONG, the receipt's whole amount) and sees the balance and the tier change; on the
// rewards page it creates a reward named with hostile markup; it downloads the member's data and, at
// the end, erases a second member (0907654321). The reports page shows today's three claims at DEV001
// and downloads them as CSV. On the fleet page it sees every kiosk of FLEET (comma-separated ids)
// online, reads why they refused the chain's theme (their heartbeat's health), makes an enrollment
// code and takes OUT_OF_SERVICE_KIOSK out of service with OUT_OF_SERVICE_MESSAGE (the test then sees
// that kiosk show it). It merges a third member
// (0912345678) into the first, with the code central's file sink (OTP_FILE) got. Last, the user turns
// on the second factor on the security page with a code computed here (RFC 6238), logs out, and logs
// in again with the password and then the next code.
// Usage: node --experimental-websocket console_browser.mjs BASE_URL USER PASSWORD OUT_DIR RETURN_DONG
//        OUT_OF_SERVICE_MESSAGE OTP_FILE OUT_OF_SERVICE_KIOSK FLEET
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, user, password, out, returnDong, outOfServiceMessage, otpFile, outOfServiceKiosk, fleet] =
  process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
const browser = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore', detached: true });
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
let dialogAnswer = '';  // what a prompt() of the page is answered
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

/** Reveals the member, picks the receipt in the history, returns all of it: balance and tier fall. */
async function returnTheReceipt() {
  await evaluate(`(() => { const f = document.querySelector('#member form');
    f['reveal-reason'].value = 'khách trả hàng'; f.requestSubmit(); })()`);
  await until("!!document.querySelector('#return')", 'the return form');
  const details = await evaluate("[...document.querySelectorAll('#member td')].map((td) => td.textContent)");
  if (details.includes('admin') || !details.includes('Trụ sở điều chỉnh')) fail('the adjustment is not labelled in the history');
  const summary = "document.querySelector('#member p').textContent";
  const before = await evaluate(summary);
  await evaluate("[...document.querySelectorAll('#member tr button')][0].click()");
  await evaluate(`(() => { const f = document.querySelector('#return'); f.amount.value = ${JSON.stringify(returnDong)};
    f['return-reason'].value = '<img src=x onerror="window.__xss=1">'; f.requestSubmit(); })()`);
  await until(`${summary} !== ${JSON.stringify(before)}`, 'the member after the return');
  const after = await evaluate(summary);
  if (!before.includes('Vàng') || !after.includes('Bạc')) fail(`the tier did not follow the return: ${before} / ${after}`);
  if (!(await evaluate("[...document.querySelectorAll('#member td')].some((td) => td.textContent === 'Trả hàng')")))
    fail('the return is not in the history');
  await shot('desktop-member-returned-vi');
  await send('Page.setDownloadBehavior', { behavior: 'allow', downloadPath: out });
  const file = join(out, 'member-0901234567.json');
  rmSync(file, { force: true });
  await evaluate("document.querySelector('#export').click()");
  for (let i = 0; i < 50 && !existsSync(file); ++i) await sleep(100);
  if (!existsSync(file)) return fail('the member export was not downloaded');
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (data.member.phone !== '+84901234567' || !data.ledger.some((e) => e.kind === 'return'))
    fail('the member export does not hold the member and the return');
}

/** Creates a reward whose Vietnamese name is hostile markup: it must come back as text. */
async function createAReward() {
  await until("!!document.querySelector('#reward-form')", 'the reward form');
  await evaluate(`(() => { const f = document.querySelector('#reward-form');
    const values = { id: 'TOTE-1', name_vi: '<img src=x onerror="window.__xss=1">', name_en: 'Tote bag', cost: '300',
      value_dong: '0', stock: '20', voucher_validity_days: '30' };
    for (const [name, value] of Object.entries(values)) f[name].value = value;
    f.requestSubmit(); })()`);
  await until("[...document.querySelectorAll('main td')].some((td) => td.textContent === 'TOTE-1')", 'the new reward');
  if (!(await evaluate("[...document.querySelectorAll('main td')].some((td) => td.textContent.startsWith('<img src=x'))")))
    fail('the reward name is not shown as text');
}

/** The last code central's file sink got for `phone` (E.164). */
function lastCode(phone) {
  const lines = readFileSync(otpFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return lines.filter((l) => l.phone === phone).at(-1)?.code ?? '';
}

/** Merges 0912345678 into 0901234567 with the code sent to 0901234567: its receipt joins the history. */
async function mergeAMember() {
  await evaluate(`(() => { const f = document.querySelector('main form'); f.phone.value = '0912345678'; f.requestSubmit(); })()`);
  await until("document.querySelector('#member h2')?.textContent.startsWith('091')", 'the third member');
  await evaluate(`(() => { const f = document.querySelector('#member form'); f['reveal-reason'].value = 'gộp tài khoản'; f.requestSubmit(); })()`);
  await until("!!document.querySelector('#merge')", 'the merge form');
  await evaluate(`(() => { const f = document.querySelector('#merge'); f.into.value = '0901234567'; f.requestSubmit(); })()`);
  await until("!document.querySelector('#merge .step').hidden", 'the code step');
  await evaluate(`(() => { const f = document.querySelector('#merge'); f['merge-otp'].value = ${JSON.stringify(lastCode('+84901234567'))};
    f['merge-reason'].value = 'khách có hai tài khoản'; f.requestSubmit(); })()`);
  await until("document.querySelector('#member h2')?.textContent === '+84901234567'", 'the member kept');
  const earns = await evaluate("[...document.querySelectorAll('#member td')].filter((td) => td.textContent === 'Tích điểm').length");
  if (earns !== 2) fail(`the merged member's history has ${earns} receipts, not both`);
  await shot('desktop-member-merged-vi');
}

/** Every kiosk of the fleet online; a new kiosk's enrollment code, shown once; then one kiosk out of
 * service with the message typed. */
async function actOnTheFleet() {
  const states = await evaluate(`Object.fromEntries([...document.querySelectorAll('main table.fleet tbody tr')]
    .map((tr) => [tr.cells[0].textContent, tr.cells[2].firstChild.textContent]))`);
  for (const id of fleet.split(',')) if (states[id] !== 'Trực tuyến') fail(`${id} is not online on the fleet page: ${states[id]}`);
  await until("!!document.querySelector('#enroll')", 'the enrollment form');
  await evaluate(`(() => { const f = document.querySelector('#enroll');
    f['enroll-kiosk'].value = 'K-NEW-02'; f['enroll-store'].value = 'DEV001'; f.requestSubmit(); })()`);
  await until("document.querySelector('#enrollment-code').textContent.includes('ENR-')", 'the enrollment code');
  dialogAnswer = outOfServiceMessage;
  await evaluate(`[...document.querySelectorAll('main tr')].find((tr) => tr.cells[0].textContent === ${JSON.stringify(outOfServiceKiosk)})
    .querySelector('button:nth-child(2)').click()`);
  await until("document.querySelector('#status').textContent === 'Đã xong.'", 'the out-of-service command');
  await shot('desktop-fleet-acted-vi');
}

/** The last 30 days' report: today's three claims at DEV001 in the table and in the CSV download. */
async function checkTheReport() {
  await until("!!document.querySelector('#report table.report')", 'the report');
  const [from, to] = await evaluate("['from', 'to'].map((n) => document.querySelector('#report-form')[n].value)");
  const claims = await evaluate(`[...document.querySelectorAll('#report table.report tbody tr')]
    .find((tr) => tr.cells[0].textContent === ${JSON.stringify(to)})?.cells[1].textContent`);
  if (claims !== '3') fail(`the report does not show today's three claims: ${claims}`);
  const file = join(out, `report-${from}-${to}-day.csv`);
  rmSync(file, { force: true });
  await evaluate("document.querySelector('#csv').click()");
  for (let i = 0; i < 50 && !existsSync(file); ++i) await sleep(100);
  if (!existsSync(file)) return fail('the report CSV was not downloaded');
  if (!readFileSync(file, 'utf8').includes(`"${to}","DEV001","3",`)) fail('the CSV does not hold the day of DEV001');
}

/** The code an authenticator app shows for `secret` (base32) in time step `step` (RFC 6238, SHA-1). */
function totp(secret, step) {
  const bits = [...secret].map((ch) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  return String((mac.readUInt32BE(mac[19] & 15) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/** Two-step sign-in: set up and turned on; then a new login asks for the code after the password. */
async function secondFactor() {
  await evaluate("location.hash = '#security'");
  await until("document.querySelector('main h1')?.textContent === 'Two-step sign-in'", 'the security page');
  await evaluate("document.querySelector('main button').click()");
  await until("!!document.querySelector('#totp-secret')", 'the secret');
  const secret = await evaluate("document.querySelector('#totp-secret').textContent");
  await shot('phone-security-setup-en');
  const step = Math.floor(Date.now() / 30000);
  await evaluate(`(() => { const f = document.querySelector('#totp-enable');
    f['totp-code'].value = ${JSON.stringify(totp(secret, step))}; f.requestSubmit(); })()`);
  await until("!!document.querySelector('#totp-on')", 'the second factor on');
  await evaluate("document.querySelector('#logout').click()");
  await until("!!document.querySelector('#login')", 'the login page');
  await evaluate(`(() => { const f = document.querySelector('#login');
    f.username.value = ${JSON.stringify(user)}; f.password.value = ${JSON.stringify(password)}; f.requestSubmit(); })()`);
  await until("!document.querySelector('#login').totp.closest('label').hidden", 'the code field');
  await shot('phone-login-code-en');
  await evaluate(`(() => { const f = document.querySelector('#login');
    f.totp.value = ${JSON.stringify(totp(secret, step + 1))}; f.requestSubmit(); })()`);
  await until("!document.querySelector('#nav').hidden", 'the login with the code');
}

/** Erases the second member (0907654321) at their request: the phone typed again confirms it. */
async function eraseAMember() {
  await evaluate("location.hash = '#members'");
  await until("!!document.querySelector('main form')", 'the members page');
  await evaluate(`(() => { const f = document.querySelector('main form'); f.phone.value = '0907654321'; f.requestSubmit(); })()`);
  await until("!!document.querySelector('#member form')", 'the second member');
  await evaluate(`(() => { const f = document.querySelector('#member form'); f['reveal-reason'].value = 'PDPL'; f.requestSubmit(); })()`);
  await until("!!document.querySelector('#erase')", 'the erase form');
  await evaluate(`(() => { const f = document.querySelector('#erase'); f['erase-reason'].value = 'yêu cầu xoá dữ liệu';
    f['erase-phone'].value = '0907654321'; f.requestSubmit(); })()`);
  await until("!!document.querySelector('#erased')", 'the erasure');
  await shot('phone-member-erased-en');
}

try {
  const port = await devtoolsPort();
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.method === 'Page.javascriptDialogOpening') {
      send('Page.handleJavaScriptDialog', { accept: true, promptText: dialogAnswer });
      return;
    }
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
      for (const page of ['fleet', 'members', 'rewards', 'reports', 'security', 'audit']) {
        await evaluate(`location.hash = '#${page}'`);
        await until("!!document.querySelector('main h1')", page);
        if (page === 'members') {
          await evaluate(`(() => { const f = document.querySelector('main form');
            f.phone.value = '0901234567'; f.requestSubmit(); })()`);
          await until("!!document.querySelector('#member')", 'the member');
          if (device === 'desktop' && lang === 'vi') {
            await returnTheReceipt();
            await mergeAMember();
          }
        }
        if (page === 'fleet') await until("[...document.querySelectorAll('main td .theme')].some((n) => n.textContent.includes('not legible enough'))", "the kiosk's refused theme");
        if (page === 'fleet' && device === 'desktop' && lang === 'vi') await actOnTheFleet();
        if (page === 'rewards') await until("!!document.querySelector('main table.rewards')", 'the rewards');
        if (page === 'rewards' && device === 'desktop' && lang === 'vi') await createAReward();
        if (page === 'reports') await until("!!document.querySelector('#report table.report')", 'the report');
        if (page === 'reports' && device === 'desktop' && lang === 'vi') await checkTheReport();
        if (page === 'audit') await until("document.querySelectorAll('main tbody tr').length > 0", 'audit rows');
        await shot(`${device}-${page}-${lang}`);
      }
    }
  }
  if (await evaluate('window.__xss === 1')) fail('a hostile reason ran as script');
  if (!(await evaluate("[...document.querySelectorAll('td')].some((td) => td.textContent.includes('<img src=x onerror'))")))
    fail('the hostile reason is not shown as text');
  if (await evaluate("document.querySelectorAll('main img').length") !== 0) fail('a hostile reason became an element');
  await eraseAMember();
  await secondFactor();
} catch (error) {
  fail(error.message);
} finally {
  ws?.close();
  // Chromium's helpers (renderer, crashpad) outlive the main process and keep writing into the
  // profile, so the whole process group is stopped; a profile that still cannot go is only a warning.
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  const running = browser.exitCode === null && browser.signalCode === null;
  try { process.kill(-browser.pid, 'SIGTERM'); } catch { browser.kill(); }
  if (running) await exited;
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  } catch (error) {
    console.error(`warning: could not remove ${profile}: ${error.message}`);
  }
}
