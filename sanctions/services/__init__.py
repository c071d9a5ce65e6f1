"""Writes for incidents, referrals and placements, one module per noun; each write is one
transaction."""
