// The signal the server's loader (boot.ts) waits for to save its code cache: the first
// diagnostics have been published, so the functions that produced them are compiled.
export const FIRST_DIAGNOSTICS = 'systab:first-diagnostics';

/** Tell the loader, once the publishing at hand is done (no listener: nothing happens). */
export function firstDiagnosticsPublished(): void {
  setImmediate(() => (process as NodeJS.EventEmitter).emit(FIRST_DIAGNOSTICS));
}
