"""Writes for pastoral work, by noun: import the module you need."""
