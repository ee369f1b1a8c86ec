// The head-office console: plain ES modules, no framework, no build step (docs/console.md).
// Every text from central (member, reward, reason, kiosk names) reaches the page through
// textContent only — never innerHTML — so nothing anyone types can become markup.
import { call, setCsrf, ApiError } from './api.js';
import { strings } from './i18n.js';
import { identityForms } from './member_care.js';
import { reportsPage } from './reports.js';
import { rewardsPage } from './rewards.js';
import { securityPage } from './security.js';

const state = { lang: localStorage.getItem('console.lang') === 'en' ? 'en' : 'vi', user: null };
const OFFLINE_AFTER_S = 5 * 60;

const t = (key) => strings[state.lang][key] ?? key;

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'on') for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else if (value !== false && value !== undefined) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) { document.getElementById('main').replaceChildren(...nodes.filter(Boolean)); }

function status(text, isError = false) {
  const node = document.getElementById('status');
  node.textContent = text;
  node.className = isError ? 'error' : '';
}

function errorText(error) {
  if (error instanceof ApiError) return state.lang === 'vi' && error.messageVi ? error.messageVi : error.message;
  return t('error.unknown');
}

async function guarded(work) {
  try {
    status('');
    await work();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signedOut();
    status(errorText(error), true);
  }
}

const may = (permission) => Boolean(state.user && state.user.permissions.includes(permission));
const time = (s) => (s ? new Date(s * 1000).toLocaleString(state.lang === 'vi' ? 'vi-VN' : 'en-GB') : t('fleet.never'));

function renderChrome() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  document.getElementById('lang').textContent = t('lang.other');
  const nav = document.getElementById('nav');
  nav.hidden = !state.user;
  document.getElementById('logout').hidden = !state.user;
  document.getElementById('who').textContent = state.user ? `${state.user.display_name || state.user.username} (${state.user.role})` : '';
  for (const link of nav.querySelectorAll('a')) {
    link.hidden = !state.user || (link.dataset.perm !== undefined && !may(link.dataset.perm));
    link.classList.toggle('active', location.hash === link.getAttribute('href'));
  }
}

function signedOut() {
  state.user = null;
  setCsrf('');
  renderChrome();
  loginPage();
}

