"""Helpers shared by every app (they import no product app)."""
