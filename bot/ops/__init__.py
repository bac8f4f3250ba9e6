"""Operating guidebot: the audit trail (audit, audit_schema), input checks (limits), the
per-user rate limit (rate_limit), logging without draft text (logging_setup) and redaction
of secrets and personal data before anything is stored (redact)."""
