"""The CSRF token every page carries (the layout's htmx header and sign-out form), masked as
Django masks it, from one read of the system's randomness instead of one per character.

Django's `get_token` draws the 32 characters of each page's fresh mask with `secrets.choice`,
each a read of os.urandom: some 40 µs a page, a tenth of what the layout costs (issue 15). The
token is the same: a mask of 32 characters chosen uniformly from CSRF_ALLOWED_CHARS, then the
secret with the mask added character by character, as `_mask_cipher_secret` makes it and
CsrfViewMiddleware unmasks it. Everything else is Django's: a request without a secret yet gets
one (and its cookie) from `get_token` itself.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_COUNT = len(_CHARS)
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# A random byte below this falls evenly on the characters (248 = 4 × 62); one above it is
# thrown away, so no character is likelier than another.
_EVEN_BELOW = 256 - 256 % _COUNT


def masked(secret: str) -> str:
    """A fresh token for `secret`: a random mask, then the secret enciphered with it."""
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += [byte % _COUNT for byte in secrets.token_bytes(48) if byte < _EVEN_BELOW]
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = (_CHARS[(_INDEX[char] + add) % _COUNT] for char, add in zip(secret, mask, strict=True))
    return "".join(_CHARS[index] for index in mask) + "".join(cipher)


def token(request) -> str:
    """`django.middleware.csrf.get_token(request)`, with the mask drawn by `masked`."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)  # a new secret: Django makes it and sets its cookie
    # As get_token: the cookie is sent again with the response, renewing its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)


def csrf(request):
    """Context processor, after Django's own `csrf` (which it replaces): `csrf_token`, made only
    when a template asks for it."""
    return {"csrf_token": SimpleLazyObject(lambda: token(request))}
