// The memos that carry what a check read from one text (or version of a file) to the next
// register here, so that a test can compare a re-check with a check made from nothing.
const forgetters: (() => void)[] = [];

/** Registers how to drop one memo's state. */
export function registerMemo(forget: () => void): void {
  forgetters.push(forget);
}

/** Drops every registered memo's state: the next check reads everything afresh. */
export function forgetMemos(): void {
  for (const f of forgetters) f();
}
