// "Report" in the pixel info box: a reason, sent to the moderators' queue (POST /api/reports;
// a session is started first if the visitor has none yet).
export function reportAction(x: number, y: number, say: (text: string) => void, ensureSession: () => Promise<unknown>): HTMLElement {
  const box = document.createElement('form');
  box.className = 'report';
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'report-open';
  open.textContent = 'Report';
  const reason = document.createElement('input');
  reason.name = 'reason';
  reason.placeholder = 'What is wrong here?';
  reason.setAttribute('aria-label', 'Why you report this pixel');
  reason.maxLength = 500;
  reason.required = true;
  reason.hidden = true;
  const send = document.createElement('button');
  send.type = 'submit';
  send.textContent = 'Send';
  send.hidden = true;
  open.addEventListener('click', () => {
    open.hidden = true;
    reason.hidden = false;
    send.hidden = false;
    reason.focus();
  });
  box.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      try {
        await ensureSession();
      } catch {
        return say('Could not start a session: the report was not sent.');
      }
      const res = await fetch('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x, y, reason: reason.value }) });
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      if (res.status === 201) {
        box.replaceChildren('Reported. Thank you.');
        say('Your report went to the moderators.');
      } else say(body.message ?? `The report was not sent (${res.status}).`);
    })();
  });
  box.append(open, reason, send);
  return box;
}
