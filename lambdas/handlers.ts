// Every HTTP function by name, for the local runner and its Lambda Invoke API.
import type { AlbHandler } from './http/handler.ts';
import { handler as createSession } from './create-session.ts';
import { handler as getConfig } from './get-config.ts';
import { handler as getBoard } from './get-board.ts';
import { handler as getBoardPng } from './get-board-png.ts';
import { handler as writePixel } from './write-pixel.ts';
import { handler as getUpdates } from './get-updates.ts';
import { handler as getPixel } from './get-pixel.ts';
import { handler as getSegment } from './get-segment.ts';
import { handler as getTile } from './get-tile.ts';
import { handler as getMe } from './get-me.ts';
import { handler as health } from './health.ts';
import { handler as getChallenge } from './get-challenge.ts';
import { handler as authStart } from './auth-start.ts';
import { handler as authCallback } from './auth-callback.ts';
import { handler as authLogout } from './auth-logout.ts';
import { handler as createTemplate } from './create-template.ts';
import { handler as getTemplate } from './get-template.ts';
import { handler as getTemplatePng } from './get-template-png.ts';
import { handler as getHistory } from './get-history.ts';
import { handler as getTimelapse } from './get-timelapse.ts';
import { handler as getHeatmap } from './get-heatmap.ts';

export const HANDLERS: Readonly<Record<string, AlbHandler>> = {
  'create-session': createSession,
  'get-config': getConfig,
  'get-board': getBoard,
  'get-board-png': getBoardPng,
  'write-pixel': writePixel,
  'get-updates': getUpdates,
  'get-pixel': getPixel,
  'get-segment': getSegment,
  'get-tile': getTile,
  'get-me': getMe,
  health,
  'get-challenge': getChallenge,
  'auth-start': authStart,
  'auth-callback': authCallback,
  'auth-logout': authLogout,
  'create-template': createTemplate,
  'get-template': getTemplate,
  'get-template-png': getTemplatePng,
  'get-history': getHistory,
  'get-timelapse': getTimelapse,
  'get-heatmap': getHeatmap,
};
