/**
 * Loads a row another row references; a dangling reference is a
 * bug, not a user's doing, so it fails loudly (masked).
 */
export async function required<T>(row: Promise<T | null>, what: string): Promise<T> {
  const value = await row;
  if (!value) throw new Error(`${what} is not visible`);
  return value;
}
