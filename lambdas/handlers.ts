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
import { handler as auth } from './auth.ts';
import { handler as authLogout } from './auth-logout.ts';
import { handler as createReport } from './create-report.ts';
import { handler as adminMe } from './admin-me.ts';
import { handler as adminPlacements } from './admin-placements.ts';
import { handler as adminRollback } from './admin-rollback.ts';
import { handler as adminRollbackUndo } from './admin-rollback-undo.ts';
import { handler as adminFill } from './admin-fill.ts';
import { handler as adminProtectedList } from './admin-protected-list.ts';
import { handler as adminProtectedPut } from './admin-protected-put.ts';
import { handler as adminProtectedDelete } from './admin-protected-delete.ts';
import { handler as adminBansList } from './admin-bans-list.ts';
import { handler as adminBanPut } from './admin-ban-put.ts';
import { handler as adminBanDelete } from './admin-ban-delete.ts';
import { handler as adminIpBansList } from './admin-ip-bans-list.ts';
import { handler as adminIpBanPut } from './admin-ip-ban-put.ts';
import { handler as adminIpBanDelete } from './admin-ip-ban-delete.ts';
import { handler as adminBoard } from './admin-board.ts';
import { handler as adminAudit } from './admin-audit.ts';
import { handler as adminReports } from './admin-reports.ts';
import { handler as adminReportResolve } from './admin-report-resolve.ts';
import { handler as adminRolesList } from './admin-roles-list.ts';
import { handler as adminRolePut } from './admin-role-put.ts';
import { handler as adminRoleDelete } from './admin-role-delete.ts';
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
  auth,
  'auth-logout': authLogout,
  'create-report': createReport,
  'admin-me': adminMe,
  'admin-placements': adminPlacements,
  'admin-rollback': adminRollback,
  'admin-rollback-undo': adminRollbackUndo,
  'admin-fill': adminFill,
  'admin-protected-list': adminProtectedList,
  'admin-protected-put': adminProtectedPut,
  'admin-protected-delete': adminProtectedDelete,
  'admin-bans-list': adminBansList,
  'admin-ban-put': adminBanPut,
  'admin-ban-delete': adminBanDelete,
  'admin-ip-bans-list': adminIpBansList,
  'admin-ip-ban-put': adminIpBanPut,
  'admin-ip-ban-delete': adminIpBanDelete,
  'admin-board': adminBoard,
  'admin-audit': adminAudit,
  'admin-reports': adminReports,
  'admin-report-resolve': adminReportResolve,
  'admin-roles-list': adminRolesList,
  'admin-role-put': adminRolePut,
  'admin-role-delete': adminRoleDelete,
  'create-template': createTemplate,
  'get-template': getTemplate,
  'get-template-png': getTemplatePng,
  'get-history': getHistory,
  'get-timelapse': getTimelapse,
  'get-heatmap': getHeatmap,
};
