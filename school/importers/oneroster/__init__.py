"""OneRoster 1.1 / 1.2 CSV bundles, read with Conduct's profile (docs/import.md): one module
per file of the bundle, and `bundle.py` reading them all into one `Roster`."""
