// Who a member is (docs/console.md "Phone change and merge"): change the member's phone, or merge this
// member into another. Each sends a one-time code to the phone the member keeps; the member reads it
// out and support types it with a reason. `ui` is app.js's toolkit; text reaches the page as text only.

/** One change: the other phone and "send the code", then the code, the reason and "confirm". */
function changeForm(ui, { id, field, path, title, phoneLabel, confirmLabel, done }) {
  const { el, t, call, guarded, status } = ui;
  const other = el('input', { name: field, inputmode: 'tel', required: true, maxlength: 20 });
  const otp = el('input', { name: `${id}-otp`, inputmode: 'numeric', maxlength: 6, pattern: '[0-9]{6}' });
  const why = el('input', { name: `${id}-reason`, maxlength: 200 });
  const second = el('div', { class: 'step', hidden: true }, el('label', {}, t('care.otp'), otp),
    el('label', {}, t('care.reason'), why));
  const button = el('button', { type: 'submit' }, t('care.send'));
  const form = el('form', { id }, el('h3', {}, t(title)), el('label', {}, t(phoneLabel), other), second, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      if (second.hidden) {
        const sent = await call('POST', `${path}/code`, { [field]: other.value.trim() });
        second.hidden = false;
        otp.required = true;
        why.required = true;
        other.readOnly = true;
        button.textContent = t(confirmLabel);
        status(`${t('care.sent')} ${sent.sent_to}`);
        otp.focus();
        return;
      }
      const answer = await call('POST', path, { [field]: other.value.trim(), otp: otp.value.trim(), reason: why.value });
      await done(other.value.trim(), answer.member);
      status(t('status.done'));
    });
  });
  return form;
}

/** The card's phone-change and merge forms; `show(phone)` shows the member under the phone they keep. */
export function identityForms(ui, phone, show) {
  const base = `/v1/console/members/${encodeURIComponent(phone)}`;
  return ui.el('div', { class: 'card', id: 'identity' },
    changeForm(ui, { id: 'phone-change', field: 'new_phone', path: `${base}/phone`, title: 'care.phoneTitle',
      phoneLabel: 'care.newPhone', confirmLabel: 'care.change', done: (kept) => show(kept) }),
    changeForm(ui, { id: 'merge', field: 'into', path: `${base}/merge`, title: 'care.mergeTitle',
      phoneLabel: 'care.into', confirmLabel: 'care.merge', done: (kept) => show(kept) }));
}
