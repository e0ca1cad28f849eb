/** Model length up to which the library's default rows per forward pass apply as they are. */
const BASE_POSITIONS = 512;

/**
 * Rows per forward pass when the caller gives none: `rows` for models of up to 512 positions, scaled by
 * (512 / positions)² above, since attention memory grows with the square of the length: a 1,024-position
 * (5') model runs a quarter as many rows, in less memory and no more time (docs/decisions/batch-rows.md).
 */
export function defaultBatchRows(maxPositions: number, rows: number): number {
  if (maxPositions <= BASE_POSITIONS) return rows;
  return Math.max(1, Math.floor(rows * (BASE_POSITIONS / maxPositions) ** 2));
}
