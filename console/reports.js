// The reports page (docs/console.md "Reports"): per store and day or month, from central's
// GET /v1/console/reports (a store manager gets their stores only). A chart of points issued and
// redeemed per period, the periods' table, the stores' totals, and the rows as a CSV file made here
// from the same answer. `ui` is app.js's toolkit; text reaches the page as text only, and the chart
// is SVG built element by element (no markup strings, no inline styles: the CSP allows neither).

const FIGURES = ['claims', 'points_issued', 'points_redeemed', 'points_returned', 'vouchers_issued',
  'vouchers_consumed', 'members_new', 'members_active', 'game_draws', 'game_prizes'];
/** Figures that add up across days and stores (distinct active members do not). */
const SUMMABLE = FIGURES.filter((f) => f !== 'members_active');
const SVG = 'http://www.w3.org/2000/svg';

const isoDay = (date) => date.toISOString().slice(0, 10);
const daysAgo = (n) => isoDay(new Date(Date.now() + 7 * 3600e3 - n * 86400e3));  // Vietnam's date

/** Every period of the answer's range ("2026-11-23" or "2026-11"), so quiet days show as gaps. */
function allPeriods(report) {
  const out = [];
  for (let d = new Date(`${report.from}T00:00:00Z`); isoDay(d) <= report.to; d.setUTCDate(d.getUTCDate() + 1)) {
    const period = report.by === 'month' ? isoDay(d).slice(0, 7) : isoDay(d);
    if (out.at(-1) !== period) out.push(period);
  }
  return out;
}

/** The rows summed per key (period or store) over the rest; `keys` first, in their order, at zero. */
function sumBy(rows, key, figures, keys = []) {
  const out = new Map(keys.map((k) => [k, Object.fromEntries([[key, k], ...figures.map((f) => [f, 0])])]));
  for (const row of rows) {
    const sum = out.get(row[key]) ?? Object.fromEntries([[key, row[key]], ...figures.map((f) => [f, 0])]);
    for (const f of figures) sum[f] += row[f];
    out.set(row[key], sum);
  }
  return [...out.values()];
}

/** A CSV cell: quoted, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
function csvCell(value) {
  const text = String(value ?? '');
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The answer as CSV: one line per period and store, then the chain's expired points per period. */
export function reportCsv(report) {
  const line = (cells) => cells.map(csvCell).join(',');
  const lines = [line(['period', 'store', ...FIGURES, 'points_expired'])];
  for (const row of report.rows) lines.push(line([row.period, row.store, ...FIGURES.map((f) => row[f]), '']));
  for (const e of report.expired ?? []) lines.push(line([e.period, '', ...FIGURES.map(() => ''), e.points]));
  return `${lines.join('\r\n')}\r\n`;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** Bars of points issued and redeemed per period; each bar's title says its figures. */
function chart(periods, t) {
  const width = 720;
  const height = 180;
  const top = Math.max(1, ...periods.map((p) => Math.max(p.points_issued, p.points_redeemed)));
  const step = width / Math.max(1, periods.length);
  const bar = Math.min(24, Math.max(1, step / 2 - 1));
  const bars = periods.flatMap((p, i) => ['points_issued', 'points_redeemed'].map((f, j) => {
    const h = Math.round((p[f] / top) * (height - 20));
    return svg('rect', { x: (i * step + j * bar).toFixed(1), y: height - h, width: bar.toFixed(1), height: h,
      class: f === 'points_issued' ? 'issued' : 'redeemed' }, svg('title', {}, `${p.period} · ${t(`reports.${f}`)}: ${p[f]}`));
  }));
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': t('reports.chart') },
    svg('text', { x: 4, y: 12, class: 'axis' }, `${top}`), ...bars);
}

function table(el, t, rows, key, figures) {
  const head = [key, ...figures].map((f) => el('th', {}, t(`reports.${f}`)));
  return el('table', { class: 'report' }, el('thead', {}, el('tr', {}, head)),
    el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, r[key]), figures.map((f) => el('td', { class: 'num' }, r[f]))))));
}

function results(ui, report) {
  const { el, t } = ui;
  const stores = [...new Set(report.rows.map((r) => r.store))].sort();
  const pick = el('select', { name: 'store' }, el('option', { value: '' }, t('reports.allStores')),
    stores.map((s) => el('option', { value: s }, s || t('reports.noStore'))));
  const slot = el('div', {});
  const draw = () => {
    const rows = pick.value === '' ? report.rows : report.rows.filter((r) => r.store === pick.value);
    const periods = sumBy(rows, 'period', FIGURES, allPeriods(report));
    const totals = sumBy(rows.map((r) => ({ ...r, all: t('reports.total') })), 'all', SUMMABLE)[0];
    slot.replaceChildren(...[
      totals ? el('p', { class: 'row totals' }, SUMMABLE.slice(0, 7).map((f) => el('span', {}, `${t(`reports.${f}`)}: `, el('strong', {}, totals[f])))) : el('p', {}, t('reports.empty')),
      chart(periods, t),
      el('p', { class: 'legend' }, el('span', { class: 'issued' }, '■'), ` ${t('reports.points_issued')}  `,
        el('span', { class: 'redeemed' }, '■'), ` ${t('reports.points_redeemed')}`,
        pick.value === '' ? ` · ${t('reports.activeSummed')}` : ''),
      table(el, t, periods, 'period', FIGURES),
      pick.value === '' ? el('h2', {}, t('reports.byStore')) : null,
      pick.value === '' ? table(el, t, sumBy(report.rows, 'store', SUMMABLE), 'store', SUMMABLE) : null,
      report.expired?.length ? el('p', { id: 'expired' }, `${t('reports.expired')}: `,
        el('strong', {}, report.expired.reduce((s, e) => s + e.points, 0))) : null].filter(Boolean));
  };
  pick.addEventListener('change', draw);
  const download = el('button', { type: 'button', id: 'csv', on: { click: () => {
    const url = URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv;charset=utf-8' }));
    el('a', { href: url, download: `report-${report.from}-${report.to}-${report.by}.csv` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } } }, t('reports.csv'));
  draw();
  return el('section', { id: 'report' }, el('div', { class: 'row' }, el('label', {}, t('reports.store'), pick), download), slot);
}

export async function reportsPage(ui) {
  const { el, t, call, show, guarded } = ui;
  const from = el('input', { name: 'from', type: 'date', required: true, value: daysAgo(29) });
  const to = el('input', { name: 'to', type: 'date', required: true, value: daysAgo(0) });
  const by = el('select', { name: 'by' }, el('option', { value: 'day' }, t('reports.byDay')),
    el('option', { value: 'month' }, t('reports.byMonth')));
  const slot = el('div', { id: 'report-slot' });
  const load = async () => {
    const query = new URLSearchParams({ from: from.value, to: to.value, by: by.value });
    const started = performance.now();
    const report = await call('GET', `/v1/console/reports?${query}`);
    slot.replaceChildren(results(ui, report),
      el('p', { class: 'muted', id: 'answered' }, `${t('reports.answered')} ${Math.round(performance.now() - started)} ms`));
  };
  const form = el('form', { class: 'row', id: 'report-form' }, el('label', {}, t('reports.from'), from),
    el('label', {}, t('reports.to'), to), el('label', {}, t('reports.by'), by),
    el('button', { class: 'primary', type: 'submit' }, t('reports.show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(load);
  });
  show(el('h1', {}, t('reports.title')), form, slot);
  await load();
}
