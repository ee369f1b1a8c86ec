// The rewards page (docs/console.md): the catalogue kiosks offer, and for marketing a form that
// creates or changes a reward (PUT /v1/console/rewards/{id}; kiosks get it with their next config).
// `ui` is app.js's toolkit: el, t, call, show, guarded, may, status. Text reaches the page as text only.

const FIELDS = [
  ['id', 'text', { required: true, maxlength: 16, pattern: '[A-Z0-9\\-]{1,16}' }],
  ['name_vi', 'text', { required: true, maxlength: 200 }],
  ['name_en', 'text', { required: true, maxlength: 200 }],
  ['cost', 'number', { required: true, min: 1 }],
  ['value_dong', 'number', { required: true, min: 0 }],
  ['stock', 'number', { min: 0 }],
  ['voucher_validity_days', 'number', { required: true, min: 1, max: 3660 }],
];

const KEPT = ['per_member_limit', 'available_from', 'available_until', 'terms_vi', 'terms_en'];

function rewardForm(ui, reload) {
  const { el, t, call, guarded, status } = ui;
  let original = null;  // the reward being changed: the fields this form does not show are kept
  const inputs = Object.fromEntries(FIELDS.map(([name, type, attrs]) => [name, el('input', { name, type, ...attrs })]));
  const form = el('form', { id: 'reward-form', class: 'card' }, el('h2', {}, t('rewards.edit')),
    FIELDS.map(([name]) => el('label', {}, t(`rewards.${name}`), inputs[name])),
    el('button', { class: 'primary', type: 'submit' }, t('rewards.save')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const body = { name_vi: inputs.name_vi.value, name_en: inputs.name_en.value, cost: Number(inputs.cost.value),
        value_dong: Number(inputs.value_dong.value), voucher_validity_days: Number(inputs.voucher_validity_days.value) };
      if (inputs.stock.value !== '') body.stock = Number(inputs.stock.value);
      if (original && original.id === inputs.id.value) {
        for (const name of KEPT) if (original[name] !== null && original[name] !== '') body[name] = original[name];
      }
      await call('PUT', `/v1/console/rewards/${encodeURIComponent(inputs.id.value)}`, body);
      await reload();
      status(t('status.done'));
    });
  });
  const fill = (reward) => {
    original = reward;
    for (const [name] of FIELDS) inputs[name].value = reward[name] ?? '';
    inputs.name_vi.focus();
  };
  return { form, fill };
}

export async function rewardsPage(ui) {
  const { el, t, call, show, may } = ui;
  const { rewards } = await call('GET', '/v1/console/rewards');
  const editor = may('rewards.edit') ? rewardForm(ui, () => rewardsPage(ui)) : null;
  const head = ['id', 'name_vi', 'name_en', 'cost', 'value_dong', 'stock'].map((key) => el('th', {}, t(`rewards.${key}`)));
  const rows = rewards.map((r) => el('tr', {},
    el('td', {}, r.id), el('td', {}, r.name_vi), el('td', {}, r.name_en), el('td', { class: 'num' }, r.cost),
    el('td', { class: 'num' }, r.value_dong), el('td', { class: 'num' }, r.stock ?? '∞'),
    el('td', {}, editor ? el('button', { type: 'button', on: { click: () => editor.fill(r) } }, t('rewards.change')) : null)));
  show(el('h1', {}, t('rewards.title')),
    el('table', { class: 'rewards' }, el('thead', {}, el('tr', {}, head, el('th', {}))), el('tbody', {}, rows)),
    editor?.form);
}
