/** `GET /api/portal/leads/:id` as the tab reads it (packages/b24-app/src/settings/lead-view.ts). */
export interface LeadDetail {
  readonly lead: {
    readonly id: string;
    readonly crmState: string;
    readonly callState: string;
    readonly finished: boolean;
    readonly submittedAt: number;
    readonly updatedAt: number;
    readonly wakeAt: number | null;
    readonly name: string | null;
    readonly phone: string | null;
    readonly crmLeadId: string | null;
    readonly attempt: number;
    readonly manualReason: string | null;
  };
  /** The dashboard's facts of the lead (null for a lead stored before they existed). */
  readonly facts: LeadFactsView | null;
  readonly effects: readonly EffectView[];
  readonly audit: readonly AuditView[];
}

/** What the tab reads of the lead's facts (packages/sdk/src/ports/lead-facts.ts). */
export interface LeadFactsView {
  readonly outcome: string | null;
  /** A seller said the answering machine was a person: when, and who (`b24user:<id>`). */
  readonly machinePersonAt: number | null;
  readonly machinePersonBy: string | null;
}

/** Who did something, as a seller reads it: `b24user:7` → `user 7`. */
export function whoLabel(by: string): string {
  const user = /^b24user:(\d+)$/.exec(by);
  return user === null ? by : `user ${user[1]}`;
}

export interface EffectView {
  readonly id: number;
  readonly kind: string;
  readonly status: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  readonly result: unknown;
  readonly about?: Record<string, unknown>;
}

export interface AuditView {
  readonly id: number;
  readonly at: number;
  readonly type: string;
  readonly key: string | null;
  readonly detail: unknown;
}

/** `GET /api/portal/crm-leads/:id`: the Prozvon lead behind a CRM lead, or what would happen to it. */
export type CrmLeadAnswer =
  | { readonly crmLeadId: string; readonly handled: true; readonly leadId: string }
  | {
      readonly crmLeadId: string;
      readonly handled: false;
      readonly source: string | null;
      readonly hasPhone: boolean;
      readonly wouldCall: boolean;
      readonly callSources: readonly string[] | null;
    };

/** The CRM lead's ID from the placement's options (`{ ID: "42" }`, maybe as a JSON string). */
export function crmLeadIdOf(options: Record<string, unknown>): string | null {
  const id = options.ID ?? options.id ?? options.ENTITY_ID;
  const text = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
  return /^\d{1,12}$/.test(text) ? text : null;
}
