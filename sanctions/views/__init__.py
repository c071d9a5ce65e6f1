"""Referral, placement and register pages, one module per noun."""
