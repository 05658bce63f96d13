// Go to definition: every family that knows what is under the cursor adds its evidence.
import { Location, Position } from '../core/types';
import type { Workspace } from '../families/family';
import { Analysis, partsOf } from './analyze';

export function definitions(a: Analysis, pos: Position, ws: Workspace): Location[] {
  return partsOf(a).flatMap(({ family, model }) => family.definition?.(model, pos, ws) ?? []);
}
