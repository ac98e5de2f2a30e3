/**
 * Today's date in UTC as YYYY-MM-DD. UTC is never behind a US
 * time zone, so "after today" is future everywhere we serve.
 */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
