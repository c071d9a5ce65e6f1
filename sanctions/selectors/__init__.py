"""Reads for referrals, placements and the day's register, one module per noun."""
