from django import template

from sanctions.selectors import referrals

register = template.Library()


@register.simple_tag
def raised_by(referral):
    """`{% raised_by referral as origin %}`: who raised it (selectors.referrals.RaisedBy)."""
    return referrals.referral_raised_by(referral)
