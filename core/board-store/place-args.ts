// What a write call hands the write script (place-script.ts), built by the store: its KEYS and
// ARGV's layout, and the arguments packed for the script to read cheaply.
import { PIXEL_RECORD_BYTES, writePixelRecord } from '../protocol/pixel-batch.ts';

/** Shared KEYS and ARGV come first, then this many of each per write (the store builds both). */
export const PLACE_SHARED_KEYS = 16;
export const PLACE_KEYS_PER_WRITE = 1;
export const PLACE_SHARED_ARGS = 6;
export const PLACE_ARGS_PER_WRITE = 4;
/**
 * A write's numbers (x, y, color, now, sessionIssuedAt, idempotencyTtlMs) travel as one argument
 * of little-endian doubles, which the script reads with struct.unpack: six arguments of text
 * would each be a string made in Lua and parsed by strtod, and the profile showed both.
 */
export const WRITE_NUMBERS_FORMAT = '<dddddd';
export const WRITE_NOW_AT = 25; // where `now` starts in it (1-based, as struct.unpack counts)
/**
 * After the numbers, the same argument holds the address's bits (addressBits: "4:0101…", or
 * nothing) after a byte of their length, then the Idempotency-Key's name (or nothing). The script
 * cuts either out only when it needs it: the bits while an address ban exists, the name when the
 * user's last placement is inside the key's window. As arguments (the name as a key) of their own
 * each was a string made in Lua, and the name a key read, for every write (docs/PERFORMANCE.md:
 * with the moved record read only when needed, 83 → 73 thousand instructions a write).
 */
export const WRITE_ADDRESS_BITS_AT = 49;

/** The numbers argument of one write (WRITE_NUMBERS_FORMAT), then its address's bits and its Idempotency-Key's name. */
export function packWriteNumbers(
  x: number, y: number, color: number, now: number, sessionIssuedAt: number, idempotencyTtlMs: number, addressBits = '', idempotencyKeyName = '',
): Buffer {
  const nameAt = WRITE_ADDRESS_BITS_AT + addressBits.length;
  const out = Buffer.allocUnsafe(nameAt + Buffer.byteLength(idempotencyKeyName));
  out.writeDoubleLE(x, 0);
  out.writeDoubleLE(y, 8);
  out.writeDoubleLE(color, 16);
  out.writeDoubleLE(now, WRITE_NOW_AT - 1);
  out.writeDoubleLE(sessionIssuedAt, 32);
  out.writeDoubleLE(idempotencyTtlMs, 40);
  out.writeUInt8(addressBits.length, WRITE_ADDRESS_BITS_AT - 1);
  out.write(addressBits, WRITE_ADDRESS_BITS_AT, 'latin1');
  out.write(idempotencyKeyName, nameAt, 'utf8');
  return out;
}

/**
 * What the script stores as the placement of a write with an Idempotency-Key
 * ("at|seq:x:y:color:at:version|idempotency key", see PLACE_PIXELS_LUA), as a string.format
 * format with everything but the seq and the version already in it: the script formats two
 * numbers instead of seven (sprintf, a string each, was most of the script's formatting).
 */
export function placedValueFormat(now: number, x: number, y: number, color: number, idempotencyKey: string): string {
  const at = Math.trunc(now); // as %d would print it
  return `${at}|%d:${x}:${y}:${color}:${at}:%d|${idempotencyKey.replaceAll('%', '%%')}`;
}

/** What the store's configuration sets for every call (the first argument packs them with the call's times). */
export interface CallSettings {
  width: number;
  height: number;
  cooldownMs: number;
  placementsPerIp: number;
  updatesKept: number;
  publishEachWrite: boolean;
  idempotencyTtlMs: number;
  placedBucketMs: number;
}

/**
 * The script's first argument: the call's numbers as little-endian doubles, in this order: the
 * configured width and height, cooldownMs, placementsPerIp, updatesKept, publishEachWrite (0|1),
 * the idempotency window, the placements' bucket width, and the call's earliest and latest write
 * time (with those the script reads a write's own time before its checks only when the call spans
 * two address windows). One struct.unpack: as ten arguments of text each was a string made in Lua
 * and parsed by strtod, a thousand instructions or more apiece, for every call.
 */
export const CALL_NUMBERS_FORMAT = '<dddddddddd';

export function packCallNumbers(settings: CallSettings, writes: readonly { now: number }[]): Buffer {
  let earliest = Infinity;
  let latest = -Infinity;
  for (const { now } of writes) {
    if (now < earliest) earliest = now;
    if (now > latest) latest = now;
  }
  const values = [
    settings.width, settings.height, settings.cooldownMs, settings.placementsPerIp, settings.updatesKept, settings.publishEachWrite ? 1 : 0,
    // Whole milliseconds, widened: the script's bucket ranges and expiries are counted in them.
    settings.idempotencyTtlMs, settings.placedBucketMs, Math.floor(earliest), Math.ceil(latest),
  ];
  const out = Buffer.allocUnsafe(values.length * 8);
  values.forEach((v, i) => out.writeDoubleLE(v, i * 8));
  return out;
}

/** The script's shared argument before the last: every write's pixel record, in order (the stream entry and the pending record are made of them). */
export function packPixelRecords(writes: readonly { x: number; y: number; color: number }[]): Buffer {
  const out = Buffer.allocUnsafe(writes.length * PIXEL_RECORD_BYTES);
  writes.forEach((w, i) => writePixelRecord(out, i * PIXEL_RECORD_BYTES, w.x, w.y, w.color));
  return out;
}

/** What a call of one write hands the script (bench:feed's floor calls an empty script with as many). */
export const ONE_WRITE_CALL = { keys: PLACE_SHARED_KEYS + PLACE_KEYS_PER_WRITE, args: PLACE_SHARED_ARGS + PLACE_ARGS_PER_WRITE };
