"""Signed releases, safe updates and the operator's way in (PIN)."""
