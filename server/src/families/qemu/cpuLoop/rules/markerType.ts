// unused-marker-type: the MIPS o32 table's element type must hold the unused marker.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { evalExpr } from '../../../../syntax/c/defines';
import { UNUSED_MARKER } from '../../o32/table';
import { CpuLoopContext, edit, finding } from '../context';
import { isUnsigned, TABLE, typeBytes } from '../model';

/** The signed type of the same size (the fix). */
export function signedOf(type: string): string | undefined {
  const t = type.replace(/\s+/g, ' ').trim();
  const m = /^uint(\d+)_t$/.exec(t);
  if (m) return `int${m[1]}_t`;
  if (/^u\d+$/.test(t)) return `s${t.slice(1)}`;
  if (t === 'char' || t === 'unsigned char') return 'signed char';
  if (/^unsigned (short|int|long)/.test(t)) return t.replace(/^unsigned /, '');
  if (t === 'unsigned') return 'int';
  return undefined;
}

export function markerType(ctx: CpuLoopContext): Finding[] {
  const m = ctx.model.mips;
  if (!m) return [];
  const markerValue = m.marker ? evalExpr(m.marker.value, () => undefined) : undefined;
  // An undefined marker counts as QEMU's -1: that is what unused-marker-undefined's fix defines.
  // The dispatch's own test against the marker counts too: for an unsigned element it can never hold.
  const negative =
    ((m.usesMarker || m.markerTests.length > 0) && (markerValue === undefined || markerValue < 0)) || m.usesMinusOne;
  if (!negative) return [];
  const related = m.marker
    ? [
        {
          location: { file: ctx.file, range: edit(ctx, m.marker.span, '').range },
          message: `the marker: ${m.marker.value}`,
        },
      ]
    : [];
  const out: Finding[] = [];
  for (const { type, span } of m.types) {
    const plainChar = type.trim() === 'char';
    if (!isUnsigned(type) && !plainChar) continue;
    const bits = (typeBytes(type) ?? 1) * 8;
    const stored = markerValue !== undefined && markerValue < 0 ? markerValue : -1;
    const as = 2 ** bits + stored;
    const what = m.usesMarker ? `${UNUSED_MARKER} (${m.marker?.value ?? stored})` : `-1`;
    const signed = signedOf(type);
    const message = plainChar
      ? `\`char ${TABLE}[]\` is unsigned on some hosts (Arm, PowerPC, s390x), where ${what} is stored as ${as}: the unused-slot test never matches there and an unused slot is dispatched as a syscall of ${as} words instead of answering ENOSYS; use \`signed char\` or \`int8_t\``
      : `\`${type} ${TABLE}[]\` cannot hold ${what}: an unsigned ${bits}-bit element stores it as ${as}, so \`${TABLE}[n] == ${UNUSED_MARKER}\` (${as} == ${stored} after promotion) never holds and an unused slot is dispatched to do_syscall() as a syscall of ${as} words instead of answering ENOSYS`;
    out.push(
      finding(ctx, 'unused-marker-type', plainChar ? 'warning' : 'error', span, message, {
        related,
        fixes: signed
          ? [{ title: `Declare ${TABLE} as ${signed}`, preferred: true, edits: [edit(ctx, span, signed)] }]
          : [],
      }),
    );
  }
  return out;
}

/** The o32 argument table's element type must hold its unused marker: `-1` (or `MIPS_SYSCALL_NUMBER_UNUSED` defined as -1) in a `uint8_t` array is 255, so the test for unused slots never matches and such a slot is dispatched as a 255-word syscall instead of answering ENOSYS (plain `char` is unsigned on Arm, PowerPC and s390x hosts). The fix declares the table with the signed type of the same size. */
export const rule: Rule<CpuLoopContext> = {
  codes: ['unused-marker-type'],
  about:
    "The o32 argument table's element type must hold its unused marker: `-1` (or `MIPS_SYSCALL_NUMBER_UNUSED` defined as -1) in a `uint8_t` array is 255, so the test for unused slots never matches and such a slot is dispatched as a 255-word syscall instead of answering ENOSYS (plain `char` is unsigned on Arm, PowerPC and s390x hosts). The fix declares the table with the signed type of the same size.",
  run: markerType,
};
