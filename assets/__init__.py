"""Runtime assets (demo data, translations, sounds), read through importlib.resources."""
