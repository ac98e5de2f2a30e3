/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD), done in UTC so the seed and the code-set
 * dates come out the same whatever the host's time zone.
 */

const DAY_MS = 86_400_000;

function parse(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function format(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Days added to an ISO date in UTC, so a daylight-saving change never moves the date. */
export function addDays(iso: string, days: number): string {
  return format(new Date(parse(iso).getTime() + days * DAY_MS));
}

/** The same day `months` later (or earlier); a day the month lacks runs into the next. */
export function addMonths(iso: string, months: number): string {
  const date = parse(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return format(date);
}

/** The same month and day `years` later (or earlier); 29 February becomes 1 March in a common year. */
export function addYears(iso: string, years: number): string {
  const date = parse(iso);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return format(date);
}

/** Whole days from `from` to `to` (negative when `to` is earlier), in UTC. */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS);
}

/** Completed months from `from` to `to`: an age in months. */
export function wholeMonthsBetween(from: string, to: string): number {
  const a = parse(from);
  const b = parse(to);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return b.getUTCDate() < a.getUTCDate() ? months - 1 : months;
}

/** Completed years from `from` to `to`: an age in years. */
export function wholeYearsBetween(from: string, to: string): number {
  return Math.floor(wholeMonthsBetween(from, to) / 12);
}

/** The later of two ISO dates: they sort as text. */
export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/** MM/DD/YYYY, as US clinical notes write dates. */
export function usDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${month}/${day}/${year}`;
}
