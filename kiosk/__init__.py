"""Job Kiosk: a full-screen touch application for public job terminals."""

__version__ = "0.1.0"
