"""What every app shares and nothing else: the school's clock, the one error type for a refused
action, date wording, and turning a refusal into form errors. It imports no app."""
