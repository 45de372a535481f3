// Which connections watch which template, for grief alerts (a `watch` message says; one
// template per connection). An alert is encoded once and written to each watcher.
import { WebSocket } from 'ws';
import type { GriefEvent } from '../core/community/community-store.ts';
import { encodeServerMessage } from '../core/protocol/messages.ts';
import { sendFramed, textFrame } from './framed-send.ts';

export class TemplateWatchers {
  private readonly byTemplate = new Map<string, Set<WebSocket>>();
  private readonly byClient = new Map<WebSocket, string>();
  alertsSent = 0;

  watch(ws: WebSocket, template: string | null): void {
    this.forget(ws);
    if (template === null) return;
    this.byClient.set(ws, template);
    let set = this.byTemplate.get(template);
    if (!set) this.byTemplate.set(template, (set = new Set()));
    set.add(ws);
  }

  forget(ws: WebSocket): void {
    const template = this.byClient.get(ws);
    if (template === undefined) return;
    this.byClient.delete(ws);
    const set = this.byTemplate.get(template);
    set?.delete(ws);
    if (set?.size === 0) this.byTemplate.delete(template);
  }

  notify(event: GriefEvent): void {
    const watchers = this.byTemplate.get(event.template);
    if (!watchers) return;
    const frame = textFrame(encodeServerMessage({ type: 'template-griefed', template: event.template, count: event.count, pixels: event.pixels, seq: event.seq }));
    for (const ws of watchers) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      sendFramed(ws, frame);
      this.alertsSent++;
    }
  }
}
