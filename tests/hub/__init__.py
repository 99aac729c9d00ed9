"""Tests of the reference hub (hub/)."""
