// Public surface of /coffre/audit/1.0.0: the challenger function and the node-side handler.
export { type AuditResult, auditShard } from "./client";
export { AUDIT_PROTOCOL } from "./constants";
export { handleAuditRequest } from "./handler";
