import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the test
# itself (setting up data) are still plain synchronous code, so tell Django they are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
