// os-syscall.c against bsd-user's syscall_nr.h and FreeBSD: labels no header defines (dead
// code), cases that run on into the next syscall's code, and live syscalls never dispatched.
import type { Rule } from '../../family';
import { lineMap, rangeOf } from '../../../core/text';
import { Finding, range } from '../../../core/types';
import type { FreeBsdReference } from '../../../reference/freebsd/reference';
import { kindOf } from '../../../reference/freebsd/master';
import type { NrDefine } from '../syscallNr/model';
import type { Fallthrough } from '../fallthrough';
import type { BsdLabel } from './labels';

export interface CaseContext {
  file: string;
  text: string;
  labels: BsdLabel[];
  /** The names bsd-user's syscall_nr.h defines; undefined when it cannot be read. */
  defined?: Set<string>;
  falls: Fallthrough[];
}

function deadCases(c: CaseContext): Finding[] {
  if (!c.defined) return [];
  const map = lineMap(c.text);
  return c.labels
    .filter(l => !c.defined!.has(l.name))
    .map(l => ({
      file: c.file,
      range: rangeOf(map, l.start, l.end),
      severity: 'error' as const,
      code: 'dead-case' as const,
      syscall: l.name,
      message: `case TARGET_FREEBSD_NR_${l.name}: bsd-user/freebsd/syscall_nr.h does not define TARGET_FREEBSD_NR_${l.name}, so this file does not compile (the label has no value)`,
      related: [],
      fixes: [],
    }));
}

export function fallthroughFindings(file: string, text: string, falls: Fallthrough[], prefix: string): Finding[] {
  if (!falls.length) return [];
  const map = lineMap(text);
  return falls.map(f => ({
    file,
    range: rangeOf(map, f.from.start, f.from.end),
    severity: 'error' as const,
    code: 'case-fallthrough' as const,
    syscall: f.from.name,
    message: `case ${prefix}${f.from.name} has no break or return after its last statement, so it runs on into ${f.into.name === 'default' ? 'the default case' : `the code for ${f.into.name}`}: a ${f.from.name} call also does what ${f.into.name} does and returns its result`,
    related: [
      {
        location: { file, range: rangeOf(map, f.into.start, f.into.end) },
        message: `the case it runs into: ${f.into.name}`,
      },
    ],
    fixes: [],
  }));
}

/** A `case TARGET_FREEBSD_NR_x:` in os-syscall.c whose name bsd-user's syscall_nr.h does not define is an error: unlike linux-user's cases, bsd-user's have no `#ifdef` around them, so the file does not compile. */
export const deadCase: Rule<CaseContext> = {
  codes: ['dead-case'],
  about:
    "A `case TARGET_FREEBSD_NR_x:` in os-syscall.c whose name bsd-user's syscall_nr.h does not define is an error: unlike linux-user's cases, bsd-user's have no `#ifdef` around them, so the file does not compile.",
  run: deadCases,
};

/** A syscall's `case` whose last statement neither breaks, returns nor jumps runs on into the next case's code: the guest's call does both syscalls' work and gets the second one's result. Labels that share one body, and an explicit fallthrough (a comment saying so, `fallthrough;`, `QEMU_FALLTHROUGH;`), are fine; a body that ends in an `#if` block or a loop is not judged. */
export const fallthroughRule: Rule<CaseContext> = {
  codes: ['case-fallthrough'],
  about:
    "A syscall's `case` whose last statement neither breaks, returns nor jumps runs on into the next case's code: the guest's call does both syscalls' work and gets the second one's result. Labels that share one body, and an explicit fallthrough (a comment saying so, `fallthrough;`, `QEMU_FALLTHROUGH;`), are fine; a body that ends in an `#if` block or a loop is not judged.",
  run: c => fallthroughFindings(c.file, c.text, c.falls, 'TARGET_FREEBSD_NR_'),
};

export interface NotDispatchedContext {
  file: string;
  defines: NrDefine[];
  dispatched: Set<string>;
  osSyscall: string;
  ref: FreeBsdReference;
}

function notDispatched(c: NotDispatchedContext): Finding[] {
  return c.defines
    .filter(d => {
      const l = c.ref.defined(d.name);
      return l && l.number === d.number && kindOf(l.entry) === 'live' && !c.dispatched.has(d.name);
    })
    .map(d => ({
      file: c.file,
      range: d.ranges.name,
      severity: 'information' as const,
      code: 'not-dispatched' as const,
      syscall: d.name,
      message: `${d.name} has no case TARGET_FREEBSD_NR_${d.name} in bsd-user/freebsd/os-syscall.c: FreeBSD guests calling it get ENOSYS (not emulated yet)`,
      related: [
        { location: { file: c.osSyscall, range: range(0, 0, 0, 0) }, message: 'bsd-user/freebsd/os-syscall.c' },
      ],
      fixes: [],
    }));
}

/** Each live FreeBSD syscall bsd-user's syscall_nr.h defines (at FreeBSD's number) that os-syscall.c has no `case` for: guests get ENOSYS. Information, since bsd-user emulates syscalls a few at a time and leaves the rest out on purpose. */
export const notDispatchedRule: Rule<NotDispatchedContext> = {
  codes: ['not-dispatched'],
  about:
    "Each live FreeBSD syscall bsd-user's syscall_nr.h defines (at FreeBSD's number) that os-syscall.c has no `case` for: guests get ENOSYS. Information, since bsd-user emulates syscalls a few at a time and leaves the rest out on purpose.",
  run: notDispatched,
};
