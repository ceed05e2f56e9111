/**
 * `GET /api/portal/dashboard` as the page reads it (the dashboard store's answer:
 * packages/sdk/src/ports/dashboard.ts, on the dashboard-store branch).
 */
export const OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual', 'in_progress'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  answered: 'Answered',
  machine: 'Answering machine',
  no_answer: 'No answer',
  invalid: 'Invalid number',
  manual: 'To the sellers',
  in_progress: 'In progress',
};

/** The outcomes as the per-group table heads them: short, so its columns fit the portal's frame. */
export const OUTCOME_COLUMNS: Record<Outcome, string> = {
  answered: 'Answered',
  machine: 'Machine',
  no_answer: 'No answer',
  invalid: 'Invalid',
  manual: 'Sellers',
  in_progress: 'In progress',
};

export interface SpeedFigures {
  readonly leads: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export interface DashboardFigures {
  readonly leads: number;
  readonly orderSums: readonly {
    readonly currency: string | null;
    readonly leads: number;
    readonly total: number;
    readonly average: number;
  }[];
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly speed: { readonly firstRing: SpeedFigures; readonly answer: SpeedFigures };
  readonly machine: {
    readonly outcomes: number;
    readonly markedPerson: number;
    readonly markRate: number | null;
  };
}

export interface DashboardAnswer {
  readonly from: number;
  readonly to: number;
  readonly groupBy: 'partner' | 'site';
  readonly total: DashboardFigures;
  readonly groups: readonly (DashboardFigures & {
    readonly key: string | null;
    readonly name: string | null;
  })[];
  readonly days: readonly {
    readonly date: string;
    readonly leads: number;
    readonly outcomes: Readonly<Record<Outcome, number>>;
  }[];
}

/**
 * A duration as a seller reads it: `0.4 s`, `8 s`, `2 min 5 s`, `—` when nothing reached it. Under
 * ten seconds with a tenth: a call placed at once is not "0 s".
 */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 9_950) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${seconds % 60 === 0 ? '' : ` ${seconds % 60} s`}`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Order sums per currency, `12 500 ₽ (avg 2 500 ₽)`; without a currency, plain numbers. */
export function formatSums(sums: DashboardFigures['orderSums'], locale = 'ru-RU'): string {
  if (sums.length === 0) return '—';
  return sums
    .map((sum) => {
      const format = new Intl.NumberFormat(locale, {
        maximumFractionDigits: 0,
        ...(sum.currency === null ? {} : { style: 'currency', currency: sum.currency }),
      });
      return `${format.format(sum.total)} (avg ${format.format(sum.average)})`;
    })
    .join('; ');
}

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`;
}

/** The period asked for: the last `days` days up to now. */
export function periodOf(days: number, now: number): { from: number; to: number } {
  return { from: now - days * 24 * 3_600_000, to: now };
}
