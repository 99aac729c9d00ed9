"""The hub's migration scripts, one per schema revision."""
