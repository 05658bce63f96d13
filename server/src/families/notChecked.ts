// The one finding for a recognised file that cannot be compared: silence would read as
// "clean", so the file says what is missing and how to supply it.
import { Finding, range } from '../core/types';
import type { KernelReference } from '../reference/reference';

export function notChecked(file: string, message: string): Finding {
  return {
    file,
    range: range(0, 0, 0, 0),
    severity: 'information',
    code: 'not-checked',
    message,
    related: [],
    fixes: [],
  };
}

/** How to give systab a kernel, for messages. */
export const SUPPLY_KERNEL = 'set systab.kernelPath to a Linux source tree, or pass --kernel DIR to the CLI';

/** Which kernel the checks use, for messages. */
export const referenceLabel = (ref: KernelReference | undefined) => ref?.label ?? 'no kernel catalogue';
