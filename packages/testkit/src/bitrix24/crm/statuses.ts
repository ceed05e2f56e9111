/** A row of a CRM directory as `crm.status.list` returns it (BITRIX24.md §4.3). */
export interface StatusRow {
  ID: string;
  ENTITY_ID: string;
  STATUS_ID: string;
  NAME: string;
  NAME_INIT: string | null;
  SORT: string;
  SYSTEM: 'Y' | 'N';
  CATEGORY_ID: string | null;
  COLOR: string | null;
  SEMANTICS: 'S' | 'F' | null;
  EXTRA?: { SEMANTICS: string; COLOR: string };
}

type Seed = [statusId: string, name: string, semantics?: 'S' | 'F'];

// The directories of a fresh cloud portal that Prozvon reads (English names).
const DEFAULTS: Record<string, Seed[]> = {
  STATUS: [
    ['NEW', 'Unassigned'],
    ['IN_PROCESS', 'In Progress'],
    ['PROCESSED', 'Processed'],
    ['CONVERTED', 'Good lead', 'S'],
    ['JUNK', 'Junk lead', 'F'],
  ],
  SOURCE: [
    ['CALL', 'Call'],
    ['EMAIL', 'E-Mail'],
    ['WEB', 'Website'],
    ['ADVERTISING', 'Advertising'],
    ['PARTNER', 'Existing client'],
    ['RECOMMENDATION', 'By recommendation'],
    ['TRADE_SHOW', 'Show/Exhibition'],
    ['WEBFORM', 'CRM form'],
    ['CALLBACK', 'Callback'],
    ['RC_GENERATOR', 'Sales boost'],
    ['STORE', 'Online Store'],
    ['OTHER', 'Other'],
  ],
  COMPANY_TYPE: [
    ['CUSTOMER', 'Client'],
    ['SUPPLIER', 'Supplier'],
    ['COMPETITOR', 'Competitor'],
    ['PARTNER', 'Partner'],
    ['OTHER', 'Other'],
  ],
};

const COLORS: Record<string, string> = { S: '#00ff00', F: '#ff0000' };

export function defaultStatuses(): StatusRow[] {
  const rows: StatusRow[] = [];
  for (const [entityId, seeds] of Object.entries(DEFAULTS)) {
    seeds.forEach(([statusId, name, semantics], index) => {
      rows.push(
        statusRow(rows.length + 1, entityId, statusId, name, (index + 1) * 10, semantics ?? null, true),
      );
    });
  }
  return rows;
}

export function statusRow(
  id: number,
  entityId: string,
  statusId: string,
  name: string,
  sort: number,
  semantics: 'S' | 'F' | null,
  system: boolean,
): StatusRow {
  const color = semantics ? (COLORS[semantics] ?? '#39a8ef') : '#39a8ef';
  const row: StatusRow = {
    ID: String(id),
    ENTITY_ID: entityId,
    STATUS_ID: statusId,
    NAME: name,
    NAME_INIT: system ? name : null,
    SORT: String(sort),
    SYSTEM: system ? 'Y' : 'N',
    CATEGORY_ID: null,
    COLOR: color,
    SEMANTICS: semantics,
  };
  if (entityId === 'STATUS')
    row.EXTRA = {
      SEMANTICS: semantics === 'S' ? 'success' : semantics === 'F' ? 'failure' : 'process',
      COLOR: color,
    };
  return row;
}