function loginPage() {
  const username = el('input', { name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const code = el('input', { name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6,
    pattern: '[0-9]{6}' });
  const codeLabel = el('label', { hidden: true }, t('login.totp'), code);
  const form = el('form', { id: 'login' },
    el('h1', {}, t('login.title')),
    el('label', {}, t('login.username'), username),
    el('label', {}, t('login.password'), password), codeLabel,
    el('button', { class: 'primary', type: 'submit' }, t('login.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Not guarded(): a refused login (401) is said here, not answered with the login page again.
    try {
      status('');
      const totp = codeLabel.hidden ? {} : { totp: code.value.trim() };
      signedIn(await call('POST', '/v1/console/login', { username: username.value, password: password.value, ...totp }));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'totp_required') {
        codeLabel.hidden = false;
        code.required = true;
        code.focus();
        return status(t('login.totpNeeded'));
      }
      status(errorText(error), true);
    }
  });
  show(form);
  username.focus();
}

function signedIn(session) {
  state.user = session.user;
  setCsrf(session.csrf_token);
  const first = ['fleet', 'members', 'rewards', 'reports', 'audit'].find((page) => may(pages[page].permission));
  if (!pages[location.hash.slice(1)] && first) location.hash = `#${first}`;
  route();
}

function kioskRow(k) {
  const health = k.health || {};
  const online = !k.revoked && k.last_seen && Date.now() / 1000 - k.last_seen < OFFLINE_AFTER_S;
  const stateText = k.revoked ? t('fleet.revoked') : online ? t('fleet.online') : t('fleet.offline');
  const act = (label, work) => el('button', { type: 'button', on: { click: () => guarded(work) } }, label);
  const actions = may('fleet.act') && !k.revoked ? [
    act(t('fleet.resync'), async () => {
      await call('POST', `/v1/console/kiosks/${encodeURIComponent(k.kiosk_id)}/commands`, { command: 'resync' });
      status(t('status.done'));
    }),
    act(t('fleet.outOfService'), async () => {
      const message = prompt(t('fleet.outOfServiceMessage'));
      if (message === null) return;
      await call('POST', `/v1/console/kiosks/${encodeURIComponent(k.kiosk_id)}/commands`,
        { command: 'out_of_service', on: true, message_vi: message.slice(0, 200) });
      status(t('status.done'));
    }),
    act(t('fleet.inService'), async () => {
      await call('POST', `/v1/console/kiosks/${encodeURIComponent(k.kiosk_id)}/commands`,
        { command: 'out_of_service', on: false });
      status(t('status.done'));
    }),
    act(t('fleet.revoke'), async () => {
      if (!confirm(t('fleet.confirmRevoke'))) return;
      await call('POST', `/v1/console/kiosks/${encodeURIComponent(k.kiosk_id)}/revoke`);
      await fleetPage();
    }),
  ] : [];
  const cell = (key, value, cls) => el('td', { 'data-label': t(key), class: cls }, value);
  return el('tr', {},
    cell('fleet.kiosk', k.kiosk_id), cell('fleet.store', k.store),
    cell('fleet.state', [stateText,
      health.staff_call ? el('strong', { class: 'bad' }, ` · ${t('fleet.staffCall')} ${time(Number(health.staff_call))}`) : null,
      // A kiosk that refused head office's theme draws its last good look and says why (docs/kiosk-ux.md).
      health.theme ? el('div', { class: 'bad theme' }, `${t('fleet.themeRefused')} ${String(health.theme).replace(/^refused: /, '')}`) : null,
    ], online ? 'ok' : 'bad'), cell('fleet.version', k.version || '—'),
    cell('fleet.paper', health.printer ?? '—'), cell('fleet.camera', health.camera ?? '—'),
    cell('fleet.outbox', k.outbox_depth, 'num'), cell('fleet.seen', time(k.last_seen)),
    el('td', { 'data-label': t('fleet.actions') }, el('div', { class: 'row' }, actions)));
}

async function fleetPage() {
  const { kiosks } = await call('GET', '/v1/console/kiosks');
  const head = ['fleet.kiosk', 'fleet.store', 'fleet.state', 'fleet.version', 'fleet.paper', 'fleet.camera',
    'fleet.outbox', 'fleet.seen', 'fleet.actions'].map((key) => el('th', {}, t(key)));
  show(el('h1', {}, t('fleet.title')),
    kiosks.length === 0 ? el('p', {}, t('fleet.empty'))
      : el('table', { class: 'fleet' }, el('thead', {}, el('tr', {}, head)), el('tbody', {}, kiosks.map(kioskRow))),
    may('fleet.act') ? enrollmentSection() : null,
    await staffSection());
}

/** A one-time code for a new or re-installed kiosk: shown once here, never kept in the audit. */
function enrollmentSection() {
  const kiosk = el('input', { name: 'enroll-kiosk', required: true, maxlength: 32, pattern: '[A-Za-z0-9_\\-]{1,32}' });
  const store = el('input', { name: 'enroll-store', required: true, maxlength: 16 });
  const shown = el('p', { id: 'enrollment-code' });
  const form = el('form', { id: 'enroll' }, el('label', {}, t('enroll.kiosk'), kiosk), el('label', {}, t('enroll.store'), store),
    el('button', { class: 'primary', type: 'submit' }, t('enroll.submit')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const made = await call('POST', '/v1/console/enrollment-codes', { kiosk_id: kiosk.value.trim(), store: store.value.trim() });
      shown.replaceChildren(`${made.kiosk_id} · ${made.store}: `, el('strong', { class: 'code' }, made.enrollment_code),
        ` · ${t('enroll.until')} ${time(made.expires_at)}`);
    });
  });
  return el('section', {}, el('h2', {}, t('enroll.title')), form, shown);
}

/** Staff PINs of the kiosks' maintenance mode (issue 13): listed, issued and revoked; never shown again. */
async function staffSection() {
  const { staff } = await call('GET', '/v1/console/staff');
  const rows = staff.map((s) => el('li', {}, `${s.staff_id} · ${s.name} · `,
    s.revoked ? t('staff.revoked') : may('fleet.act')
      ? el('button', { type: 'button', on: { click: () => guarded(async () => {
        await call('POST', `/v1/console/staff/${encodeURIComponent(s.staff_id)}/revoke`);
        await fleetPage();
      }) } }, t('staff.revoke')) : t('staff.active')));
  const id = el('input', { name: 'staff_id', required: true, maxlength: 32 });
  const name = el('input', { name: 'name', required: true, maxlength: 64 });
  const pin = el('input', { name: 'pin', type: 'password', inputmode: 'numeric', required: true, pattern: '[0-9]{6,8}' });
  const form = el('form', {}, el('label', {}, t('staff.id'), id), el('label', {}, t('staff.name'), name),
    el('label', {}, t('staff.pin'), pin), el('button', { class: 'primary', type: 'submit' }, t('staff.issue')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('POST', '/v1/console/staff', { staff_id: id.value, name: name.value, pin: pin.value });
      await fleetPage();
    });
  });
  return el('section', {}, el('h2', {}, t('staff.title')),
    staff.length === 0 ? el('p', {}, t('staff.empty')) : el('ul', {}, rows), may('fleet.act') ? form : null);
}

