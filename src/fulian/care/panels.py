"""Care's sections on pages it does not own (core.panels)."""
