// "Notify me": a desktop notification and a short beep when the next pixel may be placed.
import { $ } from './dom.ts';

const KEY = 'place:notify';

export class NotifyToggle {
  private readonly box = $<HTMLInputElement>('notify');

  constructor() {
    this.box.checked = localStorage.getItem(KEY) === '1' && 'Notification' in window && Notification.permission === 'granted';
    this.box.addEventListener('change', () => { void this.changed(); });
  }

  private async changed(): Promise<void> {
    if (this.box.checked && 'Notification' in window && Notification.permission !== 'granted') {
      this.box.checked = (await Notification.requestPermission()) === 'granted';
    }
    localStorage.setItem(KEY, this.box.checked ? '1' : '0');
  }

  ready(): void {
    if (!this.box.checked) return;
    if ('Notification' in window && Notification.permission === 'granted') new Notification('Your next pixel is ready');
    beep();
  }
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch {
    // no audio: the notification alone will do
  }
}
