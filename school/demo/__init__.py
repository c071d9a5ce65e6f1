"""A believable demo school (Northfield Academy): generated as plain data, loaded into the
database by `manage.py load_demo`, or written out as a OneRoster bundle by bench/generate.py."""
