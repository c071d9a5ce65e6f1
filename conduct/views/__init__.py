"""The conduct layer's pages: the home page and the student page, which draw on every app."""
