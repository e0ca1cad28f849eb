/**
 * A result several tests read, made by whichever of them asks first and shared after that, so each
 * test runs alone (`-t`) or in any order (`--sequence.shuffle`) without a run made by another test.
 */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
