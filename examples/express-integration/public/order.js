// The order form: posts JSON to the shop's backend with the customer's time zone and a fresh
// idempotency ref (a double click or a retried request cannot make two leads).
const form = document.getElementById('order');
const result = document.getElementById('result');
const ref =
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

for (const code of document.querySelectorAll('.demo code')) {
  code.addEventListener('click', () => {
    form.elements.phone.value = code.textContent;
  });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  for (const slot of document.querySelectorAll('.error')) slot.textContent = '';
  result.textContent = '';
  const button = form.querySelector('button');
  button.disabled = true;
  const body = {
    name: form.elements.name.value,
    phone: form.elements.phone.value,
    comment: form.elements.comment.value,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    ref,
  };
  try {
    const response = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 202 || response.status === 409) {
      result.textContent = 'Спасибо! Заказ принят, сейчас мы вам позвоним.';
      result.dataset.leadId = answer.leadId ?? '';
      form.hidden = true;
      return;
    }
    if (response.status === 400 && Array.isArray(answer.issues)) {
      for (const issue of answer.issues) {
        const slot = document.querySelector(`.error[data-for="${issue.path}"]`);
        if (slot) slot.textContent = issue.message;
        else result.textContent = `${issue.path}: ${issue.message}`;
      }
    } else {
      result.textContent = 'Не получилось отправить заказ. Попробуйте ещё раз через минуту.';
    }
  } catch {
    result.textContent = 'Нет связи с магазином. Попробуйте ещё раз.';
  }
  button.disabled = false;
});
