// The one way the sh subset fails: a script outside it gets a clear error, never a guess.

export class ShError extends Error {}
export const fail = (msg: string): never => {
  throw new ShError(msg);
};
