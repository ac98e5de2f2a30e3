/** Money arithmetic in integer cents, so "0.10" + "0.20" is exactly "0.30". */
const toCents = (amount: string): bigint => {
  const negative = amount.startsWith("-");
  const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
  return negative ? -cents : cents;
};

const fromCents = (cents: bigint): string => {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};

/** Exact difference of two amounts, in cents, never floats. */
export const subtractMoney = (a: string, b: string): string => fromCents(toCents(a) - toCents(b));
/** Exact sum of amounts, in cents, never floats. */
export const sumMoney = (amounts: readonly string[]): string =>
  fromCents(amounts.reduce((total, amount) => total + toCents(amount), 0n));
/** -1, 0 or 1 as the amount is below, at or above zero. */
export const moneySign = (amount: string): -1 | 0 | 1 => {
  const cents = toCents(amount);
  return cents < 0n ? -1 : cents > 0n ? 1 : 0;
};