// The member's marketing consent, who last changed it and when; support may withdraw it (audited).
function consentBlock(member, phone) {
  const consent = member.consent;
  if (!consent) return null;
  const line = el('p', { id: 'consent' }, `${t('members.marketing')}: `,
    el('strong', {}, t(consent.marketing ? 'members.consentYes' : 'members.consentNo')),
    ` · ${t('members.consentSource')}: ${consent.source} · ${time(consent.at)}`);
  if (!consent.marketing || !may('members.adjust')) return line;
  const why = el('input', { name: 'consent-reason', maxlength: 200, required: true });
  const withdraw = el('form', { class: 'row', id: 'consent-withdraw' },
    el('label', {}, t('members.consentReason'), why),
    el('button', { type: 'submit' }, t('members.withdraw')));
  withdraw.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('POST', `/v1/console/members/${encodeURIComponent(phone)}/consent/withdraw`, { reason: why.value });
      await showMember(phone, '');
      status(t('status.done'));
    });
  });
  return el('div', {}, line, withdraw);
}

/** A receipt brought back: the form's one key makes a double submit one return (docs/console.md). */
function returnForm(phone, revealReason) {
  const receipt = el('input', { name: 'receipt', required: true, maxlength: 64 });
  const amount = el('input', { name: 'amount', type: 'number', min: 1, required: true });
  const why = el('input', { name: 'return-reason', maxlength: 200, required: true });
  const key = crypto.randomUUID();
  const form = el('form', { id: 'return' }, el('h3', {}, t('returns.title')),
    el('label', {}, t('returns.receipt'), receipt), el('label', {}, t('returns.amount'), amount),
    el('label', {}, t('returns.reason'), why), el('button', { type: 'submit' }, t('returns.submit')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const done = await call('POST', '/v1/console/returns',
        { receipt_id: receipt.value.trim(), amount_dong: Number(amount.value), reason: why.value, idempotency_key: key });
      await showMember(phone, revealReason);
      status(`${t('returns.done')} ${done.points_reversed}`);
    });
  });
  return { form, pick: (receiptId) => { receipt.value = receiptId; amount.focus(); } };
}

/** Everything central keeps about the member, saved as a JSON file (the reveal's reason is audited). */
function exportButton(phone, revealReason) {
  return el('button', { type: 'button', id: 'export', on: { click: () => guarded(async () => {
    const data = await call('GET', `/v1/console/members/${encodeURIComponent(phone)}/export?reason=${encodeURIComponent(revealReason)}`);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    el('a', { href: url, download: `member-${phone}.json` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }) } }, t('members.export'));
}

/** Erasing the member (PDPL): the phone typed again confirms it; what stays is in docs/console.md. */
function eraseForm(phone) {
  const why = el('input', { name: 'erase-reason', maxlength: 200, required: true });
  const again = el('input', { name: 'erase-phone', inputmode: 'tel', required: true, maxlength: 20 });
  const form = el('form', { id: 'erase', class: 'card' }, el('h3', {}, t('erase.title')), el('p', {}, t('erase.what')),
    el('label', {}, t('erase.reason'), why), el('label', {}, t('erase.confirm'), again),
    el('button', { class: 'primary', type: 'submit' }, t('erase.submit')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      if (again.value.trim() !== phone) return status(t('erase.mismatch'), true);
      const done = await call('POST', `/v1/console/members/${encodeURIComponent(phone)}/erase`, { reason: why.value });
      document.getElementById('member-slot').replaceChildren(el('p', { id: 'erased' }, `${t('erase.done')} ${done.points_written_off}`));
    });
  });
  return form;
}

/** A history line's detail: an adjustment's reference is only who made it ("admin": head office). */
const describe = (h) => (h.kind === 'adjustment' && h.description === 'admin' ? t('history.byHeadOffice') : h.description);

