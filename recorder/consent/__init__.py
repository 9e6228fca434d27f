"""Consent: the scope and record of one session, its text, re-confirmation, studies, ids."""
