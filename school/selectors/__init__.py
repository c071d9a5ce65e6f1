"""Reads of the school's data, by noun: calendar, timetable (and where people are), people."""
