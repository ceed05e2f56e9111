/**
 * The placement codes the simulator knows, with the scope each needs besides `placement`
 * (`api-reference/widgets/placements.md`; "Scope: placement, depending on the placement
 * location" in `placement-bind.md`). A code not here, or one whose scope the app lacks, gets
 * ERROR_PLACEMENT_NOT_FOUND as on the portal ("the code is wrong or the app has no `crm` scope",
 * the CRM widget pages' common mistakes). The list is a subset: extend it when an app needs more.
 */
const CRM_ENTITIES = ['LEAD', 'DEAL', 'CONTACT', 'COMPANY', 'QUOTE', 'SMART_INVOICE'];
const CRM_SUFFIXES = [
  'DETAIL_TAB',
  'DETAIL_TOOLBAR',
  'DETAIL_ACTIVITY',
  'LIST_MENU',
  'LIST_TOOLBAR',
  'ACTIVITY_TIMELINE_MENU',
  'DOCUMENTGENERATOR_BUTTON',
];

const FIXED: ReadonlyMap<string, string | undefined> = new Map<string, string | undefined>([
  ...CRM_ENTITIES.flatMap((entity) =>
    CRM_SUFFIXES.map((suffix) => [`CRM_${entity}_${suffix}`, 'crm'] as [string, string]),
  ),
  ['CRM_ANALYTICS_MENU', 'crm'],
  ['CALL_CARD', 'telephony'],
  ['TELEPHONY_ANALYTICS_MENU', 'telephony'],
  ['TASK_VIEW_TAB', 'task'],
  ['TASK_LIST_CONTEXT_MENU', 'task'],
  ['CALENDAR_GRIDVIEW', 'calendar'],
  ['LEFT_MENU', undefined],
  ['REST_APP_URI', undefined],
  ['PAGE_BACKGROUND_WORKER', undefined],
  ['USER_PROFILE_MENU', undefined],
  ['USER_PROFILE_TOOLBAR', undefined],
]);

/** Smart processes: `CRM_DYNAMIC_<entityTypeId>_<suffix>`. */
const DYNAMIC = new RegExp(`^CRM_DYNAMIC_\\d+_(${CRM_SUFFIXES.join('|')})$`);

/** The extra scope a known code needs (undefined: `placement` alone); null for an unknown code. */
export function placementScope(code: string): string | undefined | null {
  if (FIXED.has(code)) return FIXED.get(code);
  return DYNAMIC.test(code) ? 'crm' : null;
}
