"""Helpers every app may use: errors, the API error shape, exports, charts,
permission decorators and admin classes. Imports no product app."""