function memberCard(member, phone, revealReason) {
  const giveBack = may('members.return') && member.revealed ? returnForm(phone, revealReason) : null;
  const returnButton = (h) => (giveBack && h.kind === 'earn' ? el('button', { type: 'button',
    on: { click: () => giveBack.pick(h.description) } }, t('returns.pick')) : null);
  const history = member.revealed ? el('table', {}, el('tbody', {}, member.history.map((h) =>
    el('tr', {}, el('td', {}, time(h.at)), el('td', {}, t(`kind.${h.kind}`)), el('td', { class: 'num' }, h.points),
      el('td', {}, describe(h)), el('td', {}, returnButton(h)))))) : el('p', {}, t('members.masked'));
  const reason = el('input', { name: 'reveal-reason', maxlength: 200 });
  const reveal = el('form', { class: 'row' }, el('label', {}, t('members.reason'), reason),
    el('button', { type: 'submit' }, t('members.reveal')));
  reveal.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(() => showMember(phone, reason.value));
  });
  const points = el('input', { name: 'points', type: 'number', required: true });
  const why = el('input', { name: 'adjust-reason', maxlength: 200, required: true });
  const adjust = el('form', {}, el('label', {}, t('members.points'), points),
    el('label', {}, t('members.adjustReason'), why), el('button', { type: 'submit' }, t('members.adjust')));
  adjust.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('POST', `/v1/console/members/${encodeURIComponent(phone)}/adjust`,
        { points: Number(points.value), reason: why.value, idempotency_key: crypto.randomUUID() });
      await showMember(phone, '');
      status(t('status.done'));
    });
  });
  return el('div', { class: 'card', id: 'member' },
    el('h2', {}, member.revealed ? member.phone : member.masked),
    el('p', {}, `${t('members.balance')}: `, el('strong', {}, member.balance), ' · ',
      `${t('members.tier')}: `, el('strong', {}, (state.lang === 'vi' ? member.tier_name_vi : member.tier_name_en) ?? member.tier ?? '—')),
    consentBlock(member, phone),
    el('h3', {}, t('members.history')), history,
    may('members.reveal') && !member.revealed ? reveal : null,
    may('members.export') && member.revealed ? exportButton(phone, revealReason) : null,
    may('members.adjust') ? adjust : null, giveBack?.form,
    may('members.merge') && member.revealed ? identityForms(ui, phone, (kept) => showMember(kept, revealReason)) : null,
    may('members.erase') && member.revealed ? eraseForm(phone) : null);
}

async function showMember(phone, reason) {
  const query = reason ? `?reason=${encodeURIComponent(reason)}` : '';
  const member = await call('GET', `/v1/console/members/${encodeURIComponent(phone)}${query}`);
  document.getElementById('member-slot').replaceChildren(memberCard(member, phone, reason));
}

async function membersPage() {
  const phone = el('input', { name: 'phone', inputmode: 'tel', required: true, maxlength: 20 });
  const form = el('form', { class: 'row' }, el('label', {}, t('members.phone'), phone),
    el('button', { class: 'primary', type: 'submit' }, t('members.search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(() => showMember(phone.value.trim(), ''));
  });
  show(el('h1', {}, t('members.title')), form, el('div', { id: 'member-slot' }));
}

async function auditPage(before = '') {
  const { entries } = await call('GET', `/v1/console/audit${before ? `?before=${before}` : ''}`);
  const json = (value) => (value === null || value === undefined ? '' : JSON.stringify(value));
  const rows = entries.map((e) => el('tr', {},
    el('td', {}, time(e.at)), el('td', {}, e.actor), el('td', {}, e.address), el('td', {}, e.action),
    el('td', {}, e.target), el('td', {}, e.reason), el('td', {}, el('pre', {}, e.before || e.after ? `${json(e.before)} → ${json(e.after)}` : ''))));
  const head = ['audit.at', 'audit.actor', 'audit.address', 'audit.action', 'audit.target', 'audit.reason',
    'audit.change'].map((key) => el('th', {}, t(key)));
  const older = entries.length === 100 ? el('button', { type: 'button', on: { click: () => guarded(() => auditPage(entries[entries.length - 1].id)) } }, t('audit.more')) : null;
  show(el('h1', {}, t('audit.title')), el('table', {}, el('thead', {}, el('tr', {}, head)), el('tbody', {}, rows)), older);
}

const ui = { el, t, call, show, guarded, may, status };

const pages = {
  fleet: { permission: 'fleet.view', render: fleetPage },
  members: { permission: 'members.search', render: membersPage },
  rewards: { permission: 'campaign.view', render: () => rewardsPage(ui) },
  reports: { permission: 'reports.view', render: () => reportsPage(ui) },
  audit: { permission: 'audit.view', render: auditPage },
  security: { permission: null, render: () => securityPage(ui, state.user, () => { state.user.totp = true; route(); }) },
};

function route() {
  renderChrome();
  if (!state.user) return loginPage();
  const page = pages[location.hash.slice(1)];
  if (!page || (page.permission && !may(page.permission))) return show(el('p', {}, state.user.username));
  guarded(() => page.render());
}

document.getElementById('lang').addEventListener('click', () => {
  state.lang = state.lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('console.lang', state.lang);
  route();
});
document.getElementById('logout').addEventListener('click', () => guarded(async () => {
  await call('POST', '/v1/console/logout');
  signedOut();
}));
window.addEventListener('hashchange', route);

guarded(async () => {
  try {
    signedIn(await call('GET', '/v1/console/session'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signedOut();
    throw error;
  }
});
