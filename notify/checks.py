from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def sms_provider_check(app_configs, **kwargs):
    """A mistyped SMS_PROVIDER fails at start-up, not when the first text is sent."""
    from notify.channels import sms_provider

    try:
        sms_provider()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="notify.E001")]
    return []
