export {
  CRM_SOURCE_LIMITS,
  type CrmLeadSource,
  type CrmLeadSourceInput,
  crmLeadSourceSchema,
  type ParseCrmLeadSourceResult,
  parseCrmLeadSource,
} from './crm-lead-source.js';
export { LEAD_LIMITS, type Lead, type LeadInput, leadInputSchema, UTM_FIELDS } from './lead-schema.js';
export {
  InvalidLeadError,
  invalidLeadBody,
  type LeadIssue,
  type ParseLeadResult,
  parseLead,
} from './parse-lead.js';
