from fulian.core.panels import panel_register  # noqa: F401
